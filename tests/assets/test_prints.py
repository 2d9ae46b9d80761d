"""Print and copy requests (文印): approval above the school's page limit, printing, and paper used."""
import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assets import services
from assets.models import AssetSettings, PrintRequest
from assets.selectors.supplies import print_usage
from logistics.models import Department

PS = PrintRequest.Status


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def depts(db):
    return {name: Department.objects.create(name=name) for name in ("语文组", "数学组", "总务处")}


def form(depts, **extra):
    data = {"department": depts["语文组"].pk, "title": "一年级拼音练习", "pages": "4", "copies": "45",
            "double_sided": "on", "needed_by": "", "submit_token": str(uuid.uuid4())}
    data.update(extra)
    return data


def test_teacher_sends_a_small_job_straight_to_printing(users, school, depts, client):
    client.force_login(users["teacher"])
    response = client.post(reverse("assets:print_new"), form(depts), follow=True)
    job = PrintRequest.objects.get()
    assert job.status == PS.APPROVED and job.total_pages == 180 and job.sheets == 90
    assert "Sent to logistics for printing." in response.content.decode()


def test_a_job_above_the_limit_waits_for_the_head(users, school, depts, client):
    AssetSettings.objects.update(print_approval_pages=100)
    client.force_login(users["teacher"])
    response = client.post(reverse("assets:print_new"), form(depts, pages="3", copies="34"), follow=True)
    job = PrintRequest.objects.get()
    assert job.status == PS.SUBMITTED
    assert "102 pages is above 100, so the head of logistics approves it first." in response.content.decode()
    # a worker may not approve, the head may
    client.force_login(users["worker"])
    assert client.post(reverse("assets:print_approve", args=[job.pk]), {"version": job.version}).status_code == 403
    client.force_login(users["head"])
    html = client.get(reverse("assets:print_detail", args=[job.pk])).content.decode()
    assert reverse("assets:print_approve", args=[job.pk]) in html
    client.post(reverse("assets:print_approve", args=[job.pk]), {"version": job.version})
    job.refresh_from_db()
    assert job.status == PS.APPROVED and job.approved_by == users["head"]
    client.force_login(users["worker"])
    client.post(reverse("assets:print_done", args=[job.pk]), {"version": job.version})
    job.refresh_from_db()
    assert job.status == PS.DONE and job.done_by == users["worker"]
    client.force_login(users["teacher"])
    html = client.get(reverse("assets:print_detail", args=[job.pk])).content.decode()
    assert "approved" in html and "printed: 68 sheets" in html
    assert "approved by 陈主任" not in html  # the row says who: 陈主任 approved


def test_the_limit_itself_needs_no_approval(users, school, depts):
    AssetSettings.objects.update(print_approval_pages=100)
    job = services.print_submit(by=users["teacher"], department=depts["语文组"], title="x", pages=1, copies=100)
    assert job.status == PS.APPROVED


