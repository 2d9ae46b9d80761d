"""The demo workbook fee and aid recipients: built through the services, once."""
from decimal import Decimal

from django.contrib.auth.models import User

from finance.demo import fees as demo
from finance.models import AidApplication, FeeItem
from finance.selectors.fees import fee_settlement
from logistics.models import Location
from tests.demo import demo_builder


def test_demo_builds_the_workbook_fee_and_aid_once(users, school):
    rooms = {name: Location.objects.create(building=school["building"], name=name, kind=Location.Kind.CLASSROOM)
             for name in demo.CLASSES if name != "一(1)班"}
    rooms["一(1)班"] = school["room"]
    admin = User.objects.create_superuser("admin", password="x")
    people = {u: users[u] for u in ("finance", "head", "principal", "teacher", "teacher2")}
    b = demo_builder(users={**people, "admin": admin}, rooms=rooms, current_term=school["term"])
    assert "six classes" in demo.seed(b)
    fee = FeeItem.objects.get()
    assert fee.name == "作业本费" and fee.amount_per_pupil == Decimal("15.00") and fee.published
    s = fee_settlement(fee)
    assert len(s.lines) == 6 and all(40 <= line.row.pupils <= 48 for line in s.lines) and s.exempt > 0
    assert s.spent > 0 and fee.spendings.filter(description__startswith="作业本采购").exists()
    assert set(AidApplication.objects.values_list("status", flat=True)) == {"submitted", "approved", "rejected",
                                                                            "paid"}
    # class teachers applied, the principal decided, finance paid; never the administrator
    assert set(AidApplication.objects.values_list("submitted_by__username", flat=True)) == {"teacher", "teacher2"}
    assert AidApplication.objects.get(pupil_name="王浩然").submitted_by == users["teacher"]  # 一(1)班's teacher
    assert set(AidApplication.objects.exclude(decided_by=None).values_list("decided_by__username", flat=True)) \
        == {"principal"}
    assert set(AidApplication.objects.exclude(paid_by=None).values_list("paid_by__username", flat=True)) \
        == {"finance"}
    assert demo.seed(b) == "Fees and aid: already there, left as they are."
    assert FeeItem.objects.count() == 1 and AidApplication.objects.count() == 5
