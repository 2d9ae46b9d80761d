"""The register's long documents, made in the background (logistics.jobs; declared in AssetsConfig.jobs): the
register printed as a PDF (all of it or as filtered, what schools file at year end), the Excel export and the QR
label sheet. Each is ``run(job, progress) -> (filename, bytes)`` and reads the register in a fixed number of
queries, whatever its size; the views that start them are in views/documents.py."""
import hashlib

from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from logistics.jobs.services import JobFailed
from logistics.pdf import render_pdf
from logistics.services import format_money
from logistics.textcolumns import SEPARATOR, paginate, row_lines

from . import excel
from .forms.register import AssetFilterForm
from .selectors import register as selectors

# The register PDF's limit: a bigger school prints it by building or category (a 20,000-row PDF is 500 pages).
MAX_PDF_ROWS = 20_000
MAX_LABELS = 1_000  # about 42 A4 sheets of 24
LABELS_PER_ROW = 3
READ_CHUNK = 2_000


def filter_parameters(request):
    """The register's filters in the request's query string, as a job's parameters keep them."""
    params = {key: [v for v in request.GET.getlist(key) if v] for key in sorted(request.GET)
              if key not in ("page", "ids")}
    return {key: values for key, values in params.items() if values}  # an empty field filters nothing


def filtered_register(filters):
    """(form, queryset) of the register filtered as a job's parameters say (an invalid filter: everything)."""
    form = AssetFilterForm(MultiValueDict(filters or {}) or None)
    qs = selectors.filter_assets(selectors.asset_list(), form.cleaned_data if form.is_valid() else None)
    return form, qs


def filter_words(form):
    """The applied filters as [(label, value)] for the document's heading."""
    if not form.is_bound or not form.is_valid():
        return []
    words = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        if hasattr(field, "queryset"):
            shown = getattr(value, "get_full_name", lambda: "")() or str(value)
        elif getattr(field, "choices", None):
            shown = dict(field.choices).get(value, value)
        else:
            shown = value
        words.append((field.label, shown))
    return words


def _stamp():
    return timezone.localtime().strftime("%Y%m%d-%H%M")


# --- the register as a PDF -------------------------------------------------------------------------------
#
# WeasyPrint spends about 3 ms on every box it lays out: a 5,000-row register of 18 columns as table cells is
# 90,000 boxes (over four minutes, and gigabytes). So the register is paginated here and each page is one box:
# its rows written as preformatted text in the monospaced Chinese font (WenQuanYi Micro Hei Mono, which
# fonts-wqy-microhei installs: a Chinese character 1 em wide, anything else 0.6 em), padded to the columns' widths
# and wrapped inside its column when too long (nothing is cut), the column header repeated on every page.

# (header, width in Latin characters, right-aligned): 199 characters with the rules between, on A4 landscape at
# 6.5 pt (the font's Latin characters are 0.6 em wide: 201 fit).
REGISTER_COLUMNS = [
    (pgettext_lazy("register column", "No."), 5, True),
    (pgettext_lazy("register column", "Tag"), 13, False),
    (pgettext_lazy("register column", "Name"), 19, False),
    (pgettext_lazy("register column", "Category code"), 10, False),
    (pgettext_lazy("register column", "Brand"), 8, False),
    (pgettext_lazy("register column", "Model / spec"), 14, False),
    (pgettext_lazy("register column", "Unit"), 5, False),
    (pgettext_lazy("register column", "Quantity"), 5, True),
    (pgettext_lazy("register column", "Unit price"), 10, True),
    (pgettext_lazy("register column", "Original value"), 11, True),
    (pgettext_lazy("register column", "Acquired on"), 10, False),
    (pgettext_lazy("register column", "Invoice no."), 10, False),
    (pgettext_lazy("register column", "Funding source"), 10, False),
    (pgettext_lazy("register column", "Department"), 10, False),
    (pgettext_lazy("register column", "User"), 7, False),
    (pgettext_lazy("register column", "Location"), 17, False),
    (pgettext_lazy("register column", "Serial no."), 12, False),
    (pgettext_lazy("register column", "Status"), 6, False),
]


def register_line(values, columns=REGISTER_COLUMNS):
    """One row of the register as fixed-width text (several lines when a cell is longer than its column)."""
    return "\n".join(SEPARATOR.join(padding + text if right else text + padding for text, padding, right in line)
                     .rstrip() for line in row_lines(values, columns))


REGISTER_FIELDS = ("tag", "name", "category__code", "brand", "spec", "unit", "quantity", "unit_price", "acquired_on",
                   "invoice_number", "funding_source", "department__name", "custodian__first_name",
                   "custodian__last_name", "custodian__username", "location__building__name", "location__name",
                   "serial_number", "status")


