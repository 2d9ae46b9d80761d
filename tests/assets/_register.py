"""Helpers shared by the register tests (plain functions: no fixtures outside conftest)."""
import io
from decimal import Decimal

from openpyxl import Workbook

from assets import excel
from assets.models import Asset, AssetCategory
from logistics.models import Department


def category(name="台式计算机", code="A02010105", fixed=True):
    return AssetCategory.objects.get_or_create(name=name, defaults={"code": code, "is_fixed_asset": fixed})[0]


def register(user, school, **kwargs):
    from assets import services

    fields = {"name": "台式计算机", "category": category(), "location": school["room"],
              "unit_price": Decimal("3650.00")}
    fields.update(kwargs)
    return services.asset_register(by=user, **fields)


def bulk_assets(n, school, start=0, year=2025):
    """n assets straight into the table (no history: fast), unique tags, spread over places and statuses."""
    cat = category()
    desks = category("教学、实验用桌", "A05010203", False)
    dept = Department.objects.get_or_create(name="教导处")[0]
    statuses = [Asset.Status.IN_USE, Asset.Status.IDLE, Asset.Status.DAMAGED, Asset.Status.WRITTEN_OFF]
    rows = [Asset(tag=f"ZC-{year}-{start + i + 1:05d}", name=f"资产{i}", category=cat if i % 2 else desks,
                  location=school["rooms"][i % 2], department=dept, unit_price=Decimal("100.50"), quantity=1 + i % 3,
                  status=statuses[i % 4]) for i in range(n)]
    return Asset.objects.bulk_create(rows, batch_size=2000)


def xlsx(rows, headers=None, name="register.xlsx"):
    """An uploaded .xlsx whose first sheet has headers (the template's by default) and rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    wb = Workbook()
    ws = wb.active
    ws.title = excel.SHEET_NAME
    ws.append(headers if headers is not None else [c.header for c in excel.COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=excel.XLSX_TYPE)


def row(**over):
    """One good row, as a list in the template's column order."""
    values = {
        "name": "学生计算机", "category": "A02010105", "brand": "联想", "spec": "启天 M437", "unit": "台",
        "quantity": 1, "unit_price": 3650, "acquired_on": "2025-08-28", "invoice_number": "3401",
        "funding_source": "财政拨款", "department": "", "custodian": "", "location": "教学楼/一(1)班",
        "serial_number": "", "notes": "",
    }
    values.update(over)
    return [values[c.key] for c in excel.COLUMNS]
