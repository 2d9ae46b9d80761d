"""Demo fees and aid: this term's 15-yuan workbook fee (作业本费) for the six classes, with what it was
spent on, published; and a few aid recipients in different states. Made through the services."""
import datetime
from decimal import Decimal

from ..models import AidApplication, FeeItem
from ..services import fees as services

CLASSES = ["一(1)班", "二(1)班", "三(1)班", "四(1)班", "五(1)班", "六(1)班"]
# class: (pupils, exempt, pupils who have not paid yet)
PUPILS = {"一(1)班": (42, 2, 0), "二(1)班": (45, 1, 0), "三(1)班": (44, 3, 1), "四(1)班": (46, 2, 0),
          "五(1)班": (43, 1, 0), "六(1)班": (47, 2, 1)}
AMOUNT = Decimal("15.00")

# pupil, class, category, amount, situation, final state
AID = [
    ("张小明", "三(1)班", AidApplication.Category.HARDSHIP, "500.00", "父亲务工受伤，家庭收入骤减。", "paid"),
    ("李思雨", "五(1)班", AidApplication.Category.TWO_FREE_ONE_SUBSIDY, "250.00",
     "建档立卡户，寄宿生活补助。", "approved"),
    ("王浩然", "一(1)班", AidApplication.Category.HARDSHIP, "500.00", "单亲家庭，母亲患病。", "submitted"),
    ("陈一", "六(1)班", AidApplication.Category.TWO_FREE_ONE_SUBSIDY, "250.00", "低保家庭。", "paid"),
    ("赵子涵", "四(1)班", AidApplication.Category.HARDSHIP, "500.00", "家庭收入高于当地低保线，材料不全。", "rejected"),
]


def seed(builder):
    """Add the fee and aid demo once; return a line for the command's summary."""
    term = builder.current_term
    if FeeItem.objects.filter(term=term).exists() or AidApplication.objects.filter(term=term).exists():
        return "Fees and aid: already there, left as they are."
    users = builder.users
    finance = users["finance"]
    entered_by = users.get("admin") or users["head"]
    fee = services.fee_create(
        by=finance, term=term, name="作业本费", amount_per_pupil=AMOUNT,
        description="本学期语文、数学、英语作业本，按实际用量统一采购，多退少不补。",
        policy="建档立卡户、低保家庭、残疾学生免收；已免收的学生凭班主任名单确认，无需另交材料。")
    rows = []
    for name in CLASSES:
        room = builder.rooms.get(name)
        if room is None:
            continue
        pupils, exempt, unpaid = PUPILS[name]
        rows.append((room, pupils, exempt, AMOUNT * (pupils - exempt - unpaid)))
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=rows)
    start = max(term.start, builder.today - datetime.timedelta(days=120))
    day = min(builder.today, start + datetime.timedelta(days=3))
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=day, description="作业本采购（新华书店青山区分店）",
                              amount=Decimal("3060.00"))
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=day, description="作业本采购（补订英语作业本）",
                              amount=Decimal("342.50"))
    services.fee_publish(fee_id=fee.pk, by=finance)

    for pupil, room, category, amount, situation, state in AID:
        if room not in builder.rooms:
            continue
        application = services.aid_submit(by=entered_by, term=term, pupil_name=pupil, location=builder.rooms[room],
                                          category=category, amount=Decimal(amount), reason=situation)
        if state in ("approved", "paid"):
            services.aid_decide(application_id=application.pk, by=finance, approve=True)
        elif state == "rejected":
            services.aid_decide(application_id=application.pk, by=finance, approve=False,
                                note="经核实不符合家庭经济困难认定条件。")
        if state == "paid":
            services.aid_pay(application_id=application.pk, by=finance)
    return "Fees and aid: the workbook fee for six classes, published; five aid applications."
