"""Classes read in grade order (一, 二, 三 …), not in the order of their characters' code points."""
from decimal import Decimal

from finance.models import FeeClass, FeeItem
from logistics.models import Building, Location


def test_fee_classes_are_listed_by_floor_then_name(school):
    building = Building.objects.create(name="新教学楼", sort_order=9)
    # 三 (U+4E09) sorts before 二 (U+4E8C) by code point; the lower grades are on the lower floors.
    names = [("三(1)班", 2), ("一(1)班", 1), ("四(1)班", 2), ("二(1)班", 1)]
    rooms = [Location.objects.create(building=building, name=n, floor=f) for n, f in names]
    fee = FeeItem.objects.create(term=school["term"], name="作业本费", amount_per_pupil=Decimal("15.00"))
    for room in rooms:
        FeeClass.objects.create(fee=fee, location=room, pupils=40)
    assert [c.location.name for c in fee.classes.all()] == ["一(1)班", "二(1)班", "三(1)班", "四(1)班"]
