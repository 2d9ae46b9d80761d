"""The term's repair figures (assets.selectors.repair_stats) and where they are shown."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import RepairRequest
from assets.selectors import repair_stats

Status = RepairRequest.Status
H = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def term_range(school):
    return school["term"].datetime_range


def add(users, school, category, reported_at, *, status=Status.REPORTED, due_in=72, fixed_in=None, cost=None,
        due_at=None):
    """A request as it would stand after the services had moved it (the figures only read stored fields)."""
    return RepairRequest.objects.create(
        number=f"WX-T-{uuid.uuid4().hex[:8]}", category=category, location=school["room"], title=category,
        status=status, reporter=users["teacher"], reported_at=reported_at,
        due_at=due_at or reported_at + due_in * H,
        assignee=None if status == Status.REPORTED else users["worker"],
        completed_at=reported_at + fixed_in * H if fixed_in is not None else None,
        cost=cost,
    )


@pytest.fixture
def term_requests(users, school, term_range):
    """Six requests inside the term and two just outside it."""
    start, end = term_range
    day = start + 24 * H
    now = timezone.now()
    add(users, school, "lighting", day, status=Status.CONFIRMED, due_in=8, fixed_in=2, cost=Decimal("10.00"))
    add(users, school, "lighting", day, status=Status.DONE, due_in=72, fixed_in=80, cost=Decimal("20.50"))
    add(users, school, "plumbing", start, status=Status.CONFIRMED, due_in=72, fixed_in=10)
    add(users, school, "doors", day, status=Status.ASSIGNED, due_at=now - H)  # overdue now
    add(users, school, "furniture", now - H, status=Status.REPORTED, due_at=now + 10 * H)  # not yet due
    add(users, school, "it", day, status=Status.REJECTED, due_at=now - H)  # closed: never overdue
    # Outside the term: before its first day, and from the midnight after its last day.
    add(users, school, "building", start - H, status=Status.ASSIGNED, due_at=now - H, cost=Decimal("99"))
    add(users, school, "other", end, status=Status.CONFIRMED, fixed_in=1, cost=Decimal("99"))
    return now


def test_counts_by_category_cover_every_category_in_order(term_requests, term_range):
    stats = repair_stats(*term_range, now=term_requests)
    assert stats["total"] == 6
    assert [(row["category"], row["count"]) for row in stats["by_category"]] == [
        ("lighting", 2), ("plumbing", 1), ("doors", 1), ("furniture", 1), ("it", 1), ("building", 0), ("other", 0),
    ]


def test_counts_by_status(term_requests, term_range):
    stats = repair_stats(*term_range, now=term_requests)
    assert stats["by_status"] == {"confirmed": 2, "done": 1, "assigned": 1, "reported": 1, "rejected": 1}


def test_median_hours_to_fix_and_share_within_target(term_requests, term_range):
    stats = repair_stats(*term_range, now=term_requests)
    assert stats["fixed"] == 3
    assert stats["median_hours_to_fix"] == 10.0  # of 2, 10 and 80 hours
    assert stats["within_target_percent"] == 67  # 2 of 3


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(users, school, term_range):
    start, _end = term_range
    for hours in (2, 10, 80, 100):
        add(users, school, "lighting", start + H, status=Status.CONFIRMED, fixed_in=hours)
    assert repair_stats(*term_range)["median_hours_to_fix"] == 45.0


def test_overdue_counts_only_unfixed_requests_past_their_target(term_requests, term_range):
    assert repair_stats(*term_range, now=term_requests)["overdue"] == 1
    # A day later the furniture request is overdue too.
    assert repair_stats(*term_range, now=term_requests + 24 * H)["overdue"] == 2


def test_total_cost_sums_the_term_only(term_requests, term_range):
    total = repair_stats(*term_range, now=term_requests)["total_cost"]
    assert total == Decimal("30.50")
    assert isinstance(total, Decimal)


def test_an_empty_term_has_no_figures_to_divide(school, term_range):
    stats = repair_stats(*term_range)
    assert stats["total"] == 0
    assert stats["fixed"] == 0
    assert stats["median_hours_to_fix"] is None
    assert stats["within_target_percent"] is None
    assert stats["overdue"] == 0
    assert stats["total_cost"] == Decimal("0.00")


def test_the_home_page_shows_the_term_figures_to_readers_of_every_request(users, term_requests, client):
    client.force_login(users["worker"])
    response = client.get(reverse("home"))
    # The figures are assets' panel on the kernel's home page (logistics.modules.Panel).
    stats = next(p.context["stats"] for p in response.context["panels"] if p.key == "repair_stats")
    assert stats["total"] == 6
    assert stats["overdue"] == 1
    page = response.content.decode()
    assert "67%" in page  # fixed within target
    assert "10.0" in page  # median hours to fix


def test_the_head_reads_the_repair_figures_once_in_the_dashboard(users, term_requests, client):
    client.force_login(users["head"])
    response = client.get(reverse("home"))
    assert [p for p in response.context["panels"] if p.key == "repair_stats"] == []
    tiles = {t.key: t.value for t in response.context["dashboard"].tiles}
    assert tiles["repairs.total"] == "6"
    assert tiles["repairs.within_target_percent"] == "67%"


def test_a_teacher_home_page_shows_no_school_figures(users, term_requests, client):
    client.force_login(users["teacher"])
    response = client.get(reverse("home"))
    assert [p for p in response.context["panels"] if p.key == "repair_stats"] == []
    assert "67%" not in response.content.decode()
