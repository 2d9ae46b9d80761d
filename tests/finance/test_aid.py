"""Student aid: entered, decided by someone else, paid, and published with masked names only."""
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from finance.models import AidApplication
from finance.services import fees as services
from logistics.models import Location

from ..conftest import make_user


@pytest.fixture(autouse=True)
def english():
    """History reasons are stored untranslated and read in the active language: read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def finance(users):
    return users["finance"]


@pytest.fixture
def finance2(db):
    return make_user("finance2", "finance", "钱出纳")


def _apply(by, school, name="张小明", category="hardship", amount="500.00", room=None):
    return services.aid_submit(by=by, term=school["term"], pupil_name=name, location=room or school["room"],
                               category=category, amount=Decimal(amount), reason="父亲务工受伤")


def test_masked_names():
    assert AidApplication(pupil_name="张小明").masked_name == "张*明"
    assert AidApplication(pupil_name="李四").masked_name == "李*"
    assert AidApplication(pupil_name="欧阳小明").masked_name == "欧**明"


def test_entered_decided_by_someone_else_and_paid_with_history(finance, finance2, school):
    application = _apply(finance, school)
    assert application.status == AidApplication.Status.SUBMITTED
    with pytest.raises(ValidationError, match="someone else"):
        services.aid_decide(application_id=application.pk, by=finance, approve=True)
    services.aid_decide(application_id=application.pk, by=finance2, approve=True, expected_version=1)
    application.refresh_from_db()
    assert application.status == AidApplication.Status.APPROVED and application.decided_by == finance2
    services.aid_pay(application_id=application.pk, by=finance, expected_version=application.version)
    application.refresh_from_db()
    assert application.status == AidApplication.Status.PAID and application.paid_at is not None
    reasons = [h.history_change_reason for h in application.history.order_by("history_date")]
    assert ["application entered" in reasons[0], "approved" in reasons[1], "paid" in reasons[2]] == [True] * 3


def test_rejection_needs_a_reason_and_ends_the_application(finance, finance2, school):
    application = _apply(finance, school)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=finance2, approve=False)
    services.aid_decide(application_id=application.pk, by=finance2, approve=False, note="材料不全")
    application.refresh_from_db()
    assert application.status == AidApplication.Status.REJECTED
    assert "材料不全" in application.history.first().history_change_reason
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=finance2, approve=True)


def test_paying_before_approval_and_deciding_twice_are_refused(finance, finance2, school):
    application = _apply(finance, school)
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance2)
    services.aid_decide(application_id=application.pk, by=finance2, approve=True)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=finance2, approve=False, note="x")
    assert AidApplication.objects.get().status == AidApplication.Status.APPROVED


def test_a_decision_from_a_stale_page_is_refused(finance, finance2, school):
    application = _apply(finance, school)
    services.aid_decide(application_id=application.pk, by=finance2, approve=True, expected_version=1)
    with pytest.raises(ValidationError) as err:
        services.aid_decide(application_id=application.pk, by=finance2, approve=False, note="x",
                            expected_version=1)
    assert err.value.code == "stale"
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance, expected_version=1)
    assert AidApplication.objects.get().status == AidApplication.Status.APPROVED


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor", "worker"])
def test_only_finance_enters_and_decides_aid(users, finance, school, who):
    with pytest.raises(PermissionDenied):
        _apply(users[who], school)
    application = _apply(finance, school)
    with pytest.raises(PermissionDenied):
        services.aid_decide(application_id=application.pk, by=users[who], approve=True)
    with pytest.raises(PermissionDenied):
        services.aid_pay(application_id=application.pk, by=users[who])
    assert AidApplication.objects.get().status == AidApplication.Status.SUBMITTED


def test_bad_applications_are_refused(finance, school):
    office = Location.objects.create(building=school["building"], name="办公室", kind=Location.Kind.OFFICE)
    for kwargs in ({"amount": "0"}, {"amount": "-5"}, {"name": "  "}, {"room": office}, {"category": "x"}):
        with pytest.raises(ValidationError):
            _apply(finance, school, **kwargs)
    assert not AidApplication.objects.exists()


# --- pages ---------------------------------------------------------------------------------

def test_finance_enters_an_application_through_the_form(login, finance, school):
    response = login(finance).post(reverse("finance:aid_new"), {
        "term": school["term"].pk, "pupil_name": "李思雨", "location": school["room"].pk, "category": "lmyb",
        "amount": "250.00", "reason": "寄宿生活补助"})
    application = AidApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:aid_detail",
                                                                           args=[application.pk])
    assert application.submitted_by == finance and application.category == "lmyb"


def test_bad_form_input_saves_nothing(login, finance, school):
    response = login(finance).post(reverse("finance:aid_new"), {
        "term": school["term"].pk, "pupil_name": "李思雨", "location": school["room"].pk, "category": "lmyb",
        "amount": "99999999999"})
    assert response.status_code == 200 and not AidApplication.objects.exists()
    response = login(finance).post(reverse("finance:aid_new"), {
        "term": school["term"].pk, "pupil_name": "1234567890", "location": school["room"].pk,
        "category": "lmyb", "amount": "100"})
    assert response.status_code == 200 and not AidApplication.objects.exists()


def test_the_submitter_sees_no_decision_form_and_a_posted_decision_is_refused(login, finance, school):
    application = _apply(finance, school)
    client = login(finance)
    page = client.get(reverse("finance:aid_detail", args=[application.pk])).content.decode()
    assert reverse("finance:aid_decide", args=[application.pk]) not in page
    client.post(reverse("finance:aid_decide", args=[application.pk]), {"version": 1, "decision": "approve"})
    assert AidApplication.objects.get().status == AidApplication.Status.SUBMITTED


def test_decide_and_pay_from_the_page(login, finance, finance2, school):
    application = _apply(finance, school)
    client = login(finance2)
    page = client.get(reverse("finance:aid_detail", args=[application.pk])).content.decode()
    assert reverse("finance:aid_decide", args=[application.pk]) in page
    client.post(reverse("finance:aid_decide", args=[application.pk]), {"version": 1, "decision": "approve"})
    assert AidApplication.objects.get().status == AidApplication.Status.APPROVED
    # a second tab still showing version 1
    response = client.post(reverse("finance:aid_pay", args=[application.pk]), {"version": 1}, follow=True)
    assert AidApplication.objects.get().status == AidApplication.Status.APPROVED
    assert list(response.context["messages"])
    client.post(reverse("finance:aid_pay", args=[application.pk]), {"version": 2})
    assert AidApplication.objects.get().status == AidApplication.Status.PAID
    assert client.get(reverse("finance:aid_pay", args=[application.pk])).status_code == 405


@pytest.mark.parametrize("who,status", [("head", 200), ("principal", 200), ("auditor", 200), ("teacher", 403)])
def test_who_reads_aid(users, login, finance, school, who, status):
    application = _apply(finance, school)
    client = login(users[who])
    assert client.get(reverse("finance:aid_list")).status_code == status
    assert client.get(reverse("finance:aid_detail", args=[application.pk])).status_code == status
    if status == 200:
        assert client.post(reverse("finance:aid_decide", args=[application.pk]),
                           {"version": 1, "decision": "approve"}).status_code == 403


def test_aid_list_filters(login, finance, school):
    _apply(finance, school, name="张小明")
    _apply(finance, school, name="李思雨", category="lmyb", room=school["rooms"][1])
    client = login(finance)
    page = client.get(reverse("finance:aid_list"), {"category": "lmyb"}).content.decode()
    assert "李思雨" in page and "张小明" not in page
    page = client.get(reverse("finance:aid_list"), {"location": school["room"].pk}).content.decode()
    assert "张小明" in page and "李思雨" not in page
    page = client.get(reverse("finance:aid_list"), {"status": "paid", "term": school["term"].pk}).content.decode()
    assert "张小明" not in page and "李思雨" not in page


@pytest.mark.parametrize("n", [2, 15])
def test_aid_list_query_count_does_not_grow_with_rows(login, finance, school, n, django_assert_max_num_queries):
    submitters = [finance] + [make_user(f"f{i}", "finance") for i in range(3)]
    for i in range(n):
        _apply(submitters[i % 4], school, name=f"王{i}明", room=school["rooms"][i % 2])
    client = login(finance)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("finance:aid_list"))
    assert response.content.decode().count('data-testid="aid-row"') == n


def test_publication_pdf_masks_names_and_lists_only_approved_and_paid(login, finance, finance2, school, tmp_path):
    paid = _apply(finance, school, name="张小明")
    services.aid_decide(application_id=paid.pk, by=finance2, approve=True)
    services.aid_pay(application_id=paid.pk, by=finance2)
    approved = _apply(finance, school, name="李思雨", category="lmyb", amount="250.00")
    services.aid_decide(application_id=approved.pk, by=finance2, approve=True)
    _apply(finance, school, name="王浩然")
    rejected = _apply(finance, school, name="赵子涵")
    services.aid_decide(application_id=rejected.pk, by=finance2, approve=False, note="不符合")
    assert Group.objects.filter(name="finance").exists()
    response = login(users_auditor := make_user("aud2", "auditor")).get(
        reverse("finance:aid_publication_pdf"), {"term": school["term"].pk})
    assert users_auditor and response["Content-Type"] == "application/pdf"
    path = tmp_path / "aid.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "张*明" in text and "李*雨" in text and "一(1)班" in text and "500.00" in text and "750.00" in text
    for secret in ("张小明", "李思雨", "王浩然", "王*然", "赵子涵", "赵*涵", "父亲务工受伤"):
        assert secret not in text
    assert "12358" in text


def test_publication_pdf_needs_a_reader(login, users, school):
    assert login(users["teacher"]).get(reverse("finance:aid_publication_pdf")).status_code == 403
