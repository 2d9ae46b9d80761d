"""Loans (借还): lending what is available, the asset's status following, returns in each condition."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assets.models import Asset, AssetCategory, AssetLoan
from assets.selectors import movements as selectors
from assets.services import movements as services
from logistics.history import history_timeline

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


def make_asset(room, *, tag="ZC-2026-00001", name="投影仪", quantity=1, unit_price="3000.00", category=None,
               acquired_on=None, status=Asset.Status.IN_USE, **extra):
    category = category or AssetCategory.objects.get_or_create(name="投影仪", defaults={"code": "A02021100"})[0]
    return Asset.objects.create(tag=tag, name=name, category=category, location=room, quantity=quantity,
                                unit_price=Decimal(unit_price), acquired_on=acquired_on or datetime.date(2024, 3, 1),
                                status=status, **extra)


@pytest.fixture
def projector(school):
    return make_asset(school["room"])


@pytest.fixture
def balls(school):
    return make_asset(school["room"], tag="ZC-2026-00002", name="篮球", quantity=30, unit_price="120.00", unit="个")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages, history reasons and pages read in English, whatever catalogue is compiled; fast hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def reasons(obj):
    return [e["reason"] for e in history_timeline(obj)]


# --- lending ---------------------------------------------------------------------------------

def test_logistics_lends_a_single_asset_and_it_goes_on_loan(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower=users["teacher"],
                              purpose="公开课", due_on=NEXT_WEEK)
    projector.refresh_from_db()
    assert loan.status == AssetLoan.Status.OUT and loan.lent_by == users["worker"]
    assert projector.status == Asset.Status.ON_LOAN
    assert reasons(loan) == [f"lent to 王丽 until {NEXT_WEEK}"]
    assert reasons(projector)[-1] == "all on loan to 王丽"


def test_part_of_a_batch_lent_leaves_the_batch_in_use(users, balls):
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=10, due_on=NEXT_WEEK)
    balls.refresh_from_db()
    assert balls.status == Asset.Status.IN_USE
    assert services.quantity_available(balls) == 20


def test_the_last_units_lent_put_the_batch_on_loan(users, balls):
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=10, due_on=NEXT_WEEK)
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="五(1)班", quantity=20, due_on=NEXT_WEEK)
    balls.refresh_from_db()
    assert balls.status == Asset.Status.ON_LOAN


def test_cannot_lend_more_than_is_available(users, balls):
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=25, due_on=NEXT_WEEK)
    with pytest.raises(ValidationError) as e:
        services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="五(1)班", quantity=6,
                           due_on=NEXT_WEEK)
    assert "Only 5 of ZC-2026-00002 can be lent now." in e.value.messages
    assert AssetLoan.objects.count() == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"due_on": TODAY - datetime.timedelta(days=1)}, "due_on"),
    ({"borrower_name": ""}, "borrower_name"),
    ({"quantity": 0}, "quantity"),
])
def test_bad_loans_are_refused(users, projector, kwargs, field):
    data = {"asset_id": projector.pk, "by": users["worker"], "borrower_name": "家委会", "due_on": NEXT_WEEK, **kwargs}
    with pytest.raises(ValidationError) as e:
        services.loan_lend(**data)
    assert field in e.value.message_dict
    assert not AssetLoan.objects.exists()


@pytest.mark.parametrize("status", [Asset.Status.DAMAGED, Asset.Status.UNDER_REPAIR, Asset.Status.WRITTEN_OFF,
                                    Asset.Status.LOST])
def test_damaged_or_gone_assets_cannot_be_lent(users, school, status):
    asset = make_asset(school["room"], status=status)
    with pytest.raises(ValidationError):
        services.loan_lend(asset_id=asset.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)


@pytest.mark.parametrize("username", ["teacher", "auditor", "principal", "finance"])
def test_only_logistics_and_the_head_lend(users, projector, username):
    with pytest.raises(PermissionDenied):
        services.loan_lend(asset_id=projector.pk, by=users[username], borrower_name="x", due_on=NEXT_WEEK)


def test_the_head_lends_too(users, projector):
    services.loan_lend(asset_id=projector.pk, by=users["head"], borrower_name="家委会", due_on=TODAY)
    assert AssetLoan.objects.count() == 1


# --- returns ---------------------------------------------------------------------------------

def test_return_in_good_condition_brings_the_asset_back(users, school):
    idle = make_asset(school["room"], status=Asset.Status.IDLE)
    loan = services.loan_lend(asset_id=idle.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker2"], condition="good", expected_version=1)
    loan.refresh_from_db()
    idle.refresh_from_db()
    assert loan.status == AssetLoan.Status.RETURNED and loan.returned_on == TODAY
    assert loan.returned_to == users["worker2"]
    assert idle.status == Asset.Status.IDLE  # back to what it was before the loan
    assert reasons(loan)[-1] == "returned in good condition"


def test_return_damaged_needs_a_note_and_keeps_the_asset_for_a_damage_record(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    with pytest.raises(ValidationError):
        services.loan_return(loan_id=loan.pk, by=users["worker"], condition="damaged", note=" ")
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="damaged", note="镜头有裂纹")
    projector.refresh_from_db()
    assert projector.status == Asset.Status.IN_USE
    assert reasons(loan)[-1] == "returned damaged: 镜头有裂纹"


def test_a_lost_single_asset_leaves_the_register_with_its_value(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="lost", note="活动后未找到")
    projector.refresh_from_db()
    assert projector.status == Asset.Status.LOST
    assert projector.disposed_on == TODAY and projector.disposed_value == Decimal("3000.00")
    assert reasons(projector)[-1] == "lost on loan: 活动后未找到"


def test_part_of_a_batch_lost_is_split_off(users, balls):
    loan = services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=3,
                              due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="lost", note="丢了两个……三个")
    balls.refresh_from_db()
    part = Asset.objects.get(tag="X-ZC-2026-00002-1")
    assert balls.quantity == 27 and balls.status == Asset.Status.IN_USE
    assert (part.quantity, part.status, part.disposed_value, part.unit_price) == (
        3, Asset.Status.LOST, Decimal("360.00"), Decimal("120.00"))
    assert part.acquired_on == balls.acquired_on and part.category_id == balls.category_id
    assert reasons(balls)[-1] == "3 lost on loan (now X-ZC-2026-00002-1); 27 left"


def test_a_loan_cannot_be_returned_twice(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="good")
    with pytest.raises(ValidationError) as e:
        services.loan_return(loan_id=loan.pk, by=users["worker"], condition="good")
    assert "already returned" in e.value.messages[0]


def test_a_return_on_a_stale_page_is_refused(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="good", expected_version=1)
    with pytest.raises(ValidationError) as e:
        services.loan_return(loan_id=loan.pk, by=users["worker2"], condition="lost", note="x", expected_version=1)
    assert e.value.code == "stale"
    projector.refresh_from_db()
    assert projector.status == Asset.Status.IN_USE


def test_staff_cannot_take_a_loan_back(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    with pytest.raises(PermissionDenied):
        services.loan_return(loan_id=loan.pk, by=users["teacher"], condition="good")


# --- overdue and pages -----------------------------------------------------------------------

def _overdue(loan, days=3):
    AssetLoan.objects.filter(pk=loan.pk).update(lent_on=TODAY - datetime.timedelta(days=days + 7),
                                                due_on=TODAY - datetime.timedelta(days=days))


def test_overdue_loans_are_listed_and_flagged(users, projector, balls, login):
    late = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=TODAY)
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=2, due_on=NEXT_WEEK)
    _overdue(late)
    assert list(selectors.overdue_loans()) == [late]
    page = login(users["head"]).get(reverse("assets:loan_list") + "?status=overdue").content.decode()
    assert "家委会" in page and "四(1)班" not in page


def test_loan_list_filters_by_borrower(users, projector, balls, login):
    services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower=users["teacher"], due_on=NEXT_WEEK)
    services.loan_lend(asset_id=balls.pk, by=users["worker"], borrower_name="四(1)班", quantity=2, due_on=NEXT_WEEK)
    page = login(users["worker"]).get(reverse("assets:loan_list") + "?q=王丽").content.decode()
    assert "投影仪" in page and "篮球" not in page


@pytest.mark.parametrize("username, code", [("teacher", 403), ("worker", 200), ("head", 200), ("auditor", 200),
                                            ("principal", 200), ("finance", 403)])
def test_who_sees_the_loans(users, username, code, login):
    assert login(users[username]).get(reverse("assets:loan_list")).status_code == code


def test_lend_through_the_page_and_return_it(users, projector, login):
    client = login(users["worker"])
    response = client.post(reverse("assets:loan_create"), {
        "asset": "zc-2026-00001", "quantity": "1", "borrower": users["teacher"].pk, "borrower_name": "",
        "purpose": "公开课", "due_on": NEXT_WEEK.isoformat()})
    loan = AssetLoan.objects.get()
    assert response.status_code == 302 and response.url == reverse("assets:loan_detail", args=[loan.pk])
    page = client.get(response.url).content.decode()
    assert "王丽" in page and "公开课" in page and "lent to 王丽" in page
    response = client.post(reverse("assets:loan_return", args=[loan.pk]), {"version": "1", "condition": "good"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == AssetLoan.Status.RETURNED


def test_lend_page_shows_why_too_many_is_refused(users, balls, login):
    response = login(users["worker"]).post(reverse("assets:loan_create"), {
        "asset": balls.tag, "quantity": "31", "borrower_name": "四(1)班", "due_on": NEXT_WEEK.isoformat()})
    assert response.status_code == 200
    assert "Only 30 of ZC-2026-00002 can be lent now." in response.content.decode()
    assert not AssetLoan.objects.exists()


def test_lend_page_refuses_an_unknown_tag_and_a_past_date(users, projector, login):
    response = login(users["worker"]).post(reverse("assets:loan_create"), {
        "asset": "ZC-1999-99999", "quantity": "1", "borrower_name": "x",
        "due_on": (TODAY - datetime.timedelta(days=1)).isoformat()})
    page = response.content.decode()
    assert "No asset has the tag ZC-1999-99999." in page and "The due date cannot be in the past." in page


def test_return_damaged_on_the_page_leads_to_the_damage_form(users, projector, login):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower=users["teacher"],
                              due_on=NEXT_WEEK)
    client = login(users["worker"])
    response = client.post(reverse("assets:loan_return", args=[loan.pk]),
                           {"version": "1", "condition": "damaged", "note": "镜头有裂纹"})
    assert response.status_code == 302 and response.url.startswith(reverse("assets:damage_create"))
    page = client.get(response.url).content.decode()
    assert "ZC-2026-00001" in page and "王丽" in page and "镜头有裂纹" in page


def test_returning_is_post_only_and_refused_to_staff(users, projector, login):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    assert login(users["worker"]).get(reverse("assets:loan_return", args=[loan.pk])).status_code == 405
    response = login(users["teacher"]).post(reverse("assets:loan_return", args=[loan.pk]),
                                            {"version": "1", "condition": "good"})
    assert response.status_code == 403


def _many_loans(users, school, n, start=0):
    for i in range(start, start + n):
        asset = make_asset(school["room"], tag=f"ZC-2026-{i + 100:05d}", name=f"投影仪{i}")
        loan = services.loan_lend(asset_id=asset.pk, by=users["worker"], borrower=users["teacher"], due_on=TODAY)
        if i % 2:
            _overdue(loan)


def test_loan_list_query_count_does_not_grow_with_rows(users, school, login, django_assert_max_num_queries):
    client = login(users["head"])
    _many_loans(users, school, 2)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("assets:loan_list")).status_code == 200
    _many_loans(users, school, 22, start=2)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("assets:loan_list")).content.decode()
    assert page.count('class="row-link"') == 24


def test_loan_detail_shows_history(users, projector, login, django_assert_max_num_queries):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=NEXT_WEEK)
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="good")
    page = login(users["auditor"]).get(reverse("assets:loan_detail", args=[loan.pk])).content.decode()
    assert "returned in good condition" in page
    assert 'action="/loans/' not in page  # the auditor reads only


def test_waiting_for_lists_overdue_loans_for_logistics_only(users, projector):
    loan = services.loan_lend(asset_id=projector.pk, by=users["worker"], borrower_name="家委会", due_on=TODAY)
    _overdue(loan)
    [section] = [s for s in selectors.waiting_for(users["worker"]) if s["key"] == "overdue_loans"]
    assert [r["url"] for r in section["rows"]] == [reverse("assets:loan_detail", args=[loan.pk])]
    assert section["rows"][0]["overdue"] is True
    assert selectors.waiting_for(users["teacher"]) == []
    assert [s["key"] for s in selectors.waiting_for(users["auditor"])] == []


def test_demo_builds_loans_damage_and_write_offs_once(db):
    import io

    from django.core.management import call_command
    from django.test import override_settings

    from assets.models import DamageRecord, WriteOff

    def seed():
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        return out.getvalue()

    seed()
    assert AssetLoan.objects.filter(status=AssetLoan.Status.OUT).count() == 2
    assert selectors.overdue_loans().count() == 1
    assert AssetLoan.objects.filter(status=AssetLoan.Status.RETURNED, return_condition="good").count() == 1
    damage = DamageRecord.objects.get()
    assert damage.status == DamageRecord.Status.PAID and damage.receipt_number
    assert WriteOff.objects.filter(status=WriteOff.Status.APPROVED, needs_principal=False).count() == 1
    assert WriteOff.objects.filter(status=WriteOff.Status.HEAD_APPROVED, needs_principal=True).count() == 1
    counts = (AssetLoan.objects.count(), DamageRecord.objects.count(), WriteOff.objects.count())
    assert "Loans, damage and write-offs are already there" in seed()
    assert (AssetLoan.objects.count(), DamageRecord.objects.count(), WriteOff.objects.count()) == counts


def test_demo_without_a_register_builds_nothing_and_says_so(users):
    from types import SimpleNamespace

    from assets.demo import movements as demo

    note = demo.seed(SimpleNamespace(users=users, today=TODAY))
    assert note == "No assets in the register: no loans, damage or write-offs built."
    assert not AssetLoan.objects.exists()
