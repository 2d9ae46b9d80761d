"""The home dashboards: each role's figures and charts of the current term, and the term summary's state.

What a dashboard shows is what the modules say: a figure or chart is on the home page of the roles its
``home`` names (logistics.modules.Figure, Chart). The values are read from the same ``term_figures`` /
``term_charts`` as the term summary and printed by the summary's own ``figure_text``, so the home page and
the summary never disagree. The figures are computed once per request whatever the number of the user's
roles, and each module computes them in a constant number of queries: the home page's query count does not
grow with the records.
"""
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from . import modules, roles
from .charts import bar_chart
from .models import TermSummary
from .summary.document import figure_text
from .summary.services import SIGN, WRITE

# The roles that read how things stand. Only their home pages compute the term's figures: a teacher's or a
# worker's home shows their own work, and should not pay for the school's figures. A module that names
# another role in a figure's or chart's ``home`` adds it here (tests/logistics/test_dashboard.py checks
# that every role a module names is listed).
DASHBOARD_ROLES = (roles.PRINCIPAL, roles.LOGISTICS_HEAD, roles.FINANCE, roles.CANTEEN)

# Charts on the home page are drawn small: two fit side by side on a desktop, one fills a phone's width.
CHART_WIDTH = 360
CHART_SIZE = 10

Status = TermSummary.Status
NOT_STARTED = "none"


@dataclass
class Tile:
    """One figure on the dashboard: its label and its value as the summary prints it."""

    key: str
    label: str
    value: str
    unit: str = ""
    # an open item (Figure.carry) that is not zero: shown as a warning
    warn: bool = False


@dataclass
class HomeChart:
    key: str
    title: str
    svg: str


@dataclass
class Dashboard:
    """The user's "this term at a glance": tiles, then small charts."""

    term: object
    tiles: list = field(default_factory=list)
    charts: list = field(default_factory=list)


@dataclass
class SummaryState:
    """Where the term's summary stands, as the head or the principal reads it; decision: it waits for them."""

    url: str
    status: str
    text: str
    decision: bool = False


def _shown_to(item, names):
    return bool(names & set(item.home))


def tile(figure):
    """A Figure as a tile: the value as figure_text prints it; the unit unless it is money or a percentage."""
    unit = str(figure.unit)
    return Tile(key=figure.key, label=str(figure.label), value=figure_text(figure.value, figure.money, unit),
                unit="" if figure.money or unit == "%" else unit, warn=bool(figure.carry and figure.value))


def home_chart(chart):
    """A Chart drawn small for the home page."""
    title = str(chart.title)
    svg = bar_chart([(b.label, b.values) for b in chart.bars], series=[str(s) for s in chart.series],
                    money=chart.money, width=CHART_WIDTH, size=CHART_SIZE, label=title)
    return HomeChart(key=chart.key, title=title, svg=svg)


def dashboard(user, term):
    """The user's Dashboard for term, or None: no term, none of the user's roles has a dashboard, or the
    modules show those roles nothing. A superuser sees one only through the roles (groups) they are in."""
    names = roles.user_roles(user) & set(DASHBOARD_ROLES)
    if term is None or not names:
        return None
    tiles = [tile(f) for f in modules.term_figures(term) if _shown_to(f, names)]
    charts = [home_chart(c) for c in modules.term_charts(term) if _shown_to(c, names)]
    if not tiles and not charts:
        return None
    return Dashboard(term=term, tiles=tiles, charts=charts)


def summary_state(user, term):
    """Where the term's summary stands, for the head (who writes it) and the principal (who signs it off);
    None for everyone else, or when there is no term. One query."""
    writer, signer = user.has_perm(WRITE), user.has_perm(SIGN)
    if term is None or not (writer or signer):
        return None
    status = TermSummary.objects.filter(term=term).order_by().values_list("status", flat=True).first() or NOT_STARTED
    decision = (signer and status == Status.SUBMITTED) or (writer and status == Status.RETURNED)
    if status == NOT_STARTED:
        text = pgettext_lazy("term summary state", "Not started")
    elif status == Status.DRAFT:
        text = pgettext_lazy("term summary state", "Draft")
    elif status == Status.SUBMITTED:
        text = (pgettext_lazy("term summary state", "Waiting for your sign-off") if signer
                else pgettext_lazy("term summary state", "Waiting for the principal's sign-off"))
    elif status == Status.RETURNED:
        text = (pgettext_lazy("term summary state", "Returned to you") if writer
                else pgettext_lazy("term summary state", "Returned to the head"))
    else:
        text = pgettext_lazy("term summary state", "Signed off")
    return SummaryState(url=reverse("summary:detail", args=[term.pk]), status=status, text=text,
                        decision=bool(decision))
