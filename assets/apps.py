from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Chapter, JobKind, MenuEntry, Module


class AssetsConfig(Module):
    """Fixed assets, stocktakes, loans, damage, write-offs, supplies, printing, repairs and recurring checks."""

    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "assets"
    verbose_name = _("Assets and repairs")

    home = "assets.home.sections"
    home_panels = "assets.home.panels"
    settings_model = "assets.AssetSettings"
    demo = "assets.demo"
    demo_large = "assets.demo.large.build_large"  # seed_demo --size large: the register and five years of repairs
    term_figures = "assets.figures.term_figures"
    term_charts = "assets.figures.term_charts"
    finding_links = "assets.links.finding_links"  # the repairs opened for a finding, on its page
    # long documents made in the background (logistics.jobs), started from the register's page
    jobs = {
        "assets.register_pdf": JobKind("assets.documents.register_pdf", _("Asset register (PDF)"), "assets.view_asset"),
        "assets.register_xlsx": JobKind("assets.documents.register_xlsx", _("Asset register (Excel)"),
                                        "assets.view_asset"),
        "assets.labels_pdf": JobKind("assets.documents.labels_pdf", _("QR labels (PDF)"), "assets.view_asset"),
        # a large register file, imported in the background from the import page; the file made lists the new tags
        "assets.register_import": JobKind("assets.documents.register_import", _("Assets imported (Excel)"),
                                          "assets.add_asset"),
    }
    term_chapters = [
        Chapter("routine", _("Routine logistics"), 10),
        # shared with finance, which declares it too (the kernel counts a key once)
        Chapter("finance_assets", _("Finance and school property"), 20),
    ]
    menu = [
        MenuEntry("assets:repair_report", _("Report a repair"), "assets.add_repairrequest", cta=True, order=10),
        MenuEntry("assets:repair_mine", _("My requests"), "assets.add_repairrequest", order=11),
        MenuEntry("assets:repair_queue", _("Repair queue"), "assets.view_repairrequest", order=12),
        MenuEntry("assets:schedule_list", _("Checks"), "assets.view_checkschedule",
                  also=("assets:check_task_detail",), order=13),
        MenuEntry("assets:asset_list", _("Assets"), "assets.view_asset", order=20),
        MenuEntry("assets:stocktake_list", _("Stocktakes"), "assets.view_stocktake", order=21),
        MenuEntry("assets:loan_list", _("Loans"), "assets.view_assetloan", order=22),
        MenuEntry("assets:supply_list", _("Supplies"), "assets.view_supplyitem", order=23),
        MenuEntry("assets:requisition_mine", _("My requisitions"), "assets.add_requisition", order=24),
        MenuEntry("assets:print_list", _("Printing"), "assets.add_printrequest", order=25),
    ]
    role_grants = {
        # Everyone who works at the school may report a fault, ask for supplies and for printing.
        roles.EVERY_EMPLOYEE: ["assets.add_repairrequest", "assets.add_requisition", "assets.add_printrequest"],
        roles.LOGISTICS: [
            "assets.view_*",
            "assets.work_repairrequest",
            "assets.change_checktask",
            # the register, loans, damage, stocktake sheets
            "assets.add_asset", "assets.change_asset",
            "assets.add_assetloan", "assets.change_assetloan",
            "assets.add_damagerecord", "assets.change_damagerecord",
            "assets.add_writeoff", "assets.add_writeoffphoto",
            "assets.change_stocktakeroom", "assets.add_stocktakeline", "assets.change_stocktakeline",
            # supplies and printing
            "assets.add_supplyitem", "assets.change_supplyitem", "assets.add_stockmovement",
            "assets.issue_requisition", "assets.change_requisition",
            "assets.add_distribution", "assets.change_distribution", "assets.add_distributionline",
            "assets.change_distributionline", "assets.do_printrequest", "assets.change_printrequest",
        ],
        roles.LOGISTICS_HEAD: ["assets.*"],
        # The school's limits (write-offs, printing, repair targets) are the principal's to change.
        roles.PRINCIPAL: ["assets.decide_writeoff_principal", "assets.change_assetsettings"],
        # Finance keeps the asset accounts: it reads the register and the year's asset-change report.
        roles.FINANCE: ["assets.view_asset", "assets.view_assetcategory"],
    }
    # The head approves write-offs up to the limit; above it the principal signs, not the head again. Nor does
    # the head change the limits that bind him.
    role_excludes = {roles.LOGISTICS_HEAD: {"assets.decide_writeoff_principal", "assets.add_assetsettings",
                                            "assets.change_assetsettings"}}
