"""The register as an Excel workbook (openpyxl): the blank template, reading a filled one with every row
checked before anything is saved, and exporting a filtered list.

Column headers are the Chinese ones schools and finance bureaux use (domain/RULES.md, register columns);
they are the same in every UI language because the file goes to the bureau as it is.
"""
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from logistics.models import Department, Location
from logistics.services import join_list, parse_money
from logistics.sheets import FORMULA_START, append_row, zip_parts_problem

from .models import Asset, AssetCategory, FundingSource
from .services.register import EDITABLE_STATUSES, MAX_PRICE, MAX_QUANTITY, TAG_RE, find_category

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS = 200
SHEET_NAME = "资产登记"
HELP_SHEET = "填写说明"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False  # the cell must be filled
    width: int = 14
    note: str = ""


# The template's columns, in order. All must be in the file (in any order).
COLUMNS = [
    Column("name", "资产名称", True, 22, "必填"),
    Column("category", "分类代码/分类", True, 22, "必填：分类代码(如 A02010105)或分类名称，见“填写说明”"),
    Column("brand", "品牌", width=12),
    Column("spec", "型号规格", width=18),
    Column("unit", "计量单位", width=9, note="台、套、张、册、盆…，空白为“台”"),
    Column("quantity", "数量", width=8, note="整数，至少 1；空白为 1。成批登记(课桌 45 张)填总数"),
    Column("unit_price", "单价", True, 11, "必填：元，不能为负数"),
    Column("acquired_on", "取得日期", True, 12, "必填：如 2024-09-01"),
    Column("invoice_number", "发票号", width=14),
    Column("funding_source", "经费来源", width=11, note="财政拨款、自筹、捐赠、其他；空白为财政拨款"),
    Column("department", "使用部门", width=11, note="部门名称，见“填写说明”"),
    Column("custodian", "责任人(用户名)", width=14, note="系统用户名或姓名，见“填写说明”"),
    Column("location", "存放地点(楼宇/房间)", True, 20, "必填：如 教学楼/一(1)班，见“填写说明”"),
    Column("serial_number", "SN号", width=16, note="设备序列号，不能重复"),
    Column("notes", "备注", width=20),
]
# Accepted but not in the template: an export read back in keeps its tags and status; the value is computed.
OPTIONAL_COLUMNS = [
    Column("tag", "资产编号", width=15, note="可不填：由系统编号 ZC-年份-序号"),
    Column("status", "资产状态", width=9),
]
IGNORED_HEADERS = {"原值", "金额", "序号"}
EXPORT_COLUMNS = [OPTIONAL_COLUMNS[0]] + COLUMNS + [OPTIONAL_COLUMNS[1], Column("total", "原值", width=13)]

FUNDING_WORDS = {
    "财政拨款": FundingSource.FISCAL, "财政": FundingSource.FISCAL, "fiscal": FundingSource.FISCAL,
    "自筹": FundingSource.SELF, "自筹资金": FundingSource.SELF, "self": FundingSource.SELF,
    "捐赠": FundingSource.DONATION, "donation": FundingSource.DONATION,
    "其他": FundingSource.OTHER, "非财政拨款": FundingSource.OTHER, "other": FundingSource.OTHER,
}
FUNDING_NAMES = {FundingSource.FISCAL: "财政拨款", FundingSource.SELF: "自筹", FundingSource.DONATION: "捐赠",
                 FundingSource.OTHER: "其他"}
STATUS_NAMES = {
    Asset.Status.IN_USE: "在用", Asset.Status.IDLE: "闲置", Asset.Status.ON_LOAN: "出借",
    Asset.Status.UNDER_REPAIR: "维修中", Asset.Status.DAMAGED: "损坏", Asset.Status.WRITTEN_OFF: "已报废",
    Asset.Status.LOST: "丢失",
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _norm_header(value):
    text = str(value or "").strip().replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", text)


HEADER_KEYS = {_norm_header(c.header): c for c in COLUMNS + OPTIONAL_COLUMNS}


class ImportRefused(Exception):
    """The file cannot be read at all (not Excel, too big, wrong columns)."""


@dataclass
class RowError:
    row: int  # the row number Excel shows
    column: str  # the column's header, or "" for the whole row
    message: str


@dataclass
class ParsedFile:
    rows: list = field(default_factory=list)  # [(excel row number, {field: value})]
    errors: list = field(default_factory=list)  # [RowError]
    error_count: int = 0

    def add(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))


