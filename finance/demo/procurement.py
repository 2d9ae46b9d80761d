"""Demo after approval: the 教学楼 water dispensers ordered by two people, accepted by the head into the
register (饮水机 × 4 in 开水房) with chalk into stock, invoiced, signed by three and paid; an office printer
whose invoice awaits signatures; chairs whose invoice differs from what was accepted; and two months of
ledger entries (funds received, office expenses, service charges).

Every step goes through the services (the requests are made, sent and approved here, so this demo does
not depend on the purchases demo), each at the moment it happened, so the register, stock, ledger and
history agree and follow the business dates."""
import datetime
from decimal import Decimal

from django.utils import timezone

from assets.models import AssetCategory, SupplyItem
from assets.services.register import asset_category_create
from assets.services.supplies import supply_item_save
from logistics.models import Department, Location

from ..models import BudgetLine, Invoice, PurchaseItem, PurchaseRequest, Purpose
from ..services import procurement as services
from ..services.purchases import purchase_create, purchase_decide, purchase_submit

K = PurchaseItem.Kind


def _category(head, name, code):
    return AssetCategory.objects.filter(name=name).first() or asset_category_create(by=head, name=name, code=code)


def _approved(builder, *, by, title, reason, line, items, day):
    """A request made, sent and approved through the purchase services (by the head, and the principal
    when its total needs them), `day` school days ago."""
    u = builder.users
    department, _created = Department.objects.get_or_create(name="总务处")
    where = ("asset_category", "location", "supply_item")
    with builder.clock(builder.days_ago(day, 9)):
        pr = purchase_create(by=by, department=department, title=title, reason=reason,
                             items=[{k: v for k, v in item.items() if k not in where} for item in items],
                             purpose=Purpose.OFFICE, budget_line=line,
                             needed_by=timezone.localdate() + datetime.timedelta(days=14))
        pr = purchase_submit(request_id=pr.pk, by=by)
    with builder.clock(builder.days_ago(day - 1, 10)):
        pr = purchase_decide(request_id=pr.pk, by=u["head"], decision="approved", comment="同意。")
    if pr.status == PurchaseRequest.Status.AWAITING_PRINCIPAL:
        with builder.clock(builder.days_ago(day - 2, 11)):
            pr = purchase_decide(request_id=pr.pk, by=u["principal"], decision="approved", comment="同意。")
    # Where the goods go, as the receiver says when accepting them.
    pairs = list(zip(pr.items.order_by("pk"), items, strict=True))
    pr.where = {key: {line.pk: item[field] for line, item in pairs if field in item}
                for key, field in (("categories", "asset_category"), ("locations", "location"),
                                   ("supply_items", "supply_item"))}
    return pr


