"""Student aid: a class teacher applies for a pupil, the head or the principal (as the school chooses)
decides, finance pays; nobody decides their own application. The list goes online by an unguessable
link with masked names for the school days the school sets, and closes by itself."""
import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from finance.forms.fees import AidApplicationForm
from finance.models import AidApplication, AidPublication, FinanceSettings
from finance.selectors.fees import school_days_from
from finance.services import fees as services
from logistics.models import Location, Term

from ..conftest import make_user


@pytest.fixture(autouse=True)
def english():
    """History reasons are stored untranslated and read in the active language: read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def teacher(users):
    return users["teacher"]


@pytest.fixture
def principal(users):
    return users["principal"]


@pytest.fixture
def finance(users):
    return users["finance"]


def _apply(by, school, name="张小明", category="hardship", amount="500.00", room=None):
    return services.aid_submit(by=by, term=school["term"], pupil_name=name, location=room or school["room"],
                               category=category, amount=Decimal(amount), reason="父亲务工受伤")


def _decided_by_head():
    FinanceSettings.objects.update(aid_decider="head")


def _reasons(application):
    return [h.history_change_reason for h in application.history.order_by("history_date", "history_id")]


def test_masked_names():
    assert AidApplication(pupil_name="张小明").masked_name == "张*明"
    assert AidApplication(pupil_name="李四").masked_name == "李*"
    assert AidApplication(pupil_name="欧阳小明").masked_name == "欧**明"


# --- who applies, decides, pays ------------------------------------------------------------------

def test_teacher_applies_principal_decides_finance_pays_with_history(teacher, principal, finance, school):
    application = _apply(teacher, school)
    assert application.status == "submitted" and application.decider == "principal"
    assert application.submitted_by == teacher
    services.aid_decide(application_id=application.pk, by=principal, approve=True, expected_version=1)
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == principal
    services.aid_pay(application_id=application.pk, by=finance, expected_version=application.version)
    application.refresh_from_db()
    assert application.status == "paid" and application.paid_by == finance and application.paid_at
    reasons = _reasons(application)
    assert "applied for; the principal decides" in reasons[0]
    assert "approved" in reasons[1] and "paid" in reasons[2]
    timeline = {h.history_user for h in application.history.all()}
    assert timeline == {teacher, principal, finance}


def test_when_the_school_chooses_the_head_the_head_decides_and_the_principal_cannot(
        teacher, principal, users, school):
    _decided_by_head()
    application = _apply(teacher, school)
    assert application.decider == "head" and "the head of logistics decides" in _reasons(application)[0]
    with pytest.raises(PermissionDenied):
        services.aid_decide(application_id=application.pk, by=principal, approve=True)
    services.aid_decide(application_id=application.pk, by=users["head"], approve=True)
    assert AidApplication.objects.get().decided_by == users["head"]


def test_by_default_the_head_cannot_decide(teacher, users, school):
    application = _apply(teacher, school)
    with pytest.raises(PermissionDenied, match="principal"):
        services.aid_decide(application_id=application.pk, by=users["head"], approve=True)
    assert AidApplication.objects.get().status == "submitted"


def test_an_application_keeps_the_decider_of_the_day_it_was_sent(teacher, principal, users, school):
    application = _apply(teacher, school)
    _decided_by_head()
    assert not AidApplication.objects.get().may_decide(users["head"])
    services.aid_decide(application_id=application.pk, by=principal, approve=True)
    assert AidApplication.objects.get().status == "approved"


@pytest.mark.parametrize("who", ["head", "principal", "finance", "worker", "auditor", "canteen"])
def test_only_class_teachers_apply(users, school, who):
    with pytest.raises(PermissionDenied):
        _apply(users[who], school)
    assert not AidApplication.objects.exists()


@pytest.mark.parametrize("who", ["finance", "teacher2", "worker", "auditor", "head"])
def test_who_cannot_decide(users, teacher, school, who):
    application = _apply(teacher, school)
    assert not application.may_decide(users[who])
    with pytest.raises(PermissionDenied):
        services.aid_decide(application_id=application.pk, by=users[who], approve=True)
    assert AidApplication.objects.get().status == "submitted"


def test_nobody_decides_their_own_application(school):
    # a principal who also teaches a class applies: someone else must decide
    both = make_user("both", "principal", "赵校长")
    both.groups.add(*make_user("t9", "staff").groups.all())
    both = type(both).objects.get(pk=both.pk)
    application = _apply(both, school)
    assert not application.may_decide(both)
    with pytest.raises(ValidationError) as err:
        services.aid_decide(application_id=application.pk, by=both, approve=True)
    assert err.value.code == "own"
    assert AidApplication.objects.get().status == "submitted"


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor", "worker"])
def test_only_finance_pays(users, teacher, principal, school, who):
    application = _apply(teacher, school)
    services.aid_decide(application_id=application.pk, by=principal, approve=True)
    with pytest.raises(PermissionDenied):
        services.aid_pay(application_id=application.pk, by=users[who])
    assert AidApplication.objects.get().status == "approved"


def test_rejection_needs_a_reason_and_ends_the_application(teacher, principal, finance, school):
    application = _apply(teacher, school)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=principal, approve=False)
    services.aid_decide(application_id=application.pk, by=principal, approve=False, note="材料不全")
    application.refresh_from_db()
    assert application.status == "rejected" and "材料不全" in _reasons(application)[-1]
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=principal, approve=True)


def test_paying_before_approval_and_deciding_twice_are_refused(teacher, principal, finance, school):
    application = _apply(teacher, school)
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance)
    services.aid_decide(application_id=application.pk, by=principal, approve=True)
    with pytest.raises(ValidationError):
        services.aid_decide(application_id=application.pk, by=principal, approve=False, note="x")
    assert AidApplication.objects.get().status == "approved"


def test_a_decision_from_a_stale_page_is_refused(teacher, principal, finance, school):
    application = _apply(teacher, school)
    services.aid_decide(application_id=application.pk, by=principal, approve=True, expected_version=1)
    with pytest.raises(ValidationError) as err:
        services.aid_decide(application_id=application.pk, by=principal, approve=False, note="x",
                            expected_version=1)
    assert err.value.code == "stale"
    with pytest.raises(ValidationError):
        services.aid_pay(application_id=application.pk, by=finance, expected_version=1)
    assert AidApplication.objects.get().status == "approved"


def test_bad_applications_are_refused(teacher, school):
    office = Location.objects.create(building=school["building"], name="办公室", kind=Location.Kind.OFFICE)
    for kwargs in ({"amount": "0"}, {"amount": "-5"}, {"name": "  "}, {"room": office}, {"category": "x"}):
        with pytest.raises(ValidationError):
            _apply(teacher, school, **kwargs)
    assert not AidApplication.objects.exists()


def test_the_form_refuses_id_bank_and_phone_numbers_in_the_situation(school):
    base = {"term": school["term"].pk, "pupil_name": "李思雨", "location": school["room"].pk, "category": "lmyb",
            "amount": "250"}
    for secret in ("身份证 340102201503151234", "电话 138 0551 2233", "卡号 6222-0212-3456-7890"):
        form = AidApplicationForm({**base, "reason": f"低保家庭，{secret}"})
        assert not form.is_valid() and "reason" in form.errors
    assert AidApplicationForm({**base, "reason": "2025年起低保家庭，父亲务工受伤"}).is_valid()


def test_the_decider_and_the_publication_days_are_settings_with_history(school):
    settings = FinanceSettings.get()
    assert settings.aid_decider == "principal" and settings.aid_publication_days == 5
    settings.aid_publication_days = 4
    with pytest.raises(ValidationError):
        settings.full_clean()
    settings.aid_publication_days, settings.aid_decider = 7, "head"
    settings.full_clean()
    settings.save()
    assert settings.history.first().aid_decider == "head" and settings.history.count() == 2


# --- the school calendar and the public list ---------------------------------------------------

def test_school_days_are_weekdays_inside_a_term(db):
    Term.objects.create(name="秋", start=datetime.date(2026, 9, 1), end=datetime.date(2027, 1, 15))
    Term.objects.create(name="春", start=datetime.date(2027, 2, 22), end=datetime.date(2027, 7, 2))
    friday = datetime.date(2026, 11, 27)
    assert school_days_from(friday, 1) == friday
    assert school_days_from(friday, 5) == datetime.date(2026, 12, 3)  # Fri, Mon, Tue, Wed, Thu
    assert school_days_from(datetime.date(2026, 11, 28), 5) == datetime.date(2026, 12, 4)  # from a Saturday
    # the winter holidays do not count: Thu 14 and Fri 15 January, then the spring term's first three days
    assert school_days_from(datetime.date(2027, 1, 14), 5) == datetime.date(2027, 2, 24)
    assert school_days_from(datetime.date(2027, 6, 30), 5) is None  # the calendar ends


def _approved(teacher, principal, school, **kwargs):
    application = _apply(teacher, school, **kwargs)
    services.aid_decide(application_id=application.pk, by=principal, approve=True)
    return application


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_finance_puts_the_list_online(users, teacher, principal, school, who):
    _approved(teacher, principal, school)
    with pytest.raises(PermissionDenied):
        services.aid_publish(term=school["term"], by=users[who])
    assert not AidPublication.objects.exists()


def test_nothing_decided_nothing_to_publish_and_one_publication_at_a_time(teacher, principal, finance, school):
    _apply(teacher, school)
    with pytest.raises(ValidationError) as err:
        services.aid_publish(term=school["term"], by=finance)
    assert err.value.code == "empty"
    _approved(teacher, principal, school, name="李思雨")
    publication = services.aid_publish(term=school["term"], by=finance)
    assert publication.school_days == 5 and publication.opens_on == timezone.localdate()
    assert publication.closes_on == school_days_from(timezone.localdate(), 5)
    assert "aid list put online until" in publication.history.first().history_change_reason
    with pytest.raises(ValidationError) as err:
        services.aid_publish(term=school["term"], by=finance)
    assert err.value.code == "open"


def test_the_school_sets_the_number_of_days(teacher, principal, finance, school):
    FinanceSettings.objects.update(aid_publication_days=8)
    _approved(teacher, principal, school)
    publication = services.aid_publish(term=school["term"], by=finance)
    assert publication.school_days == 8 and publication.closes_on == school_days_from(publication.opens_on, 8)


def test_a_publication_needs_enough_school_days_ahead(teacher, principal, finance, school):
    _approved(teacher, principal, school)
    with pytest.raises(ValidationError) as err:
        services.aid_publish(term=school["term"], by=finance, today=school["term"].end)
    assert err.value.code == "calendar"


def test_the_public_list_shows_masked_names_only_and_closes_by_itself(
        client, teacher, principal, finance, school, monkeypatch):
    paid = _approved(teacher, principal, school, name="张小明")
    services.aid_pay(application_id=paid.pk, by=finance)
    _approved(teacher, principal, school, name="李思雨", category="lmyb", amount="250.00")
    _apply(teacher, school, name="王浩然")
    rejected = _apply(teacher, school, name="赵子涵")
    services.aid_decide(application_id=rejected.pk, by=principal, approve=False, note="不符合")
    publication = services.aid_publish(term=school["term"], by=finance)
    url = reverse("finance:aid_public", args=[publication.public_token])
    assert len(publication.public_token) == 32
    with translation.override("zh-hans"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    assert "学生资助" in page
    assert "张*明" in page and "李*雨" in page and "一(1)班" in page and "750.00" in page
    for secret in ("张小明", "李思雨", "王浩然", "王*然", "赵子涵", "赵*涵", "父亲务工受伤"):
        assert secret not in page
    # aid decided after it went online is not added to a list already published
    _approved(teacher, principal, school, name="周一鸣")
    assert "周*鸣" not in client.get(url).content.decode()
    # open through its last school day, gone the day after and before its first
    today = timezone.localdate()
    for day, status in ((publication.closes_on, 200), (publication.closes_on + datetime.timedelta(days=1), 404),
                        (today - datetime.timedelta(days=1), 404)):
        monkeypatch.setattr(timezone, "localdate", lambda *a, day=day: day)
        assert client.get(url).status_code == status, day
    assert client.get(reverse("finance:aid_public", args=["0" * 32])).status_code == 404


def test_an_expired_publication_lets_finance_publish_again(teacher, principal, finance, school):
    _approved(teacher, principal, school)
    past = timezone.localdate() - datetime.timedelta(days=30)
    old = services.aid_publish(term=school["term"], by=finance, today=past)
    assert not old.is_open() and old.is_open(past)
    assert services.aid_publish(term=school["term"], by=finance).is_open()


# --- pages ---------------------------------------------------------------------------------

def test_a_teacher_applies_through_the_form_and_sees_only_their_own(login, teacher, users, school):
    other = _apply(users["teacher2"], school, name="李思雨")
    client = login(teacher)
    response = client.post(reverse("finance:aid_new"), {
        "term": school["term"].pk, "pupil_name": "王浩然", "location": school["room"].pk, "category": "hardship",
        "amount": "500.00", "reason": "单亲家庭"})
    application = AidApplication.objects.get(pupil_name="王浩然")
    assert response.status_code == 302 and response["Location"] == reverse("finance:aid_detail",
                                                                           args=[application.pk])
    assert application.submitted_by == teacher and application.decider == "principal"
    page = client.get(reverse("finance:aid_list")).content.decode()
    assert "王浩然" in page and "李思雨" not in page
    assert client.get(reverse("finance:aid_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("finance:aid_detail", args=[other.pk])).status_code == 404
    detail = client.get(reverse("finance:aid_detail", args=[application.pk])).content.decode()
    assert reverse("finance:aid_decide", args=[application.pk]) not in detail


def test_the_menu_leads_a_teacher_to_student_aid(login, teacher, school):
    page = login(teacher).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("finance:aid_list") in page


def test_bad_form_input_saves_nothing(login, teacher, school):
    client = login(teacher)
    for data in ({"amount": "99999999999"}, {"pupil_name": "1234567890"}, {"reason": "电话13805512233"}):
        response = client.post(reverse("finance:aid_new"), {
            "term": school["term"].pk, "pupil_name": "李思雨", "location": school["room"].pk, "category": "lmyb",
            "amount": "100", **data})
        assert response.status_code == 200
    assert not AidApplication.objects.exists()


def test_the_principal_decides_and_finance_pays_from_the_page(login, teacher, principal, finance, users, school):
    application = _apply(teacher, school)
    detail = reverse("finance:aid_detail", args=[application.pk])
    decide = reverse("finance:aid_decide", args=[application.pk])
    assert decide not in login(users["head"]).get(detail).content.decode()
    assert login(users["head"]).post(decide, {"version": 1, "decision": "approve"}).status_code == 403
    assert decide not in login(finance).get(detail).content.decode()
    client = login(principal)
    assert decide in client.get(detail).content.decode()
    client.post(decide, {"version": 1, "decision": "approve"})
    assert AidApplication.objects.get().status == "approved"
    pay = reverse("finance:aid_pay", args=[application.pk])
    assert pay not in client.get(detail).content.decode()
    assert client.post(pay, {"version": 2}).status_code == 403
    client = login(finance)
    assert pay in client.get(detail).content.decode()
    # a second tab still showing version 1
    response = client.post(pay, {"version": 1}, follow=True)
    assert AidApplication.objects.get().status == "approved" and list(response.context["messages"])
    client.post(pay, {"version": 2})
    assert AidApplication.objects.get().status == "paid"
    assert client.get(pay).status_code == 405


@pytest.mark.parametrize("who,status", [("head", 200), ("principal", 200), ("auditor", 200), ("finance", 200),
                                        ("worker", 403), ("canteen", 403)])
def test_who_reads_aid(users, login, teacher, school, who, status):
    application = _apply(teacher, school)
    client = login(users[who])
    assert client.get(reverse("finance:aid_list")).status_code == status
    assert client.get(reverse("finance:aid_detail", args=[application.pk])).status_code in (status, 404)


def test_aid_list_filters(login, finance, teacher, school):
    _apply(teacher, school, name="张小明")
    _apply(teacher, school, name="李思雨", category="lmyb", room=school["rooms"][1])
    client = login(finance)
    page = client.get(reverse("finance:aid_list"), {"category": "lmyb"}).content.decode()
    assert "李思雨" in page and "张小明" not in page
    page = client.get(reverse("finance:aid_list"), {"location": school["room"].pk}).content.decode()
    assert "张小明" in page and "李思雨" not in page
    page = client.get(reverse("finance:aid_list"), {"status": "paid", "term": school["term"].pk}).content.decode()
    assert "张小明" not in page and "李思雨" not in page


@pytest.mark.parametrize("n", [2, 15])
def test_aid_list_query_count_does_not_grow_with_rows(login, finance, school, n, django_assert_max_num_queries):
    teachers = [make_user(f"t{i}", "staff") for i in range(4)]
    for i in range(n):
        _apply(teachers[i % 4], school, name=f"王{i}明", room=school["rooms"][i % 2])
    client = login(finance)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("finance:aid_list"))
    assert response.content.decode().count('data-testid="aid-row"') == n


def test_finance_puts_the_list_online_from_the_aid_page(login, teacher, principal, finance, school):
    _approved(teacher, principal, school)
    client = login(finance)
    page = client.get(reverse("finance:aid_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reverse("finance:aid_publish") in page
    response = client.post(reverse("finance:aid_publish"), {"term": school["term"].pk}, follow=True)
    publication = AidPublication.objects.get()
    page = response.content.decode()
    assert reverse("finance:aid_public", args=[publication.public_token]) in page
    assert reverse("finance:aid_publish") not in page  # one publication at a time
    # a teacher may not publish, and sees no link
    assert login(teacher).post(reverse("finance:aid_publish"), {"term": school["term"].pk}).status_code == 403
    assert publication.public_token not in login(teacher).get(reverse("finance:aid_list")).content.decode()


def test_publication_pdf_masks_names_and_lists_only_approved_and_paid(login, teacher, principal, finance, school,
                                                                      tmp_path):
    paid = _approved(teacher, principal, school, name="张小明")
    services.aid_pay(application_id=paid.pk, by=finance)
    _approved(teacher, principal, school, name="李思雨", category="lmyb", amount="250.00")
    _apply(teacher, school, name="王浩然")
    rejected = _apply(teacher, school, name="赵子涵")
    services.aid_decide(application_id=rejected.pk, by=principal, approve=False, note="不符合")
    response = login(make_user("aud2", "auditor")).get(reverse("finance:aid_publication_pdf"),
                                                       {"term": school["term"].pk})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "aid.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "张*明" in text and "李*雨" in text and "一(1)班" in text and "500.00" in text and "750.00" in text
    for secret in ("张小明", "李思雨", "王浩然", "王*然", "赵子涵", "赵*涵", "父亲务工受伤"):
        assert secret not in text
    assert "12358" in text


def test_publication_pdf_needs_a_reader(login, users, school):
    assert login(users["teacher"]).get(reverse("finance:aid_publication_pdf")).status_code == 403


def test_the_home_page_shows_the_decider_what_to_decide_and_finance_what_to_pay(login, teacher, principal, finance,
                                                                               users, school):
    waiting = _apply(teacher, school, name="王浩然")
    approved = _approved(teacher, principal, school, name="李思雨")
    page = login(principal).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "待审批的学生资助" in page and reverse("finance:aid_detail", args=[waiting.pk]) in page
    page = login(finance).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "待发放的学生资助" in page and reverse("finance:aid_detail", args=[approved.pk]) in page
    assert "待审批的学生资助" not in page
    page = login(users["head"]).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "学生资助" not in page or reverse("finance:aid_detail", args=[waiting.pk]) not in page