@pytest.mark.parametrize("extra, message", [
    ({"pages": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"copies": "-5"}, "Ensure this value is greater than or equal to 1."),
    ({"copies": "99999999"}, "Ensure this value is less than or equal to 5000."),
    ({"title": ""}, "This field is required."),
    ({"department": ""}, "This field is required."),
    ({"needed_by": "2001-01-01"}, "That day has passed."),
])
def test_bad_print_input_is_shown_and_kept(users, school, depts, client, extra, message):
    client.force_login(users["teacher"])
    data = form(depts, **extra)
    response = client.post(reverse("assets:print_new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    if data["title"]:
        assert "一年级拼音练习" in html
    assert PrintRequest.objects.count() == 0


def test_double_click_sends_one_print_job(users, school, depts, client):
    client.force_login(users["teacher"])
    data = form(depts)
    client.post(reverse("assets:print_new"), data)
    response = client.post(reverse("assets:print_new"), data, follow=True)
    assert PrintRequest.objects.count() == 1
    assert "it was not sent twice" in response.content.decode()


def test_staff_see_only_their_own_print_jobs(users, school, depts, client):
    mine = services.print_submit(by=users["teacher"], department=depts["语文组"], title="我的", pages=1, copies=1)
    other = services.print_submit(by=users["teacher2"], department=depts["数学组"], title="别人的", pages=1,
                                  copies=1)
    client.force_login(users["teacher"])
    page = client.get(reverse("assets:print_list"))
    assert [j.pk for j in page.context["page"].object_list] == [mine.pk]
    assert client.get(reverse("assets:print_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("assets:print_cancel", args=[other.pk]), {"version": 1}).status_code == 404
    assert client.get(reverse("assets:print_usage")).status_code == 403
    client.force_login(users["worker"])
    page = client.get(reverse("assets:print_list"))
    assert {j.pk for j in page.context["page"].object_list} == {mine.pk, other.pk}


def test_reject_without_a_reason_is_refused(users, school, depts, client):
    job = services.print_submit(by=users["teacher"], department=depts["语文组"], title="秩序册", pages=30, copies=60)
    client.force_login(users["head"])
    response = client.post(reverse("assets:print_reject", args=[job.pk]), {"version": job.version, "note": ""},
                           follow=True)
    assert "Reason: This field is required." in response.content.decode()
    assert PrintRequest.objects.get().status == PS.SUBMITTED


def test_stale_approval_is_refused(users, school, depts, client):
    job = services.print_submit(by=users["teacher"], department=depts["语文组"], title="秩序册", pages=30, copies=60)
    services.print_cancel(request_id=job.pk, by=users["teacher"])
    client.force_login(users["head"])
    response = client.post(reverse("assets:print_approve", args=[job.pk]), {"version": job.version}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert PrintRequest.objects.get().status == PS.CANCELLED


def done_job(users, dept, pages, copies, double, when):
    job = services.print_submit(by=users["teacher"], department=dept, title="卷", pages=pages, copies=copies,
                                double_sided=double)
    if job.status == PS.SUBMITTED:
        services.print_approve(request_id=job.pk, by=users["head"])
    return services.print_done(request_id=job.pk, by=users["worker"], now=when)


def test_paper_used_per_department_in_one_query(users, school, depts, django_assert_num_queries):
    term = school["term"]
    now = timezone.now()
    done_job(users, depts["语文组"], 4, 45, True, now)     # 2 × 45 = 90 sheets
    done_job(users, depts["语文组"], 3, 10, True, now)     # 2 × 10 = 20 (odd pages round up)
    done_job(users, depts["数学组"], 2, 46, False, now)    # 92
    done_job(users, depts["总务处"], 1, 300, False, now - datetime.timedelta(days=400))  # another term
    services.print_submit(by=users["teacher"], department=depts["总务处"], title="未印", pages=1, copies=10)
    with django_assert_num_queries(1):
        usage, totals = print_usage(term)
    assert usage == [
        {"department": "语文组", "jobs": 2, "pages": 210, "sheets": 110},
        {"department": "数学组", "jobs": 1, "pages": 92, "sheets": 92},
    ]
    assert totals == {"jobs": 3, "pages": 302, "sheets": 202}


def test_head_reads_the_usage_page(users, school, depts, client):
    done_job(users, depts["语文组"], 4, 45, True, timezone.now())
    client.force_login(users["head"])
    response = client.get(reverse("assets:print_usage"))
    html = response.content.decode()
    assert response.status_code == 200 and "语文组" in html and ">90<" in html
    other = client.get(reverse("assets:print_usage"), {"term": "999999"})
    assert other.status_code == 200  # an unknown term falls back to the current one


@pytest.mark.parametrize("who", ["teacher", "auditor"])
def test_others_cannot_mark_printed(users, school, depts, client, who):
    job = services.print_submit(by=users["teacher2"], department=depts["语文组"], title="x", pages=1, copies=1)
    client.force_login(users[who])
    response = client.post(reverse("assets:print_done", args=[job.pk]), {"version": job.version})
    assert response.status_code == 403
    assert PrintRequest.objects.get().status == PS.APPROVED
