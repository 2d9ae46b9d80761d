from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Chapter, JobKind, MenuEntry, Module

# What the school's leaders may do in safety besides reading everything: verify fixes of hazards (a second
# person re-checks, 复查), reassign them and give more time.
_LEAD = ["safety.view_*", "logistics.view_finding", "logistics.add_finding", "logistics.verify_finding"]


class SafetyConfig(Module):
    """Inspections and the hazards they find (through the kernel's found → fixed → verified tracking),
    emergency plans and drills, the duty roster, school vehicles and pick-up routes, responsibility pledges
    and the term's safety ledger: the safety officer runs it; whoever is assigned an inspection or a hazard
    does their part; the principal and the head read everything; anyone may report a hazard."""

    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "safety"
    verbose_name = _("Safety")
    home = "safety.home.sections"
    settings_model = "safety.SafetySettings"
    demo = "safety.demo"
    # Its share of `seed_demo --size large`: five years of inspections, hazards, duty and more (safety/demo/large.py).
    demo_large = "safety.demo.large.build_large"
    # A hazard that needs a repair opens one in the repair queue: the repair demo comes first.
    demo_after = ("assets",)
    term_figures = "safety.figures.term_figures"
    # Its figures count the repairs opened for hazards: a repair's change recomputes them (logistics.freshness).
    reads = ("assets",)
    term_chapters = [Chapter("safety", _("Safety work"), 40)]
    # a long term's ledger, printed in the background from the ledger page (safety/documents.py)
    jobs = {"safety.ledger_pdf": JobKind("safety.documents.ledger_pdf", _("Safety ledger (PDF)"),
                                         "safety.view_inspection")}
    # On a hazard's page (the kernel's finding page): "Open a repair" for one still to be fixed.
    finding_links = "safety.views.hazards.finding_links"
    menu = [
        # The safety officer's day starts here (a big button on the home page); readers find it in the menu.
        MenuEntry("safety:today", _("Safety today"), "safety.add_inspectionplan", cta=True, order=50),
        MenuEntry("safety:today", _("Safety"), "safety.view_inspection", order=51),
        MenuEntry("safety:hazard_report", _("Report a hazard"), "safety.report_hazard", order=52),
    ]
    role_grants = {
        # The safety officer runs all of it, fixes what is theirs and verifies the fixes of others.
        roles.SAFETY: ["safety.*", "logistics.view_finding", "logistics.add_finding", "logistics.fix_finding",
                       "logistics.verify_finding"],
        roles.LOGISTICS_HEAD: _LEAD,
        roles.PRINCIPAL: _LEAD,
        # Anyone may report a hazard (like a repair); it goes to the safety officer, who assigns it.
        roles.EVERY_EMPLOYEE: ["safety.report_hazard"],
    }
