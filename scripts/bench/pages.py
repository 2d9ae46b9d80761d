"""What the benchmark measures: every main page, as the role that uses it, with ids taken from the database.

`build_pages()` reads the database (it needs Django set up) and returns a list of `Page`s. A page whose
records are missing (an empty table in a tiny database) is left out and named in `skipped`, never guessed.
"""
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count
from django.urls import reverse

PAGE_SIZE = 25  # logistics.web.PAGE_SIZE; the benchmark only needs it to pick a deep page
DEEP_PAGE = 1000  # the "page 1000", or the last page when there are fewer
LABELS = 500  # the QR labels for 500 assets
REGISTER_PDF_ROWS = 5_000  # the register PDF: the first 5,000 rows of the register


@dataclass
class Page:
    key: str  # a stable name for the tables, e.g. "assets:asset_list filter"
    kind: str  # list | detail | home | page
    user: str  # the demo username the page is requested as
    url: str
    admin_url: str = ""  # the Django admin changelist of the same data (lists only)


@dataclass
class Document:
    key: str
    user: str
    url: str
    rows: str = ""  # what is printed, e.g. "1,713 lines"


# (url name, user, model whose admin changelist shows the same data, the filter's field, searched by name?)
LISTS = [
    ("assets:asset_list", "head", "assets.Asset", "category", True),
    ("assets:repair_queue", "head", "assets.RepairRequest", "status", True),
    ("assets:repair_mine", "teacher", "", "", False),
    ("assets:stocktake_list", "head", "assets.Stocktake", "status", False),
    ("assets:loan_list", "head", "assets.AssetLoan", "status", False),
    ("assets:damage_list", "head", "assets.DamageRecord", "status", False),
    ("assets:writeoff_list", "head", "assets.WriteOff", "status", False),
    ("assets:supply_list", "head", "assets.SupplyItem", "kind", True),
    ("assets:requisition_queue", "head", "assets.Requisition", "status", False),
    ("assets:distribution_list", "head", "assets.Distribution", "", False),
    ("assets:print_list", "head", "assets.PrintRequest", "status", False),
    ("assets:schedule_list", "head", "assets.CheckSchedule", "", False),
    ("finance:purchase_list", "finance", "finance.PurchaseRequest", "status", True),
    ("finance:budget_list", "finance", "finance.BudgetLine", "", False),
    ("finance:invoice_list", "finance", "finance.Invoice", "", False),
    ("finance:ledger", "finance", "finance.LedgerEntry", "direction", False),
    ("finance:fee_list", "finance", "finance.FeeItem", "term", False),
    ("finance:aid_list", "finance", "finance.AidApplication", "status", False),
    ("canteen:sample_log", "canteen", "canteen.Sample", "", False),
    ("canteen:disinfection_log", "canteen", "canteen.Disinfection", "", False),
    ("canteen:accompanied_list", "canteen", "canteen.AccompaniedMeal", "", False),
    ("canteen:menu_list", "canteen", "canteen.MenuWeek", "", False),
    ("canteen:staff_list", "canteen", "canteen.CanteenStaff", "", False),
    ("canteen:supplier_list", "canteen", "canteen.Supplier", "", False),
    ("canteen:delivery_list", "canteen", "canteen.Delivery", "", False),
    ("canteen:inspection_list", "canteen", "canteen.Inspection", "", False),
    ("canteen:checklist_list", "canteen", "canteen.Checklist", "", False),
    ("safety:ledger", "safety", "", "", False),
    ("safety:plan_list", "safety", "safety.InspectionPlan", "", False),
    ("safety:inspection_list", "safety", "safety.Inspection", "", False),
    ("safety:hazard_list", "safety", "", "", False),
    ("safety:emergencyplan_list", "safety", "safety.EmergencyPlan", "", False),
    ("safety:drill_list", "safety", "safety.Drill", "", False),
    ("safety:duty_roster", "safety", "safety.DutyShift", "", False),
    ("safety:vehicle_list", "safety", "safety.Vehicle", "", False),
    ("safety:trip_check_list", "safety", "safety.TripCheck", "", False),
    ("safety:pledge_list", "safety", "safety.Pledge", "", False),
    ("findings:list", "head", "logistics.Finding", "", False),
    ("summary:list", "principal", "logistics.TermSummary", "", False),
]

# Pages that are neither lists nor records: (url name, user).
OTHER_PAGES = [
    ("finance:purchase_inbox", "principal"),
    ("canteen:today", "canteen"),
    ("safety:today", "safety"),
    ("finance:home", "finance"),
    ("canteen:checks_today", "canteen"),
    ("assets:asset_report", "head"),
    ("finance:monthly_report", "finance"),
]