def seed(builder):
    """Add the procurement demo once; return a line for the command's summary."""
    if Invoice.objects.filter(number="34012026000871").exists():
        return "Orders, invoices and ledger: already there, left as they are."
    u = builder.users
    logistics, logistics2, head, fin = u["logistics"], u["logistics2"], u["head"], u["finance"]
    today = builder.today
    year = today.year
    line = (BudgetLine.objects.filter(year=year, kind=BudgetLine.Kind.PUBLIC, active=True).order_by("name").first()
            or BudgetLine.objects.create(year=year, name="公用经费", kind=BudgetLine.Kind.PUBLIC,
                                         amount=Decimal("60000")))
    rooms = Location.objects.filter(active=True, building__name="教学楼")
    water_room = rooms.filter(name="开水房").first() or rooms.first() or Location.objects.filter(active=True).first()
    office = Location.objects.filter(active=True, building__name="办公楼").first() or water_room
    with builder.clock(builder.days_ago(15, 9)):  # set up before the first of these requests
        chalk = SupplyItem.objects.filter(name="粉笔").first() or supply_item_save(
            by=head, name="粉笔", spec="无尘 白色", unit="盒", low_stock_threshold=20)
        dispenser = _category(head, "饮水机", "A02061800")
        printer = _category(head, "打印机", "A02021000")
        chair = _category(head, "椅凳类", "A05010400")

    clock, ago = builder.clock, builder.days_ago

    # 1. Water dispensers and chalk: ordered by two, accepted by the head, invoiced, signed by three, paid.
    water = _approved(builder, by=logistics, title="教学楼饮水机更换", reason="开水房旧饮水机漏水，更换为净水型。",
                      line=line, day=14, items=[
                          {"name": "饮水机", "spec": "立式 冷热 净水型", "quantity": 4, "unit": "台",
                           "estimated_unit_price": Decimal("850"), "kind": K.ASSET, "asset_category": dispenser,
                           "location": water_room},
                          {"name": "粉笔", "spec": "无尘 白色", "quantity": 50, "unit": "盒",
                           "estimated_unit_price": Decimal("3.50"), "kind": K.SUPPLY, "supply_item": chalk}])
    items, where = list(water.items.order_by("pk")), water.where
    with clock(ago(6, 10)):
        water = services.purchase_order(request_id=water.pk, by=logistics, vendor="青山电器城",
                                        ordered_on=timezone.localdate(),
                                        prices={items[0].pk: "820.00", items[1].pk: "3.20"}, purchaser=logistics,
                                        second_purchaser=logistics2)
    with clock(ago(5, 10)):
        water = services.purchase_accept(request_id=water.pk, by=head, quantities={i.pk: i.quantity for i in items},
                                         **where)
    with clock(ago(4, 14)):
        invoice = services.invoice_add(request_id=water.pk, by=logistics, number="34012026000871",
                                       issued_on=timezone.localdate(), amount=water.accepted_total)
    for n, (role, who) in enumerate((("handler", logistics), ("receiver", head), ("auditor", fin))):
        with clock(ago(3, 9 + n)):
            services.invoice_sign(invoice_id=invoice.pk, by=who, role=role)
    with clock(ago(2, 10)):
        services.invoice_pay(invoice_id=invoice.pk, by=fin, voucher_number=f"记-{timezone.localdate():%m}-001")

    # 2. An office printer: accepted, its invoice signed by the handler only.
    prn = _approved(builder, by=logistics, title="办公室激光打印机", reason="教务处打印机损坏，无法维修。",
                    line=line, day=13, items=[{"name": "激光打印机", "spec": "HP M208dw", "quantity": 1, "unit": "台",
                                               "estimated_unit_price": Decimal("1800"), "kind": K.ASSET,
                                               "asset_category": printer, "location": office}])
    item = prn.items.get()
    with clock(ago(6, 11)):
        services.purchase_order(request_id=prn.pk, by=logistics, vendor="青山办公用品公司",
                                ordered_on=timezone.localdate(), prices={item.pk: "1750.00"})
    with clock(ago(5, 11)):
        prn = services.purchase_accept(request_id=prn.pk, by=logistics2, quantities={item.pk: 1}, **prn.where)
    with clock(ago(1, 14)):
        waiting = services.invoice_add(request_id=prn.pk, by=logistics, number="34012026001102",
                                       issued_on=timezone.localdate(), amount=prn.accepted_total)
    with clock(ago(1, 15)):
        services.invoice_sign(invoice_id=waiting.pk, by=logistics, role="handler")

    # 3. Meeting-room chairs: 18 of 20 came, but the invoice is for all 20 (flagged, not blocked).
    chairs = _approved(builder, by=logistics, title="会议室椅子", reason="会议室椅子损坏较多。", line=line, day=12,
                       items=[{"name": "会议椅", "spec": "钢架 软垫", "quantity": 20, "unit": "把",
                               "estimated_unit_price": Decimal("120"), "kind": K.ASSET, "asset_category": chair,
                               "location": office}])
    item = chairs.items.get()
    with clock(ago(6, 14)):
        services.purchase_order(request_id=chairs.pk, by=logistics2, vendor="合肥华美家具",
                                ordered_on=timezone.localdate(), prices={item.pk: "115.00"})
    with clock(ago(4, 10)):
        chairs = services.purchase_accept(request_id=chairs.pk, by=logistics, quantities={item.pk: 18}, **chairs.where)
    with clock(ago(0, 9)):
        odd = services.invoice_add(request_id=chairs.pk, by=logistics2, number="34012026001230",
                                   issued_on=timezone.localdate(), amount=Decimal("2300.00"))
    with clock(ago(0, 10)):
        services.invoice_sign(invoice_id=odd.pk, by=logistics2, role="handler")
    with clock(ago(0, 11)):
        services.invoice_sign(invoice_id=odd.pk, by=logistics, role="receiver")

    # 4. Two months of entries kept by finance, each entered on its day.
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    entries = [
        (last_month, "income", "funds", "30000.00", "区财政拨付 生均公用经费（第三季度）", "记-{m}-002"),
        (last_month.replace(day=8), "expense", "office", "1268.00", "A4 复印纸、硒鼓", "记-{m}-005"),
        (last_month.replace(day=12), "expense", "service", "860.00", "饮用水水质检测", "记-{m}-007"),
        (last_month.replace(day=20), "expense", "service", "2400.00", "电梯、消防设施维保", "记-{m}-009"),
        (this_month, "income", "funds", "20000.00", "区财政拨付 维修专项", "记-{m}-010"),
        (min(this_month.replace(day=5), today), "expense", "office", "436.50", "粉笔、白板笔、文件盒", "记-{m}-012"),
        (min(this_month.replace(day=10), today), "expense", "service", "1200.00", "校园网宽带年费（分摊）",
         "记-{m}-014"),
    ]
    for date, direction, category, amount, description, voucher in sorted(entries, key=lambda e: e[0]):
        with clock(builder.at(date, 16)):
            services.ledger_entry_add(by=fin, date=date, direction=direction, category=category, amount=amount,
                                      description=description, budget_line=line,
                                      voucher_number=voucher.format(m=f"{date:%m}"))
    return "Orders, invoices and ledger: 3 requests ordered and accepted (4 water dispensers), 3 invoices " \
           "(paid, awaiting signatures, amount differs), 8 ledger entries."