def register_rows(qs, progress=None):
    """The printed register's rows (each one text, read in chunks: one query per READ_CHUNK rows) and its totals."""
    from .models import Asset, FundingSource

    funding = {k: str(v) for k, v in FundingSource.choices}
    statuses = {k: str(v) for k, v in Asset.Status.choices}
    rows, records, items, value = [], 0, 0, 0
    for n, r in enumerate(qs.values_list(*REGISTER_FIELDS).iterator(chunk_size=READ_CHUNK), start=1):
        (tag, name, code, brand, spec, unit, quantity, price, acquired, invoice, fund, dept, first, last, username,
         building, room, serial, status) = r
        total_value = price * quantity
        person = f"{last}{first}".strip() if (first or last) else (username or "")
        rows.append(register_line((n, tag, name, code, brand, spec, unit, quantity, f"{price:,.2f}",
                                   f"{total_value:,.2f}", acquired.isoformat(), invoice, funding.get(fund, fund),
                                   dept or "", person, f"{building}/{room}", serial, statuses.get(status, status))))
        records, items, value = records + 1, items + quantity, value + total_value
        if progress and n % 500 == 0:
            progress(n)
    return rows, {"records": records, "items": items, "value": value}


# Lines of text on a page (A4 landscape, 6.5 pt on 8.5 pt lines: 61 fit; one spare for rounding)
PAGE_LINES = 59
FIRST_PAGE_LINES = 46  # the title, the school and the filters take the rest


def register_pages(header, rows):
    """The rows laid out in pages of text: [(rows text)], each page at most PAGE_LINES lines with the header."""
    header_lines = header.count("\n") + 1
    pages = paginate(rows, lambda row: row.count("\n") + 1, FIRST_PAGE_LINES - header_lines,
                     PAGE_LINES - header_lines)
    return ["\n".join(page) for page in pages] or [""]


def register_pdf(job, progress):
    """The register (as filtered when the job was started) printed as an A4 landscape PDF: the school's header, the
    columns of the year-end register (repeated on every page), the totals of count and value at the end."""
    form, qs = filtered_register(job.parameters.get("filters"))
    if job.parameters.get("limit"):  # the first rows only (the benchmark's 5,000)
        qs = qs.filter(pk__in=list(qs.values_list("pk", flat=True)[:int(job.parameters["limit"])]))
    total = qs.order_by().count()
    if total > MAX_PDF_ROWS:
        raise JobFailed(_("The register PDF can hold at most %(max)s assets; this list has %(n)s. Filter it (a "
                          "building, a category) and print each part.") % {"max": f"{MAX_PDF_ROWS:,}",
                                                                           "n": f"{total:,}"})
    # Three units of work a row: reading it, then (twice as long) laying it out.
    units = total * 3 or 1
    progress(0, units)
    rows, totals = register_rows(qs, lambda n: progress(n, units))
    header = register_line([str(h) for h, _w, _r in REGISTER_COLUMNS])
    pdf = render_pdf("print/asset_register.html", {
        "header": header, "pages": register_pages(header, rows), "totals": totals,
        "value": format_money(totals["value"]), "filters": filter_words(form), "printed_at": timezone.localtime(),
        "printed_by": job.owner,
    }, base_url=job.parameters.get("base_url") or None)
    progress(units, units)
    return f"asset-register-{_stamp()}.pdf", pdf


# --- a large import --------------------------------------------------------------------------------------------

# A register file larger than this is read and imported in the background (about 1,500 rows): a smaller one while
# the user waits, with its errors shown on the import page.
IMPORT_IN_BACKGROUND_BYTES = 200_000
# The errors a failed background import lists (the page of a small one shows up to excel.MAX_ERRORS).
JOB_ERRORS_SHOWN = 20
IMPORT_DIR = "job-input"


def save_import_upload(user, upload):
    """Keep an uploaded register file where the worker reads it: named by the owner and the file's content, so a
    second click on the same file finds the job the first one started. Returns the job's parameters."""
    from django.core.files.storage import default_storage

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    path = f"{IMPORT_DIR}/{user.pk}-{digest.hexdigest()[:32]}.xlsx"
    if not default_storage.exists(path):
        path = default_storage.save(path, upload)
    return {"upload": path, "name": upload.name[:200]}


