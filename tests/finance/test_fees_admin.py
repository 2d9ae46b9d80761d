"""The admin lists fees, class collections, spending and aid, with search and filters."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from finance.services import fees as services

from ._fees import make_fee


@pytest.mark.parametrize("model", ["feeitem", "feeclass", "feespending", "aidapplication"])
def test_admin_pages_open_with_search_and_history(client, users, school, model):
    fee = make_fee(users["finance"], school["term"], school["rooms"])
    services.fee_spending_add(fee_id=fee.pk, by=users["finance"], date=school["term"].start, description="纸",
                              amount=1)
    application = services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                      location=school["room"], category="hardship", amount=500)
    client.force_login(User.objects.create_superuser("root", password="x"))
    assert client.get(reverse(f"admin:finance_{model}_changelist"), {"q": "张"}).status_code == 200
    obj = {"feeitem": fee, "feeclass": fee.classes.first(), "feespending": fee.spendings.first(),
           "aidapplication": application}[model]
    assert client.get(reverse(f"admin:finance_{model}_history", args=[obj.pk])).status_code == 200
