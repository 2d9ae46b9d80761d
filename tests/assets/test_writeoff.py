"""Write-offs (报损/报废): the head decides, above the limit the principal too; approved units leave."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetLoan, AssetSettings, WriteOff, WriteOffPhoto
from assets.selectors import movements as selectors
from assets.services import movements as services
from tests.conftest import image_bytes, make_user

from .test_loans import NEXT_WEEK, english, make_asset, reasons  # noqa: F401  (english: autouse)

TODAY = timezone.localdate()


@pytest.fixture
def printer(school):
    return make_asset(school["room"], name="打印机", unit_price="1800.00")


@pytest.fixture
def computers(school):
    return make_asset(school["room"], tag="ZC-2026-00003", name="台式计算机", quantity=10, unit_price="4500.00")


def request(users, asset, **kwargs):
    data = {"asset_id": asset.pk, "by": users["worker"], "reason": "主板烧毁，无维修价值", **kwargs}
    return services.writeoff_request(**data)


def photo(name="p.png"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/png")


# --- the request -----------------------------------------------------------------------------

def test_a_request_takes_the_value_and_decides_who_must_approve(users, printer, computers):
    small = request(users, printer)
    big = request(users, computers, quantity=2)
    assert (small.value, small.needs_principal, small.status) == (Decimal("1800.00"), False, WriteOff.Status.SUBMITTED)
    assert (big.value, big.needs_principal) == (Decimal("9000.00"), True)
    assert reasons(big) == ["requested: 2 × ZC-2026-00003, ¥9,000.00"]


def test_exactly_the_limit_does_not_need_the_principal(users, school):
    AssetSettings.objects.update(write_off_principal_limit=Decimal("1800.00"))
    asset = make_asset(school["room"], unit_price="1800.00")
    assert request(users, asset).needs_principal is False


def test_photos_are_checked_and_kept(users, printer):
    wo = request(users, printer, photos=[photo(), photo("b.png")])
    assert wo.photos.count() == 2 and all(p.width == 64 for p in wo.photos.all())


@pytest.mark.parametrize("kwargs, field", [
    ({"reason": " "}, "reason"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": 11}, "quantity"),
    ({"photos": [photo(), photo(), photo(), photo()]}, "photos"),
])
def test_bad_requests_are_refused(users, computers, kwargs, field):
    with pytest.raises(ValidationError) as e:
        request(users, computers, **kwargs)
    assert field in e.value.message_dict
    assert not WriteOff.objects.exists() and not WriteOffPhoto.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(users, printer):
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError):
        request(users, printer, photos=[fake])
    assert not WriteOff.objects.exists()


def test_units_on_loan_or_already_requested_cannot_be_requested(users, computers):
    services.loan_lend(asset_id=computers.pk, by=users["worker"], borrower_name="五(1)班", quantity=4,
                       due_on=NEXT_WEEK)
    request(users, computers, quantity=5)
    with pytest.raises(ValidationError) as e:
        request(users, computers, quantity=2)
    assert "Only 1 of ZC-2026-00003 can be written off" in e.value.messages[0]


@pytest.mark.parametrize("username", ["teacher", "auditor", "principal", "finance"])
def test_who_cannot_ask_for_a_write_off(users, printer, username):
    with pytest.raises(PermissionDenied):
        request(users, printer, by=users[username])


def test_nothing_written_off_is_asked_again(users, school):
    gone = make_asset(school["room"], status=Asset.Status.WRITTEN_OFF)
    with pytest.raises(ValidationError):
        request(users, gone)


# --- decisions -------------------------------------------------------------------------------

def test_head_approves_below_the_limit_and_the_asset_leaves(users, printer):
    wo = request(users, printer)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True, expected_version=1)
    wo.refresh_from_db()
    printer.refresh_from_db()
    assert wo.status == WriteOff.Status.APPROVED and wo.head_decided_by == users["head"]
    assert (printer.status, printer.disposed_on, printer.disposed_value) == (
        Asset.Status.WRITTEN_OFF, TODAY, Decimal("1800.00"))
    assert reasons(wo)[-1] == "approved by the head of logistics; written off"
    assert reasons(printer)[-1] == "written off: 主板烧毁，无维修价值"


def test_above_the_limit_the_principal_decides_after_the_head(users, computers):
    wo = request(users, computers, quantity=2)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    wo.refresh_from_db()
    computers.refresh_from_db()
    assert wo.status == WriteOff.Status.HEAD_APPROVED and computers.quantity == 10
    assert [s["key"] for s in selectors.waiting_for(users["principal"])] == ["writeoffs"]
    assert len(selectors.waiting_for(users["principal"])[0]["rows"]) == 1
    assert selectors.waiting_for(users["head"])[0]["rows"] == []
    # The head cannot also take the principal's step.
    with pytest.raises(PermissionDenied) as e:
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    assert "principal" in str(e.value)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=True, note="同意")
    wo.refresh_from_db()
    computers.refresh_from_db()
    part = Asset.objects.get(tag="X-ZC-2026-00003-1")
    assert wo.status == WriteOff.Status.APPROVED and wo.principal_decided_by == users["principal"]
    assert computers.quantity == 8 and computers.status == Asset.Status.IN_USE
    assert (part.quantity, part.status, part.disposed_on, part.disposed_value) == (
        2, Asset.Status.WRITTEN_OFF, TODAY, Decimal("9000.00"))
    assert reasons(wo)[-2:] == ["approved by the head of logistics; above the limit, it goes to the principal",
                                "approved by the principal; written off"]
    assert reasons(computers)[-1] == "2 written off (now X-ZC-2026-00003-1); 8 left"
    assert reasons(part) == ["split from ZC-2026-00003: 2 left the register (主板烧毁，无维修价值)"]


def test_a_second_partial_write_off_gets_the_next_part_tag(users, computers):
    for _ in range(2):
        wo = request(users, computers, quantity=2)
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
        services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=True)
    assert set(Asset.objects.filter(tag__startswith="X-").values_list("tag", flat=True)) == {
        "X-ZC-2026-00003-1", "X-ZC-2026-00003-2"}


def test_the_principal_cannot_take_the_heads_step(users, computers):
    wo = request(users, computers, quantity=2)
    with pytest.raises(PermissionDenied):
        services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=True)


@pytest.mark.parametrize("username", ["teacher", "worker", "auditor", "finance"])
def test_others_cannot_decide(users, printer, username):
    wo = request(users, printer, by=users["worker2"])
    with pytest.raises(PermissionDenied):
        services.writeoff_decide(writeoff_id=wo.pk, by=users[username], approve=True)


def test_the_requester_cannot_approve_their_own_request(users, printer):
    wo = request(users, printer, by=users["head"])
    with pytest.raises(PermissionDenied) as e:
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    assert "your own" in str(e.value)
    assert not services.can_decide_writeoff(users["head"], wo)
    head2 = make_user("head2", "logistics_head", "副主任")
    services.writeoff_decide(writeoff_id=wo.pk, by=head2, approve=True)
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.APPROVED


def test_rejection_needs_a_note_and_leaves_the_asset(users, computers):
    wo = request(users, computers, quantity=2)
    with pytest.raises(ValidationError) as e:
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=False, note="")
    assert "note" in e.value.message_dict
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=False, note="先送厂家再检测")
    wo.refresh_from_db()
    computers.refresh_from_db()
    assert wo.status == WriteOff.Status.REJECTED and wo.decision_note == "先送厂家再检测"
    assert computers.quantity == 10 and not Asset.objects.filter(tag__startswith="X-").exists()
    assert reasons(wo)[-1] == "rejected by the principal: 先送厂家再检测"
    # The units are free again.
    assert services.quantity_available(computers) == 10


def test_a_decided_write_off_cannot_be_decided_again(users, printer):
    wo = request(users, printer)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=False, note="还能修")
    with pytest.raises(ValidationError) as e:
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    assert "already decided" in e.value.messages[0]


def test_a_decision_on_a_stale_page_is_refused(users, printer):
    wo = request(users, printer)
    head2 = make_user("head2", "logistics_head", "副主任")
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True, expected_version=1)
    with pytest.raises(ValidationError) as e:
        services.writeoff_decide(writeoff_id=wo.pk, by=head2, approve=False, note="不同意", expected_version=1)
    assert e.value.code == "stale"
    assert "changed by someone else" in e.value.messages[0]
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.APPROVED and wo.head_decided_by == users["head"]


def test_units_lent_after_the_request_block_the_approval(users, computers):
    # Defensive: the request reserved its units, but data may change behind the services' back.
    wo = request(users, computers, quantity=2)
    services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
    AssetLoan.objects.create(asset=computers, quantity=9, borrower_name="x", lent_by=users["worker"],
                             due_on=NEXT_WEEK)
    with pytest.raises(ValidationError):
        services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=True)
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.HEAD_APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_give_exactly_one(school):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    from django.contrib.auth.models import Group

    from logistics.roles import sync_role_permissions
    if not Group.objects.filter(name="logistics_head").exists():
        from django.apps import apps
        sync_role_permissions(apps)
    worker = make_user("w", "logistics")
    heads = [make_user("h1", "logistics_head"), make_user("h2", "logistics_head")]
    asset = make_asset(school["room"], unit_price="100.00")
    wo = services.writeoff_request(asset_id=asset.pk, by=worker, reason="坏了")
    barrier = threading.Barrier(2)
    results = []

    def decide(user, approve):
        try:
            barrier.wait()
            services.writeoff_decide(writeoff_id=wo.pk, by=user, approve=approve, note="n", expected_version=1)
            results.append("ok")
        except ValidationError as e:
            results.append(e.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(heads[0], True)),
               threading.Thread(target=decide, args=(heads[1], False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale"]
    wo.refresh_from_db()
    assert wo.version == 2 and wo.history.count() == 2


# --- pages -----------------------------------------------------------------------------------

def test_request_through_the_page_with_photos(users, computers, login):
    client = login(users["worker"])
    response = client.post(reverse("assets:writeoff_create"), {
        "asset": computers.tag, "quantity": "2", "reason": "主板烧毁", "photos": [photo(), photo("b.png")]})
    wo = WriteOff.objects.get()
    assert response.url == reverse("assets:writeoff_detail", args=[wo.pk])
    page = client.get(response.url).content.decode()
    assert "¥9,000.00" in page and "主板烧毁" in page
    photo_url = reverse("assets:writeoff_photo", args=[wo.pk, wo.photos.first().pk])
    assert photo_url in page
    assert client.get(photo_url).status_code == 200
    assert login(users["teacher"]).get(photo_url).status_code == 403


def test_too_many_photos_on_the_page_are_refused(users, printer, login):
    response = login(users["worker"]).post(reverse("assets:writeoff_create"), {
        "asset": printer.tag, "quantity": "1", "reason": "坏了", "photos": [photo() for _ in range(4)]})
    assert response.status_code == 200 and "At most 3 photos" in response.content.decode()
    assert not WriteOff.objects.exists()


def test_missing_reason_on_the_page_is_refused(users, printer, login):
    response = login(users["worker"]).post(reverse("assets:writeoff_create"), {
        "asset": printer.tag, "quantity": "1", "reason": ""})
    assert response.status_code == 200 and not WriteOff.objects.exists()


def test_decide_through_the_pages(users, computers, login):
    wo = request(users, computers, quantity=2)
    head_page = login(users["head"]).get(reverse("assets:writeoff_detail", args=[wo.pk])).content.decode()
    assert "Approve and send to the principal" in head_page
    worker_page = login(users["worker"]).get(reverse("assets:writeoff_detail", args=[wo.pk])).content.decode()
    assert "writeoff_decide" not in worker_page and "decide/" not in worker_page
    client = login(users["head"])
    client.post(reverse("assets:writeoff_decide", args=[wo.pk]), {"version": "1", "decision": "approve"})
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.HEAD_APPROVED
    # The head's second click on the same (now stale) page: refused with a message, nothing changes.
    response = client.post(reverse("assets:writeoff_decide", args=[wo.pk]), {"version": "1", "decision": "approve"},
                           follow=True)
    assert "Nothing was saved" in response.content.decode()
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.HEAD_APPROVED and wo.version == 2
    # On a fresh page, the principal's step is not the head's.
    response = client.post(reverse("assets:writeoff_decide", args=[wo.pk]), {"version": "2", "decision": "approve"})
    assert response.status_code == 403
    client = login(users["principal"])
    page = client.get(reverse("assets:writeoff_detail", args=[wo.pk])).content.decode()
    assert "The principal&#x27;s decision" in page or "The principal's decision" in page
    response = client.post(reverse("assets:writeoff_decide", args=[wo.pk]), {"version": "2", "decision": "reject"})
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.HEAD_APPROVED  # a rejection needs a note
    client.post(reverse("assets:writeoff_decide", args=[wo.pk]), {"version": "2", "decision": "approve"})
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.APPROVED
    page = client.get(reverse("assets:writeoff_detail", args=[wo.pk])).content.decode()
    assert "approved by the principal; written off" in page and "X-ZC-2026-00003-1" in page


def test_a_stale_page_shows_a_clear_message(users, printer, login):
    wo = request(users, printer)
    head2 = make_user("head2", "logistics_head", "副主任")
    services.writeoff_decide(writeoff_id=wo.pk, by=head2, approve=True)
    client = login(users["head"])
    response = client.post(reverse("assets:writeoff_decide", args=[wo.pk]),
                           {"version": "1", "decision": "reject", "note": "不同意"}, follow=True)
    assert "changed by someone else" in response.content.decode()
    wo.refresh_from_db()
    assert wo.status == WriteOff.Status.APPROVED


def test_waiting_for_me_tab(users, printer, computers, login):
    request(users, printer)
    big = request(users, computers, quantity=2)
    services.writeoff_decide(writeoff_id=big.pk, by=users["head"], approve=True)
    page = login(users["principal"]).get(reverse("assets:writeoff_list") + "?status=mine").content.decode()
    assert "台式计算机" in page and "打印机" not in page
    page = login(users["head"]).get(reverse("assets:writeoff_list") + "?status=mine").content.decode()
    assert "打印机" in page and "台式计算机" not in page


@pytest.mark.parametrize("username, code", [("teacher", 403), ("worker", 200), ("head", 200), ("principal", 200),
                                            ("auditor", 200), ("canteen", 403)])
def test_who_sees_write_offs(users, username, code, login):
    assert login(users[username]).get(reverse("assets:writeoff_list")).status_code == code


def test_writeoff_list_query_count_is_flat(users, school, login, django_assert_max_num_queries):
    client = login(users["principal"])

    def add(n, start):
        for i in range(start, start + n):
            asset = make_asset(school["room"], tag=f"ZC-2026-{i + 10:05d}", name=f"电脑{i}",
                               unit_price="6000.00")
            request(users, asset, photos=[photo()] if i % 3 == 0 else [])

    add(2, 0)
    with django_assert_max_num_queries(10):
        client.get(reverse("assets:writeoff_list"))
    add(20, 2)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("assets:writeoff_list")).content.decode()
    assert page.count('class="row-link"') == 22