def register_import(job, progress):
    """A large register file (assets.views.register.asset_import) read, checked and registered all at once, as
    on the import page; the file it makes lists the new assets with their tags (for the labels). When a row is
    wrong nothing is imported, and the job says which rows and why."""
    from django.core.exceptions import ValidationError
    from django.core.files import File
    from django.core.files.storage import default_storage

    from .services import register as register_services

    path, name = job.parameters["upload"], job.parameters.get("name") or "import.xlsx"
    progress(0, 3)
    try:
        with default_storage.open(path, "rb") as handle:
            try:
                parsed = excel.read_register(File(handle, name=name))
            except excel.ImportRefused as e:
                raise JobFailed(str(e)) from None
        progress(1, 3)
        if parsed.error_count:
            # One problem a line (the job's page keeps the line breaks): a row's message ends with its own full stop.
            listed = "".join(
                "\n" + (_("row %(row)s, %(column)s: %(message)s") if e.column else _("row %(row)s: %(message)s")) % {
                    "row": e.row, "column": e.column, "message": e.message} for e in parsed.errors[:JOB_ERRORS_SHOWN])
            raise JobFailed(_("Nothing was imported: %(n)s problems in the file. Correct them and upload it again. "
                              "%(listed)s") % {"n": parsed.error_count, "listed": listed}
                            + ("\n…" if parsed.error_count > JOB_ERRORS_SHOWN else ""))
        try:
            created = register_services.asset_import(by=job.owner, rows=[r for _n, r in parsed.rows], source=name)
        except ValidationError as e:
            raise JobFailed(" ".join(e.messages)) from None
        progress(2, 3)
        data = excel.export_register(selectors.asset_list().filter(pk__in=[a.pk for a in created]).order_by("tag"))
        progress(3, 3)
        return f"imported-assets-{_stamp()}.xlsx", data
    finally:
        default_storage.delete(path)


# --- the Excel export --------------------------------------------------------------------------------------

def register_xlsx(job, progress):
    """The register (as filtered) as .xlsx, the import template's columns with tag, status and value."""
    _form, qs = filtered_register(job.parameters.get("filters"))
    total = qs.order_by().count()
    progress(0, total or 1)
    data = excel.export_register(qs, progress=lambda n: progress(n, total or 1))
    return f"asset-register-{_stamp()}.xlsx", data


# --- QR labels -----------------------------------------------------------------------------------------------

def qr_data_uri(url):
    """A QR code of url as an SVG data URI (one label printed while the user waits)."""
    import segno

    return segno.make(url, error="m", micro=False, mask=QR_MASK).svg_data_uri(scale=4, border=2, dark="#000")


# Any of the eight masks makes a valid code; choosing the best one costs eight encodings (6 of the 13 s that 500
# labels took). A sheet of labels draws its codes as small PNGs (drawn crisp: image-rendering: pixelated), which
# WeasyPrint places as images, where an SVG code is hundreds of rectangles to lay out and draw.
QR_MASK = 0


def qr_png_data_uri(url):
    import segno

    return segno.make(url, error="m", micro=False, mask=QR_MASK).png_data_uri(scale=4, border=2, dark="#000")


def label_assets(parameters):
    """The assets whose labels are asked for: the ticked ones (ids), else the filtered register."""
    ids = [int(i) for i in parameters.get("ids") or [] if str(i).isdigit()]
    if ids:
        return selectors.asset_list().filter(pk__in=ids)
    return filtered_register(parameters.get("filters"))[1]


def labels_pdf(job, progress):
    """An A4 sheet of QR labels (3 × 8 a page) for the ticked assets or the filtered register."""
    qs = label_assets(job.parameters)
    assets = list(qs[:MAX_LABELS + 1])
    if not assets:
        raise JobFailed(_("No assets to print labels for."))
    if len(assets) > MAX_LABELS:
        raise JobFailed(_("That is more than %(n)s labels: narrow the list (e.g. one building) and print again.")
                        % {"n": MAX_LABELS})
    total = len(assets) * 2
    progress(0, total)
    base = (job.parameters.get("base_url") or "http://localhost/").rstrip("/")
    labels = []
    for n, a in enumerate(assets, start=1):
        labels.append({"asset": a, "qr": qr_png_data_uri(base + reverse("assets:asset_detail", args=[a.pk]))})
        if n % 100 == 0:
            progress(n, total)
    rows = [labels[i:i + LABELS_PER_ROW] for i in range(0, len(labels), LABELS_PER_ROW)]
    pdf = render_pdf("print/asset_labels.html", {"rows": rows, "per_row": LABELS_PER_ROW},
                     base_url=job.parameters.get("base_url") or None)
    progress(total, total)
    return f"asset-labels-{_stamp()}.pdf", pdf
