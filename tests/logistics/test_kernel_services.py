"""The kernel's service helpers, each on its own, on real records (a term and a repair request)."""
import datetime
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from assets.models import RepairCategory, RepairRequest, Urgency
from logistics import services
from logistics.models import Term


@pytest.fixture(autouse=True)
def in_english():
    """The messages these tests read are the English msgids (Chinese is the default language)."""
    with translation.override("en"):
        yield



def repair(users, school, **kwargs):
    now = timezone.now()
    fields = {"category": RepairCategory.LIGHTING, "location": school["room"], "title": "灯管不亮",
              "urgency": Urgency.NORMAL, "reporter": users["teacher"], "reported_at": now,
              "due_at": now + datetime.timedelta(hours=72), "number": f"T-{uuid.uuid4().hex[:8]}"}
    fields.update(kwargs)
    return RepairRequest.objects.create(**fields)


# --- require, check_version, lock, refuse ----------------------------------------------------------

def test_require_refuses_a_missing_permission_and_an_inactive_user(users):
    services.require(users["head"], "assets.assign_repairrequest")
    with pytest.raises(PermissionDenied):
        services.require(users["teacher"], "assets.assign_repairrequest")
    head = users["head"]
    head.is_active = False
    with pytest.raises(PermissionDenied, match="Only the head"):
        services.require(head, "assets.assign_repairrequest", "Only the head")


def test_lock_refuses_a_stale_page_and_names_the_record(users, school):
    r = repair(users, school)
    assert services.lock(RepairRequest, r.pk, expected_version=r.version).pk == r.pk
    with pytest.raises(ValidationError) as e:
        services.lock(RepairRequest.objects.select_related("location"), r.pk, expected_version=r.version + 1)
    assert e.value.code == "stale"
    assert "repair request" in e.value.messages[0] and "Reported" in e.value.messages[0]


def test_check_version_skips_only_when_no_page_sent_it(users, school):
    r = repair(users, school)
    services.check_version(r, None, "request")  # the demo and commands send no version
    with pytest.raises(ValidationError):
        services.check_version(r, "0", "request")


def test_refuse_says_the_status_and_the_move(users, school):
    with pytest.raises(ValidationError) as e:
        services.refuse(repair(users, school), "confirmed")
    assert e.value.code == "not_allowed"
    assert "“Reported” cannot be confirmed" in e.value.messages[0]


def test_save_with_history_raises_the_version_and_records_who_and_why(users, school):
    r = repair(users, school)
    before = r.version
    r.title = "两根灯管不亮"
    services.save_with_history(r, users["head"], "edited")
    r.refresh_from_db()
    assert r.version == before + 1
    last = r.history.first()
    assert (last.history_user, last.history_change_reason, last.title) == (users["head"], "edited", "两根灯管不亮")


# --- numbers and submit tokens --------------------------------------------------------------------

def test_next_number_counts_per_year_from_the_last_one(users, school):
    now = timezone.now()
    year = timezone.localtime(now).year
    assert services.next_number(RepairRequest, "WX", now) == f"WX-{year}-00001"
    repair(users, school, number=f"WX-{year}-00041")
    repair(users, school, number=f"WX-{year - 1}-00900")
    assert services.next_number(RepairRequest, "WX", now) == f"WX-{year}-00042"


def test_insert_once_numbers_and_returns_the_first_record_for_a_second_submit(users, school):
    token = uuid.uuid4()
    now = timezone.now()

    def new():
        return RepairRequest(category=RepairCategory.LIGHTING, location=school["room"], title="x",
                             reporter=users["teacher"], reported_at=now, due_at=now)

    first = services.insert_once(new(), user=users["teacher"], owner_field="reporter_id", submit_token=token,
                                 number_prefix="WX", now=now)
    assert first.number.startswith("WX-") and not getattr(first, "was_duplicate", False)
    again = services.find_duplicate(RepairRequest, token, users["teacher"], "reporter_id")
    assert again.pk == first.pk and again.was_duplicate
    with pytest.raises(ValidationError, match="already used"):
        services.find_duplicate(RepairRequest, token, users["teacher2"], "reporter_id")
    second = services.insert_once(new(), user=users["teacher"], owner_field="reporter_id", number_prefix="WX", now=now)
    assert second.number == services.next_number(RepairRequest, "WX", now)[:-5] + f"{int(first.number[-5:]) + 1:05d}"
    assert RepairRequest.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_six_writers_at_once_get_six_numbers(users, school):
    now = timezone.now()
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def write():
        try:
            barrier.wait()
            with transaction.atomic():
                obj = RepairRequest(category=RepairCategory.LIGHTING, location=school["room"], title="x",
                                    reporter=users["teacher"], reported_at=now, due_at=now)
                numbers.append(services.insert_once(obj, user=users["teacher"], owner_field="reporter_id",
                                                    number_prefix="WX", now=now).number)
        except Exception as e:  # noqa: BLE001  the test reports any failure below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(numbers)) == 6


# --- money and names -------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "amount"), [
    ("12.5", Decimal("12.50")), (" 1,200.00 ", Decimal("1200.00")), ("1，200", Decimal("1200.00")),
    ("¥35", Decimal("35.00")), ("12元", Decimal("12.00")), (Decimal("7"), Decimal("7.00")), (3, Decimal("3.00")),
])
def test_parse_money_reads_what_people_type(typed, amount):
    assert services.parse_money(typed) == amount


@pytest.mark.parametrize(("typed", "code"), [
    ("12.345", "decimal_places"), ("abc", "invalid"), ("", "invalid"), (None, "invalid"), ("NaN", "invalid"),
    ("Infinity", "invalid"), ("-1", "min_value"), ("0", "min_value"), ("100000000", "max_value"),
])
def test_parse_money_refuses_with_a_reason_and_never_rounds(typed, code):
    with pytest.raises(ValidationError) as e:
        services.parse_money(typed, "amount")
    [error] = e.value.error_dict["amount"]
    assert error.code == code


def test_parse_money_allows_zero_when_asked():
    assert services.parse_money("0", allow_zero=True) == Decimal("0.00")


def test_display_name_is_the_full_name_else_the_username(users):
    assert services.display_name(users["head"]) == "陈主任"
    users["head"].first_name = ""
    assert services.display_name(users["head"]) == "head"
    assert services.display_name(None) == ""


def test_a_term_has_no_version_and_needs_none(school):
    # lock works on a record without a version when the page sends none
    assert services.lock(Term, school["term"].pk).pk == school["term"].pk