# (url name, user, model): the newest record of the model is opened.
DETAILS = [
    ("assets:asset_detail", "head", "assets.Asset"),
    ("assets:repair_detail", "head", "assets.RepairRequest"),
    ("assets:check_task_detail", "head", "assets.CheckTask"),
    ("assets:stocktake_detail", "head", "assets.Stocktake"),
    ("assets:stocktake_room", "head", "assets.StocktakeRoom"),
    ("assets:loan_detail", "head", "assets.AssetLoan"),
    ("assets:damage_detail", "head", "assets.DamageRecord"),
    ("assets:writeoff_detail", "head", "assets.WriteOff"),
    ("assets:supply_detail", "head", "assets.SupplyItem"),
    ("assets:requisition_detail", "head", "assets.Requisition"),
    ("assets:distribution_detail", "head", "assets.Distribution"),
    ("assets:print_detail", "head", "assets.PrintRequest"),
    ("finance:purchase_detail", "finance", "finance.PurchaseRequest"),
    ("finance:budget_detail", "finance", "finance.BudgetLine"),
    ("finance:invoice_detail", "finance", "finance.Invoice"),
    ("finance:ledger_entry", "finance", "finance.LedgerEntry"),
    ("finance:fee_detail", "finance", "finance.FeeItem"),
    ("finance:aid_detail", "finance", "finance.AidApplication"),
    ("canteen:staff_detail", "canteen", "canteen.CanteenStaff"),
    ("canteen:supplier_detail", "canteen", "canteen.Supplier"),
    ("canteen:delivery_detail", "canteen", "canteen.Delivery"),
    ("canteen:inspection_detail", "canteen", "canteen.Inspection"),
    ("safety:plan_detail", "safety", "safety.InspectionPlan"),
    ("safety:inspection_detail", "safety", "safety.Inspection"),
    ("safety:emergencyplan_detail", "safety", "safety.EmergencyPlan"),
    ("safety:drill_detail", "safety", "safety.Drill"),
    ("safety:shift_detail", "safety", "safety.DutyShift"),
    ("safety:vehicle_detail", "safety", "safety.Vehicle"),
    ("safety:driver_detail", "safety", "safety.Driver"),
    ("safety:route_detail", "safety", "safety.Route"),
    ("safety:trip_check_detail", "safety", "safety.TripCheck"),
    ("safety:pledge_detail", "safety", "safety.Pledge"),
    ("findings:detail", "head", "logistics.Finding"),
    ("summary:detail", "principal", "logistics.Term"),
]

HOME_USERS = ["teacher", "logistics", "head", "principal", "finance", "canteen", "safety", "auditor"]


@dataclass
class Catalogue:
    pages: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (key, why)


def _newest_pk(label):
    return apps.get_model(label).objects.order_by("-pk").values_list("pk", flat=True).first()


def _admin_url(label):
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model.lower()}_changelist") if label else ""


def _with(url, **params):
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}"