# --- reading --------------------------------------------------------------------------------------

def check_upload(upload):
    """The uploaded file's bytes (a buffer), or ImportRefused when it is plainly not one to read: too large, an
    old .xls, not Excel, or a zip whose parts would expand too far (its directory is read before openpyxl
    inflates anything: a small file may expand to GBs). The upload is left at its start."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 10 MB. Split it into smaller files."))
    if name.lower().endswith(".xls"):
        raise ImportRefused(_("This is an old Excel file (.xls). Open it in Excel or WPS and save it as .xlsx."))
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused(_("This is not an Excel file. Upload the .xlsx template filled in."))
    data = upload.read(MAX_BYTES + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 10 MB. Split it into smaller files."))
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise ImportRefused(_("This is not an Excel file. Upload the .xlsx template filled in."))
    problem = zip_parts_problem(buffer)
    if problem:
        raise ImportRefused(problem)
    return buffer


def open_workbook(upload):
    """The workbook of an uploaded file, or ImportRefused saying why it cannot be read."""
    buffer = check_upload(upload)
    try:
        return load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused(_("This file could not be read as an Excel workbook. Save it again as .xlsx.")) from None


def _find_header(rows):
    """(row number, [Column or None per cell]) of the header row: the first of the top rows naming 资产名称."""
    for number, values in rows:
        headers = [_norm_header(v) for v in values]
        if "资产名称" in headers:
            return number, headers
        if number >= 10:
            break
    return None, None


class _Lookups:
    """Everything a row may refer to, read once (a handful of queries per file, whatever its length)."""

    def __init__(self):
        self.categories = list(AssetCategory.objects.all())
        locations = list(Location.objects.select_related("building"))
        self.locations = {(loc.building.name, loc.name): loc for loc in locations}
        self.rooms = {}
        for loc in locations:
            self.rooms.setdefault(loc.name, []).append(loc)
        self.departments = {d.name: d for d in Department.objects.all()}
        users = list(get_user_model().objects.filter(is_active=True))
        self.users = {u.get_username(): u for u in users}
        self.user_names = {}
        for u in users:
            if u.get_full_name():
                self.user_names.setdefault(u.get_full_name(), []).append(u)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 10000 < value < 80000:  # an Excel serial day number
        return from_excel(value).date()
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _parse_decimal(value):
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "")
    return Decimal(text)


def _parse_location(text, lookups):
    parts = [p.strip() for p in re.split(r"[/／·]", text) if p.strip()]
    if len(parts) >= 2:
        return lookups.locations.get((parts[0], "/".join(parts[1:])))
    if len(parts) == 1:
        matches = lookups.rooms.get(parts[0], [])
        return matches[0] if len(matches) == 1 else None
    return None


def _parse_person(text, lookups):
    if text in lookups.users:
        return lookups.users[text]
    matches = lookups.user_names.get(text, [])
    return matches[0] if len(matches) == 1 else None


def _status_from(text):
    for value, name in STATUS_NAMES.items():
        if text in (name, value, str(Asset.Status(value).label)):
            return value
    return None


def read_register(upload):
    """Read and check every row of an uploaded register file. Returns a ParsedFile: rows ready for
    services.asset_import when errors is empty. Raises ImportRefused when the file cannot be read."""
    workbook = open_workbook(upload)
    sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    numbered = ((n, row) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1))
    header_row, headers = _find_header(numbered)
    if header_row is None:
        raise ImportRefused(_("The header row was not found: the first rows must hold the column names "
                              "of the template (资产名称, 分类代码/分类, …). Download the template and copy "
                              "the data into it."))
    positions, unknown, seen = {}, [], set()
    for index, header in enumerate(headers):
        if not header:
            continue
        column = HEADER_KEYS.get(header)
        if column is None:
            if header not in IGNORED_HEADERS:
                unknown.append(header)
            continue
        if column.key in seen:
            raise ImportRefused(_("The column “%(column)s” appears twice.") % {"column": column.header})
        seen.add(column.key)
        positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": join_list(missing)})
        if unknown:
            parts.append(_("not in the template: %(columns)s") % {"columns": join_list(unknown)})
        raise ImportRefused(_("The columns do not match the template (%(problems)s). Download the template and "
                              "copy the data into it.") % {"problems": "; ".join(parts)})

    lookups = _Lookups()
    result = ParsedFile()
    headers_by_key = {c.key: c.header for c in COLUMNS + OPTIONAL_COLUMNS}
    tags_seen, serials_seen = {}, {}
    today = timezone.localdate()
    count = 0
    for number, values in numbered:
        cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportRefused(_("The file has more than %(n)s rows. Split it into smaller files.")
                                % {"n": f"{MAX_ROWS:,}"})
        errors_before = result.error_count
        row = _check_row(number, cells, lookups, result, headers_by_key, today)
        if row.get("tag"):
            if row["tag"] in tags_seen:
                result.add(number, headers_by_key["tag"], _("Tag %(tag)s is also on row %(other)s.")
                           % {"tag": row["tag"], "other": tags_seen[row["tag"]]})
            tags_seen.setdefault(row["tag"], number)
        if row.get("serial_number"):
            if row["serial_number"] in serials_seen:
                result.add(number, headers_by_key["serial_number"],
                           _("Serial number %(sn)s is also on row %(other)s.")
                           % {"sn": row["serial_number"], "other": serials_seen[row["serial_number"]]})
            serials_seen.setdefault(row["serial_number"], number)
        if result.error_count == errors_before:
            result.rows.append((number, row))
    workbook.close()
    if count == 0:
        raise ImportRefused(_("The file has no assets in it: fill in one row per asset under the header."))
    _check_against_register(result, tags_seen, serials_seen, headers_by_key)
    return result


def _check_row(number, cells, lookups, result, headers, today):
    """The row's values for services.asset_import; its errors are added to result."""
    row = {}

    def error(key, message):
        result.add(number, headers[key], message)

    for column in COLUMNS:
        if column.required and _text(cells.get(column.key)) == "":
            error(column.key, _("This cell must be filled in."))
    name = _text(cells.get("name"))
    if len(name) > 100:
        error("name", _("At most %(n)s characters.") % {"n": 100})
    row["name"] = name
    for key, limit in (("brand", 60), ("spec", 120), ("unit", 10), ("invoice_number", 40),
                       ("serial_number", 60), ("notes", 2000)):
        value = _text(cells.get(key))
        if len(value) > limit:
            error(key, _("At most %(n)s characters.") % {"n": limit})
        row[key] = value
    row["unit"] = row["unit"] or "台"

    if text := _text(cells.get("category")):
        row["category"] = find_category(text, lookups.categories)
        if row["category"] is None:
            error("category", _("No category “%(value)s”. Use a code or name from the instructions sheet.")
                  % {"value": text})
    quantity = cells.get("quantity")
    if _text(quantity) == "":
        row["quantity"] = 1
    else:
        try:
            q = _parse_decimal(quantity)
            if q != q.to_integral_value():
                raise ValueError
            row["quantity"] = int(q)
            if not 1 <= row["quantity"] <= MAX_QUANTITY:
                error("quantity", _("The quantity is a whole number of at least 1."))
        except (ValueError, InvalidOperation):
            error("quantity", _("“%(value)s” is not a whole number.") % {"value": _text(quantity)})
    price = cells.get("unit_price")
    if _text(price) != "":
        try:
            row["unit_price"] = parse_money(price, allow_zero=True, maximum=MAX_PRICE)
        except ValidationError as e:
            error("unit_price", {
                "invalid": _("“%(value)s” is not a price.") % {"value": _text(price)},
                "min_value": _("The unit price cannot be negative."),
                "max_value": _("The unit price is too large."),
            }.get(e.code, e.messages[0]))
    acquired = cells.get("acquired_on")
    if _text(acquired) != "":
        try:
            row["acquired_on"] = _parse_date(acquired)
            if row["acquired_on"] > today:
                error("acquired_on", _("The date is in the future."))
        except (ValueError, OverflowError):
            error("acquired_on", _("“%(value)s” is not a date; write it like 2024-09-01.") % {"value": _text(acquired)})
    funding = _text(cells.get("funding_source"))
    row["funding_source"] = FUNDING_WORDS.get(funding.lower() if funding.isascii() else funding) if funding \
        else FundingSource.FISCAL
    if row["funding_source"] is None:
        error("funding_source", _("“%(value)s” is not a funding source: write 财政拨款, 自筹, 捐赠 or 其他.")
              % {"value": funding})
    if text := _text(cells.get("department")):
        row["department"] = lookups.departments.get(text)
        if row["department"] is None:
            error("department", _("No department “%(value)s”.") % {"value": text})
    if text := _text(cells.get("custodian")):
        row["custodian"] = _parse_person(text, lookups)
        if row["custodian"] is None:
            error("custodian", _("No user “%(value)s” (write the user name, or a full name that is unique).")
                  % {"value": text})
    if text := _text(cells.get("location")):
        row["location"] = _parse_location(text, lookups)
        if row["location"] is None:
            error("location", _("No place “%(value)s”: write building/room, e.g. 教学楼/一(1)班.") % {"value": text})
        elif not row["location"].active:
            error("location", _("%(place)s is no longer in use.") % {"place": text})
    if text := _text(cells.get("tag")).upper():
        if len(text) > 20:
            error("tag", _("At most %(n)s characters.") % {"n": 20})
        elif text.startswith("ZC-") and not TAG_RE.match(text):
            error("tag", _("Tags starting with ZC- look like ZC-2026-00001; leave the cell empty to get one."))
        row["tag"] = text
    if text := _text(cells.get("status")):
        row["status"] = _status_from(text)
        if row["status"] not in EDITABLE_STATUSES:
            error("status", _("An imported asset is in use (在用), idle (闲置), under repair (维修中) "
                              "or damaged (损坏)."))
    return row


