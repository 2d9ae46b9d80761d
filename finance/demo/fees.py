"""Demo fees and aid: this term's 15-yuan workbook fee (作业本费) for the six classes, with what it was
spent on, published; and a few aid recipients in different states. Made through the services."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from logistics.models import Term

from ..models import AidApplication, FeeItem, FinanceSettings
from ..module_settings import AidDecider
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
    # Class teachers apply; the head or the principal (as the school has chosen) decides; finance pays.
    teachers = [users[u] for u in ("teacher", "teacher2", "teacher3", "teacher4") if u in users]
    decider = users["head"] if FinanceSettings.get().aid_decider == AidDecider.HEAD else users["principal"]
    # Last term's fee, settled at its end; this term's, collected, spent in part and published.
    previous = Term.objects.filter(name=builder.term_defs[0][0]).first()
    if previous is not None and not FeeItem.objects.filter(term=previous).exists():
        _fee(builder, previous, finance, previous=True)
    _fee(builder, term, finance)

    for n, (pupil, room, category, amount, situation, state) in enumerate(AID):
        if room not in builder.rooms:
            continue
        # 王丽 is 一(1)班's class teacher; the other classes' applications come from the other teachers.
        applicant = teachers[0] if room == "一(1)班" or len(teachers) == 1 else teachers[1 + n % (len(teachers) - 1)]
        # Applied for over the first weeks of term, decided a few days later, paid the week after.
        with builder.clock(builder.term_moment(0.15 + 0.05 * n, 10)):
            application = services.aid_submit(by=applicant, term=term, pupil_name=pupil,
                                              location=builder.rooms[room], category=category,
                                              amount=Decimal(amount), reason=situation)
        with builder.clock(builder.term_moment(0.45 + 0.02 * n, 11)):
            if state in ("approved", "paid"):
                services.aid_decide(application_id=application.pk, by=decider, approve=True)
            elif state == "rejected":
                services.aid_decide(application_id=application.pk, by=decider, approve=False,
                                    note="经核实不符合家庭经济困难认定条件。")
        if state == "paid":
            with builder.clock(builder.term_moment(0.6 + 0.02 * n, 15)):
                services.aid_pay(application_id=application.pk, by=finance)
    # The decided aid goes online for the school days the school has set (not in the holidays' last days,
    # when the calendar has too few school days ahead).
    try:
        with builder.clock(builder.days_ago(0, 9)):
            publication = services.aid_publish(term=term, by=finance, today=builder.today)
    except ValidationError:
        online = "the aid list is not online (too few school days ahead)"
    else:
        online = (f"the aid list is online until {publication.closes_on} at "
                  f"{reverse('finance:aid_public', args=[publication.public_token])}")
    return f"Fees and aid: the workbook fee for six classes, published; five aid applications; {online}."


def _fee(builder, term, finance, previous=False):
    """The workbook fee of a term: entered in its first days, the classes' money recorded, what it was spent
    on, the notice published; settled once the term is over."""
    def on(fraction, hour):
        return builder.clock(builder.term_moment(fraction, hour, previous=previous))

    with on(0.0, 9):
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
        rows.append((room, pupils, exempt, AMOUNT * (pupils - exempt - (0 if previous else unpaid))))
    with on(0.04, 15):
        services.fee_classes_save(fee_id=fee.pk, by=finance, rows=rows)
    with on(0.05, 10):
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=timezone.localdate(),
                                  description="作业本采购（新华书店青山区分店）",
                                  amount=Decimal("2980.00") if previous else Decimal("3060.00"))
    with on(0.05, 11):
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=timezone.localdate(),
                                  description="作业本采购（补订英语作业本）", amount=Decimal("342.50"))
    with on(0.06, 9):
        services.fee_publish(fee_id=fee.pk, by=finance)
    if previous:
        with on(1.0, 16):
            services.fee_settle(fee_id=fee.pk, by=finance)
    return fee


def summary():
    """Where parents read this term's fee notice (the public link, while it is published)."""
    fee = (FeeItem.objects.filter(published=True, settled_at=None).select_related("term")
           .order_by("-term__start", "pk").first())
    if fee is None:
        return ["Public fee notice: none published."]
    return [f"Public fee notice ({fee.term.name} {fee.name}): {reverse('finance:fee_public', args=[fee.public_token])}"]