def _list_pages(cat, name, user, label, filter_field, searched):
    url = reverse(name)
    admin_url = _admin_url(label) if label else ""
    cat.pages.append(Page(name, "list", user, url, admin_url))
    if not label:
        return
    model = apps.get_model(label)
    if filter_field:
        value = model.objects.order_by("-pk").values_list(filter_field, flat=True).first()
        if value is None:
            cat.skipped.append((f"{name} filter", f"no {label} with a {filter_field}"))
        else:
            cat.pages.append(Page(f"{name} filter", "list", user, _with(url, **{filter_field: value}),
                                  _admin_filter(model, admin_url, filter_field, value)))
    rows = model.objects.count()
    if rows > PAGE_SIZE:
        deep = min(DEEP_PAGE, (rows + PAGE_SIZE - 1) // PAGE_SIZE)
        from django.contrib import admin

        per_admin_page = admin.site._registry[model].list_per_page  # the same rows on the admin's pages
        cat.pages.append(Page(f"{name} page {deep}", "list", user, _with(url, page=deep),
                              _with(admin_url, p=max(1, (deep - 1) * PAGE_SIZE // per_admin_page + 1))))
    if searched:
        name_field = "name" if _has(model, "name") else "title"
        words = model.objects.order_by("-pk").values_list(name_field, flat=True).first()
        if words:
            word = words.split()[0][:8]
            cat.pages.append(Page(f"{name} search name", "list", user, _with(url, q=word), _with(admin_url, q=word)))
        if _has(model, "tag"):
            tag = model.objects.order_by("-pk").values_list("tag", flat=True).first()
            if tag:
                cat.pages.append(Page(f"{name} search tag", "list", user, _with(url, q=tag), _with(admin_url, q=tag)))


def _admin_filter(model, admin_url, field_name, value):
    """The admin changelist with the same filter, when the admin offers that filter (else none to compare)."""
    from django.contrib import admin

    if field_name not in admin.site._registry[model].list_filter:
        return ""
    lookup = f"{field_name}__id__exact" if model._meta.get_field(field_name).is_relation else f"{field_name}__exact"
    return _with(admin_url, **{lookup: value})


def _has(model, *names):
    fields = {f.name for f in model._meta.get_fields()}
    return any(n in fields for n in names)


def _documents(cat):
    """Printed documents and exports, each at the biggest size the data offers."""
    docs = []
    term = _newest_pk("logistics.Term")
    if term:
        docs.append(Document("term summary PDF", "principal", reverse("summary:pdf", args=[term])))
    room = (apps.get_model("assets.StocktakeRoom").objects.annotate(n=Count("lines"))
            .order_by("-n", "-pk").values_list("pk", "n").first())
    if room:
        docs.append(Document("stocktake sheet", "head", reverse("assets:stocktake_room_print", args=[room[0]]),
                             f"{room[1]:,} lines"))
    # The register's documents are background jobs (logistics.jobs): their functions are run directly.
    from .document import job_url

    assets = apps.get_model("assets.Asset").objects.count()
    labels = list(apps.get_model("assets.Asset").objects.order_by("pk").values_list("pk", flat=True)[:LABELS])
    if labels:
        docs.append(Document("QR labels", "head", job_url("assets.labels_pdf", ids=labels), f"{len(labels):,} labels"))
    on_books = min(REGISTER_PDF_ROWS, assets)
    docs.append(Document("register PDF", "head", job_url("assets.register_pdf", limit=REGISTER_PDF_ROWS),
                         f"first {on_books:,} assets"))
    docs.append(Document("register xlsx export", "head", job_url("assets.register_xlsx", status="all"),
                         f"{assets:,} assets"))
    docs += [
        Document("asset report PDF", "head", reverse("assets:asset_report_pdf")),
        Document("asset report xlsx", "head", reverse("assets:asset_report_xlsx")),
        Document("monthly ledger PDF", "finance", reverse("finance:monthly_report_pdf")),
        Document("monthly ledger xlsx", "finance", reverse("finance:monthly_report_xlsx")),
        Document("canteen delivery log PDF", "canteen", reverse("canteen:delivery_log_print")),
        Document("duty roster PDF", "safety", reverse("safety:duty_roster_print")),
    ]
    # The term's safety ledger: printed by the worker when the term is long (safety.documents), as it is here.
    term = apps.get_model("logistics.Term").objects.current()
    if term is not None:
        docs.append(Document("safety ledger PDF", "safety", job_url("safety.ledger_pdf", term=term.pk), term.name))
    cat.documents = docs


def build_pages(*, documents=True):
    """Every page and document the benchmark measures, with ids from the database."""
    cat = Catalogue()
    for user in HOME_USERS:
        cat.pages.append(Page(f"home ({user})", "home", user, reverse("home")))
    for spec in LISTS:
        _list_pages(cat, *spec)
    for name, user in OTHER_PAGES:
        cat.pages.append(Page(name, "page", user, reverse(name)))
    for name, user, label in DETAILS:
        pk = _newest_pk(label)
        if pk is None:
            cat.skipped.append((name, f"no {label} in the database"))
        else:
            cat.pages.append(Page(name, "detail", user, reverse(name, args=[pk])))
    meal = apps.get_model("canteen.Meal").objects.order_by("-date", "-pk").values_list("date", "kind").first()
    if meal:
        cat.pages.append(Page("canteen:meal_detail", "detail", "canteen",
                              reverse("canteen:meal_detail", args=[meal[0], meal[1]])))
    if documents:
        _documents(cat)
    return cat


def data_size():
    """The rows that decide the data's size, for the output's heading."""
    counts = {label: apps.get_model(label).objects.count() for label in (
        "assets.Asset", "assets.RepairRequest", "finance.PurchaseRequest", "assets.StocktakeLine",
        "logistics.Location", "auth.User")}
    counts["history rows"] = sum(m.objects.count() for m in apps.get_models()
                                 if m.__name__.startswith("Historical"))
    return counts
