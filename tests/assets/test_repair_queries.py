"""The list pages run the same number of queries with 10 requests as with 200."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import CheckSchedule, CheckTask, RepairCategory, RepairPhoto, RepairRequest, Urgency

Status = RepairRequest.Status

# Measured on SQLite and on PostgreSQL alike, with 10 and with 200 requests: the queue 13 queries
# (whatever the filter or page), my requests 8; home (with the purchases, invoices, loans,
# write-offs and supplies sections) 29 for the head, 26 for a worker, 15 for the auditor, 10 for a
# teacher; each one more since everyone's open print jobs are on the home page (one query). The head's home
# page also draws the dashboard (logistics.dashboard: every module's term figures and charts, computed once,
# and the term summary's state): at most 31 more, the same with 10 as with 200 requests. The bounds leave
# room for two more, not for one per row.
QUEUE_MAX = 15
MINE_MAX = 10
# The head's home adds the dashboard (31 queries: every module's term figures and charts, the summary's state)
# and the canteen's figures and what is missing after meals (16), safety's figures (6) and its home section for the
# head (open hazards counted, the overdue listed, plans past review: at most 3). Safety's sections for everyone
# cost one query each, whatever the rows: the inspections due to me, the hazards I must fix or reported (one
# query for both), my next duty shifts. Measured on PostgreSQL with 10 and 200 requests: head 91, worker 33,
# teacher 16, auditor 20; the bounds leave room for two more.
# Since issue 12 the home page keeps what it shows in the cache until a record changes (logistics.freshness):
# HOME_MAX is the first view after a change (cold, with the cache's reads and writes); the next view reads the
# figures and the user's sections from the cache: at most HOME_WARM queries, whatever the role and the rows.
# Measured cold with 10 and 200 requests: head 88, worker 34, teacher 17, auditor 21.
HOME_MAX = {"head": 88, "worker": 34, "auditor": 21, "teacher": 17}
HOME_WARM = 8


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_requests(n, users, school):
    """n requests of every status, reporter, assignee, place and category, some overdue, some with photos."""
    now = timezone.now()
    statuses = list(Status.values)
    categories = list(RepairCategory.values)
    urgencies = list(Urgency.values)
    reporters = [users["teacher"], users["teacher2"], users["head"]]
    workers = [users["worker"], users["worker2"]]
    rows = []
    for i in range(n):
        status = statuses[i % len(statuses)]
        reported = now - datetime.timedelta(hours=3 * i + 1)
        done = status in (Status.DONE, Status.CONFIRMED)
        rows.append(RepairRequest(
            number=f"WX-2026-{i + 1:05d}", submit_token=uuid.uuid4(),
            category=categories[i % len(categories)], location=school["rooms"][i % 2],
            title=f"故障 {i}", urgency=urgencies[i % len(urgencies)], status=status,
            reporter=reporters[i % len(reporters)], reported_at=reported,
            due_at=reported + datetime.timedelta(hours=24 if i % 2 else 72 * 40),
            assignee=None if status in (Status.REPORTED, Status.CANCELLED) else workers[i % 2],
            completed_at=reported + datetime.timedelta(hours=5) if done else None,
            cost=Decimal("12.50") if done else None,
        ))
    created = RepairRequest.objects.bulk_create(rows)
    # The pages count photos, they never open them: the rows need no file.
    RepairPhoto.objects.bulk_create([
        RepairPhoto(request=r, image="repairs/2026/01/photo.png", width=64, height=48, uploaded_by=r.reporter)
        for r in created[::3]
    ])
    schedule = CheckSchedule.objects.create(title="教室灯光检查", category="lighting", weekdays=[0, 1, 2, 3, 4])
    CheckTask.objects.bulk_create([
        CheckTask(schedule=schedule, due_date=timezone.localdate() - datetime.timedelta(days=d),
                  assignee=workers[d % 2] if d % 3 else None)
        for d in range(min(n, 30))
    ])
    return created


SIZES = [10, 200]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("who", ["head", "worker", "auditor"])
def test_queue_page_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n, who):
    build_requests(n, users, school)
    client.force_login(users[who])
    with django_assert_max_num_queries(QUEUE_MAX):
        response = client.get(reverse("assets:repair_queue"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("query", [{"status": "open"}, {"status": "overdue"}, {"q": "故障"}, {"page": "2"}])
def test_filtered_queue_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n,
                                                  query):
    build_requests(n, users, school)
    client.force_login(users["head"])
    with django_assert_max_num_queries(QUEUE_MAX):
        assert client.get(reverse("assets:repair_queue"), query).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_my_requests_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n):
    build_requests(n, users, school)
    client.force_login(users["teacher"])
    with django_assert_max_num_queries(MINE_MAX):
        response = client.get(reverse("assets:repair_mine"))
    assert response.status_code == 200
    assert all(r.reporter_id == users["teacher"].pk for r in response.context["page"].object_list)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("who", ["head", "worker", "teacher", "auditor"])
def test_home_page_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n, who):
    build_requests(n, users, school)
    client.force_login(users[who])
    with django_assert_max_num_queries(HOME_MAX[who]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "WX-2026-" in response.content.decode()  # rows were drawn inside the bound
    with django_assert_max_num_queries(HOME_WARM):
        again = client.get(reverse("home"))
    assert "WX-2026-" in again.content.decode()
