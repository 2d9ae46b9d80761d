"""The canteen's figures for a term (logistics.modules: term_figures): chapter "canteen" (食堂管理) of the term
summary, and the compliance figures on the principal's and the head's home. Each area computes its own
(canteen.selectors.<area>.term_figures), in a constant number of queries."""
from .selectors import inspections, meals, menus, staff, suppliers

AREAS = (meals, staff, suppliers, menus, inspections)


def term_figures(term):
    return [figure for area in AREAS for figure in area.term_figures(term)]