def _check_against_register(result, tags, serials, headers):
    """Tags and serial numbers of the file that the register already holds (one query per 900 values)."""
    from .services.register import serials_in_use, tags_in_use

    for tag in sorted(tags_in_use(tags)):
        result.add(tags[tag], headers["tag"], _("Tag %(tag)s is already in the register.") % {"tag": tag})
    for serial, tag in sorted(serials_in_use(serials).items()):
        result.add(serials[serial], headers["serial_number"],
                   _("Serial number %(sn)s is already registered as %(tag)s.") % {"sn": serial, "tag": tag})
    if result.error_count:
        result.errors.sort(key=lambda e: e.row)


# --- writing --------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBE6")
REQUIRED_FILL = PatternFill("solid", fgColor="F6D6D3")


def _save(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header(sheet, columns):
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def register_template():
    """The blank register (.xlsx bytes): Chinese headers, required ones in red, and a sheet listing what
    the cells may name (categories, places, departments, people), used by the drop-down lists."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = SHEET_NAME
    _header(sheet, COLUMNS)
    help_sheet = wb.create_sheet(HELP_SHEET)
    help_sheet.append(["列", "说明"])
    for column in COLUMNS + OPTIONAL_COLUMNS[:1]:
        help_sheet.append([column.header, column.note])
    help_sheet.append([])
    help_sheet.append(["每行登记一项资产，或一批相同的物品(如 45 张课桌、2000 册图书)并填写数量。"])
    help_sheet.append(["整个文件检查无误后才会导入；有错误时会按行号和列名列出，一项也不会导入。"])
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 60
    # Lists from column D on, one per kind; the main sheet's drop-downs point at them.
    lists = [
        ("分类", [str(c) for c in AssetCategory.objects.all()]),
        ("存放地点", [f"{loc.building.name}/{loc.name}"
                  for loc in Location.objects.filter(active=True).select_related("building")]),
        ("使用部门", list(Department.objects.values_list("name", flat=True))),
        ("责任人(用户名)", [f"{u.get_username()}" for u in get_user_model().objects.filter(is_active=True)
                        .order_by("username")]),
        ("责任人姓名", [u.get_full_name() for u in get_user_model().objects.filter(is_active=True)
                   .order_by("username")]),
        ("经费来源", list(FUNDING_NAMES.values())),
    ]
    targets = {"分类": "category", "存放地点": "location", "使用部门": "department", "责任人(用户名)": "custodian",
               "经费来源": "funding_source"}
    keys = [c.key for c in COLUMNS]
    for offset, (title, values) in enumerate(lists):
        col = get_column_letter(4 + offset)
        help_sheet.column_dimensions[col].width = 22
        help_sheet[f"{col}1"] = title
        help_sheet[f"{col}1"].font = HEADER_FONT
        for row, value in enumerate(values, start=2):
            help_sheet[f"{col}{row}"] = value
        if title in targets and values:
            target = get_column_letter(keys.index(targets[title]) + 1)
            validation = DataValidation(type="list", formula1=f"'{HELP_SHEET}'!${col}$2:${col}${len(values) + 1}",
                                        allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(validation)
            validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
    return _save(wb)


def export_register(queryset, progress=None):
    """The assets of a (filtered) queryset as .xlsx bytes, with the template's columns, their tag, status and
    value; it can be read back in as it is (its tags then have to be new to the register).

    The workbook is openpyxl's, in write-only mode (column widths, frozen header, styles); the rows, read 2,000 a
    query as plain values, are written into its sheet as XML directly: openpyxl spends about 25 µs a cell, which is
    20 s for the 50,000 rows of a big school, this 2 s. Text is an inline string (never a formula; text starting
    like one also keeps Excel's quote prefix, as logistics.sheets does), money a number shown as 1,234.50, dates
    dates. progress(rows written) is called every 1,000 rows."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(SHEET_NAME)
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([c.header for c in EXPORT_COLUMNS])
    # A row of each kind of cell the rows hold, written by openpyxl: its styles tell the numbers to use.
    append_row(sheet, [Decimal("1.00"), datetime.date(2000, 1, 1), "=probe"])
    workbook = _save(wb)
    styles = dict(re.findall(r'<c r="([ABC])2" s="(\d+)"', _sheet_xml(workbook)))
    money, date, quoted = (f' s="{styles[c]}"' if c in styles else "" for c in "ABC")

    fields = ("tag", "name", "category__code", "category__name", "brand", "spec", "unit", "quantity", "unit_price",
              "acquired_on", "invoice_number", "funding_source", "department__name", "custodian__username",
              "location__building__name", "location__name", "serial_number", "notes", "status")
    rows = queryset.values_list(*fields).iterator(chunk_size=2000)

    def text(value):
        return _string_cell(value, quoted)

    out = []
    number = 1
    for number, (tag, name, code, category, brand, spec, unit, quantity, price, acquired, invoice, funding,
                 department, custodian, building, room, serial, notes, status) in enumerate(rows, start=2):
        cells = "".join((
            text(tag), text(name), text(f"{code} {category}".strip()), text(brand), text(spec), text(unit),
            f"<c><v>{quantity}</v></c>", f"<c{money}><v>{price}</v></c>",
            f"<c{date}><v>{(acquired - EXCEL_EPOCH).days}</v></c>", text(invoice),
            text(FUNDING_NAMES.get(funding, funding)), text(department or ""), text(custodian or ""),
            text(f"{building}/{room}"), text(serial), text(notes), text(STATUS_NAMES.get(status, status)),
            f"<c{money}><v>{price * quantity}</v></c>",
        ))
        out.append(f'<row r="{number}">{cells}</row>')
        if progress and (number - 1) % 1000 == 0:
            progress(number - 1)
    return _replace_rows(workbook, "".join(out), number, len(EXPORT_COLUMNS))


EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Characters XML 1.0 cannot hold (openpyxl refuses them too): dropped from people's text.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET = "xl/worksheets/sheet1.xml"


def _string_cell(value, quoted):
    """An inline string cell (a string, never a formula); text starting like a formula keeps the quote prefix."""
    if value is None or value == "":
        return "<c/>"
    text = str(value)
    style = quoted if text.startswith(FORMULA_START) else ""
    text = _ILLEGAL_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'


def _sheet_xml(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        return z.read(_SHEET).decode()


def _replace_rows(workbook, rows_xml, last_row, columns):
    """The workbook with its sheet's rows after the header replaced by rows_xml."""
    source = io.BytesIO(workbook)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == _SHEET:
                xml = data.decode()
                xml = re.sub(r'<row r="2".*?</row>', lambda _m: rows_xml, xml, count=1, flags=re.S)
                xml = re.sub(r'<dimension ref="[^"]*"/>',
                             f'<dimension ref="A1:{get_column_letter(columns)}{max(last_row, 1)}"/>', xml, count=1)
                data = xml.encode()
            zout.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()
