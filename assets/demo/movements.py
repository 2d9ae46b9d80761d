"""Demo loans, a damage case and write-offs, built through the services on the register's assets."""
import datetime
from decimal import Decimal

from django.db.models import F, Q

from ..models import Asset, AssetLoan, AssetSettings, DamageRecord, WriteOff
from ..services import movements as services


def _pick(qs, *words, exclude=()):
    """The first asset whose name has one of the words, else the first of qs; skipping those already used."""
    qs = qs.exclude(pk__in=[a.pk for a in exclude if a is not None])
    for word in words:
        if (found := qs.filter(name__contains=word).first()) is not None:
            return found
    return qs.first()


def seed(builder):
    """Add this area's demo records; return a line for the command's summary, or None."""
    if AssetLoan.objects.exists() or DamageRecord.objects.exists() or WriteOff.objects.exists():
        return "Loans, damage and write-offs are already there: left as they are."
    active = (Asset.objects.filter(status__in=(Asset.Status.IN_USE, Asset.Status.IDLE), disposed_on=None)
              .order_by("tag"))
    if not active.exists():
        return "No assets in the register: no loans, damage or write-offs built."
    users = builder.users
    logistics, head = users["logistics"], users["head"]
    today = builder.today
    singles = active.filter(quantity=1)
    batches = active.filter(quantity__gte=5)
    built = []

    def on(days_ago, hour):
        """A working moment `days_ago` days back, when the step happened."""
        return builder.clock(builder.working_time(builder.at(today - datetime.timedelta(days=days_ago), hour)))

    # Loans: a projector out now, sports equipment overdue, a camera back in good order.
    projector = _pick(singles, "投影", "音响", "相机", "电脑")
    if projector is not None:
        with on(2, 9):
            services.loan_lend(asset_id=projector.pk, by=logistics, borrower=users["teacher"], purpose="公开课",
                               due_on=today + datetime.timedelta(days=5))
        built.append("loan")
    balls = _pick(batches, "篮球", "足球", "跳绳", "体育", "球") or _pick(active.filter(quantity__gte=2))
    if balls is not None:
        # Lent three weeks ago for a week: the overdue loan the head chases.
        with on(21, 14):
            services.loan_lend(asset_id=balls.pk, by=logistics, borrower_name="四(1)班 体育委员",
                               quantity=min(3, balls.quantity - 1) or 1, purpose="班级篮球赛",
                               due_on=today - datetime.timedelta(days=14))
        built.append("overdue loan")
    camera = _pick(singles, "相机", "摄像", "话筒", "音响", exclude=[projector])
    if camera is not None:
        with on(10, 9):
            loan = services.loan_lend(asset_id=camera.pk, by=logistics, borrower=users["teacher4"],
                                      purpose="运动会拍照", due_on=today - datetime.timedelta(days=7))
        with on(7, 16):
            services.loan_return(loan_id=loan.pk, by=logistics, condition=AssetLoan.Condition.GOOD)
        built.append("returned loan")

    # Damage: a pupil broke a window (or, failing one in the register, a classroom item); paid.
    target = _pick(active.exclude(status=Asset.Status.ON_LOAN), "窗", "玻璃", "课桌", "椅", "黑板",
                   exclude=[projector, balls, camera])
    if target is not None:
        with on(12, 15):  # recorded the day it happened
            record = services.damage_record(
                asset_id=target.pk, by=logistics,
                description=f"三(2)班学生课间在走廊踢球，把{target.name}打坏了。班主任已联系家长。",
                responsible="三(2)班 张某某（学生）", assessed_amount=Decimal("120.00"),
                mark_damaged=target.quantity == 1)
        with on(9, 10):
            services.damage_pay(record_id=record.pk, by=logistics, receipt_number="SJ-2026-0315",
                                back_in_use=True)
        built.append("damage case")

    # Write-offs: two broken chairs out of a batch, approved by the head (the batch is split); and
    # a costly one the head has approved, waiting for the principal.
    limit = AssetSettings.get().write_off_principal_limit
    chairs = _pick(batches.filter(unit_price__lte=limit / 2), "椅", "凳", "桌", exclude=[balls, target])
    if chairs is not None:
        with on(30, 10):
            wo = services.writeoff_request(asset_id=chairs.pk, by=logistics, quantity=2,
                                           reason="椅腿断裂、焊点开裂，已无修复价值。")
        with on(29, 11):
            services.writeoff_decide(writeoff_id=wo.pk, by=head, approve=True, note="同意报废，残件交废品回收。")
        built.append("write-off approved")
    costly = _pick(active.exclude(status=Asset.Status.ON_LOAN).annotate(v=F("unit_price") * F("quantity"))
                   .filter(Q(v__gt=limit), unit_price__gt=limit), "班班通", "一体机", "电脑", "打印",
                   exclude=[projector, camera, target, chairs])
    if costly is not None:
        with on(6, 9):
            wo = services.writeoff_request(asset_id=costly.pk, by=logistics, quantity=1,
                                           reason="主板烧毁，厂家检测后已无维修价值（维修报价高于新机）。")
        with on(5, 14):
            services.writeoff_decide(writeoff_id=wo.pk, by=head, approve=True, note="情况属实，请校长审批。")
        built.append("write-off waiting for the principal")
    return None if len(built) == 6 else f"Loans, damage, write-offs built: {', '.join(built) or 'none'}."
