"""The safety module's figures for a term (logistics.modules: term_figures): chapter "safety" (安全工作) of the
term summary, the open items carried into its last chapter (存在的不足与下学期打算), and what the principal's and
the head's dashboards show. Six queries, whatever the number of records."""
import dataclasses

from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.findings.selectors import finding_figures
from logistics.modules import Figure

from .selectors.ledger import (
    AREA,
    drill_counts,
    duty_counts,
    inspection_counts,
    pledge_counts,
    school_year,
    trip_counts,
)

CHAPTER = "safety"
# The school's leaders read whether hazards are found and fixed in time, and what is still open.
LEADERS = (roles.PRINCIPAL, roles.LOGISTICS_HEAD)
HAZARD_LABELS = {
    "found": _("hazards found"),
    "fixed": _("hazards fixed"),
    "verified": _("hazard fixes verified"),
    "verified_on_time_percent": _("hazards fixed by their deadline"),
    "still_open": _("hazards not yet closed"),
    "overdue": _("hazards past their deadline"),
}


def hazard_figures(term, order):
    """The kernel's finding figures in the words of hazards (隐患), one query. Both the hazards not yet closed
    and those past their deadline are open items: carried into the summary's last chapter and shown on the
    leaders' dashboards."""
    figures = finding_figures(AREA, term, "safety.hazards", CHAPTER, order=order, home=LEADERS, labels=HAZARD_LABELS)
    return [dataclasses.replace(f, carry=True, home=LEADERS) if f.key == "safety.hazards.still_open" else f
            for f in figures]


def term_figures(term):
    """[Figure] of the term's inspections, hazards, drills, duty, pre-trip checks and pledges (six queries)."""
    ins = inspection_counts(term)
    drills = drill_counts(term)
    duty = duty_counts(term)
    trips = trip_counts(term)
    pledges = pledge_counts(school_year(term))
    figures = [
        Figure("safety.inspections.held", _("safety inspections held"), ins["held"], chapter=CHAPTER, order=400,
               home=(roles.LOGISTICS_HEAD,)),
        Figure("safety.inspections.due", _("safety inspections due"), ins["due"], chapter=CHAPTER, order=401),
        Figure("safety.inspections.missed", _("safety inspections not held on their day"), ins["missed"],
               chapter=CHAPTER, order=402, carry=True),
        Figure("safety.inspections.items_checked", _("inspection items checked"), ins["items_checked"], chapter=CHAPTER,
               order=403),
        Figure("safety.inspections.items_failed", _("inspection items that failed"), ins["items_failed"],
               chapter=CHAPTER, order=404),
    ]
    figures += hazard_figures(term, order=410)
    figures += [
        Figure("safety.drills.held", _("drills held"), drills["held"], chapter=CHAPTER, order=420),
        Figure("safety.drills.people", _("people taking part in drills"), drills["people"], _("people"),
               chapter=CHAPTER, order=421),
        Figure("safety.drills.evacuation_seconds", _("average evacuation time"), drills["evacuation_seconds"],
               _("seconds"), chapter=CHAPTER, order=422),
        Figure("safety.duty.shifts", _("duty shifts"), duty["shifts"], chapter=CHAPTER, order=430),
        Figure("safety.duty.staffed_percent", _("duty shifts with someone on duty"), duty["staffed_percent"], "%",
               chapter=CHAPTER, order=431),
        Figure("safety.duty.handovers", _("handover entries written"), duty["handovers"], chapter=CHAPTER,
               order=432),
        Figure("safety.vehicles.checks", _("pre-trip checks"), trips["checks"], chapter=CHAPTER, order=440),
        Figure("safety.vehicles.not_fit", _("pre-trip checks that found a vehicle not fit"), trips["not_fit"],
               chapter=CHAPTER, order=441),
        Figure("safety.pledges.signed", _("responsibility pledges signed"), pledges["signed"], chapter=CHAPTER,
               order=450),
        Figure("safety.pledges.total", _("responsibility pledges of the school year"), pledges["total"],
               chapter=CHAPTER, order=451),
    ]
    return figures
