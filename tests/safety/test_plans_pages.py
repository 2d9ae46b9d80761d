"""The emergency plans and drills pages: who may open and use them, a plan kept and revised with its document
(bad files and stale pages refused, what was typed kept), documents served to readers only, a drill recorded
from a phone (a day in the future, nobody taking part, a bad time, a second click), its follow-up actions
linking to the findings, the home sections, the admin, and query counts that do not grow with the rows."""
import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from logistics.models import Finding
from safety.home import plans as home
from safety.models import Drill, EmergencyPlan
from safety.services import plans as services

from ..conftest import image_bytes

pytestmark = pytest.mark.usefixtures("english_pages")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def make_plan(user, title="消防应急预案", **kw):
    data = {"title": title, "kind": EmergencyPlan.Kind.FIRE, "version_label": "2025版", "document": pdf(),
            "approved_on": TODAY - 30 * DAY, "next_review": TODAY + 300 * DAY}
    data.update(kw)
    return services.plan_add(by=user, **data)


def make_drill(user, plan, n=0, **kw):
    data = {"plan": plan, "title": f"消防疏散演练{n}", "held_on": TODAY - n * DAY, "classes": "全校",
            "headcount": 1200, "evacuation_seconds": "3:12"}
    data.update(kw)
    return services.drill_record(by=user, **data)


@pytest.fixture
def plan(users, school):
    return make_plan(users["safety"])


@pytest.fixture
def drill(users, plan):
    return make_drill(users["safety"], plan, photos=[SimpleUploadedFile("a.png", image_bytes())])


def drill_data(plan, **kw):
    data = {"plan": plan.pk, "title": "消防疏散演练", "held_on": TODAY.isoformat(), "classes": "全校",
            "headcount": "1186", "evacuation_seconds": "3分12秒", "went_well": "有序", "to_improve": ""}
    data.update(kw)
    return data


# --- who may --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["safety", "head", "principal", "auditor"])
def test_the_safety_officer_and_readers_open_the_pages(users, drill, login, who):
    client = login(users[who])
    for url in (reverse("safety:emergencyplan_list"), reverse("safety:drill_list"),
                reverse("safety:emergencyplan_detail", args=[drill.plan.pk]), drill.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("safety:emergencyplan_document", args=[drill.plan.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    photo = drill.photos.get()
    assert client.get(reverse("safety:drill_photo", args=[drill.pk, photo.pk])).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "worker", "canteen", "finance"])
def test_others_cannot_open_plans_drills_or_documents(users, drill, login, who):
    client = login(users[who])
    for url in (reverse("safety:emergencyplan_list"), reverse("safety:drill_list"),
                reverse("safety:emergencyplan_detail", args=[drill.plan.pk]), drill.get_absolute_url(),
                reverse("safety:emergencyplan_document", args=[drill.plan.pk]),
                reverse("safety:drill_photo", args=[drill.pk, drill.photos.get().pk]),
                reverse("safety:drill_add"), reverse("safety:emergencyplan_add")):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["head", "principal", "auditor"])
def test_readers_cannot_keep_plans_or_record_drills(users, plan, login, who):
    client = login(users[who])
    assert client.get(reverse("safety:emergencyplan_add")).status_code == 403
    assert client.get(reverse("safety:drill_add")).status_code == 403
    assert client.post(reverse("safety:drill_add"), drill_data(plan)).status_code == 403
    assert client.get(reverse("safety:emergencyplan_revise", args=[plan.pk])).status_code == 403
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Revise: a new version" not in page and "Record a drill on this plan" not in page
    assert not Drill.objects.exists()


def test_the_teacher_cannot_see_the_plans_admin_pages(users, plan, login):
    client = login(users["teacher"])
    for url in ("/admin/safety/emergencyplan/", f"/admin/safety/emergencyplan/{plan.pk}/change/",
                "/admin/safety/drill/", "/admin/safety/pledge/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_the_admin_reads_plans_and_drills_and_adds_none(admin_client, drill):
    for url in ("/admin/safety/emergencyplan/", f"/admin/safety/emergencyplan/{drill.plan.pk}/change/",
                f"/admin/safety/emergencyplan/{drill.plan.pk}/history/", "/admin/safety/drill/",
                f"/admin/safety/drill/{drill.pk}/change/", "/admin/safety/drillphoto/"):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/safety/emergencyplan/add/").status_code == 403
    assert admin_client.get("/admin/safety/drill/add/").status_code == 403


# --- plans ---------------------------------------------------------------------------------------

def plan_data(**kw):
    data = {"title": "食品安全应急预案", "kind": "food_safety", "version_label": "2026版",
            "approved_on": TODAY.isoformat(), "next_review": (TODAY + 365 * DAY).isoformat(), "summary": "停餐封存留样",
            "document": pdf()}
    data.update(kw)
    return data


def test_the_safety_officer_keeps_a_plan_from_its_page(users, school, login):
    client = login(users["safety"])
    assert client.get(reverse("safety:emergencyplan_add")).status_code == 200
    response = client.post(reverse("safety:emergencyplan_add"), plan_data())
    plan = EmergencyPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.title == "食品安全应急预案" and plan.document.name.endswith(".pdf")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Version 2026版" in page and "kept version 2026版" in page


def test_a_second_click_on_keep_the_plan_keeps_one(users, school, login):
    client = login(users["safety"])
    client.post(reverse("safety:emergencyplan_add"), plan_data())
    response = client.post(reverse("safety:emergencyplan_add"), plan_data(), follow=True)
    assert "already kept; it was not kept twice" in response.content.decode()
    assert EmergencyPlan.objects.count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"document": SimpleUploadedFile("plan.exe", b"MZ\x90\x00 program")}, "is not a PDF or an image"),
    ({"approved_on": (TODAY + DAY).isoformat()}, "is after today"),
    ({"next_review": TODAY.isoformat(), "approved_on": (TODAY - 9 * DAY).isoformat()}, "must be a day after today"),
])
def test_a_plan_with_bad_input_shows_why_and_keeps_what_was_typed(users, school, login, changes, message):
    client = login(users["safety"])
    response = client.post(reverse("safety:emergencyplan_add"), plan_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="食品安全应急预案"' in page and "停餐封存留样" in page
    assert not EmergencyPlan.objects.exists()


def test_a_document_too_large_is_refused_on_the_page(users, school, login, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client = login(users["safety"])
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf")
    response = client.post(reverse("safety:emergencyplan_add"), plan_data(document=big))
    assert "a file may be at most" in response.content.decode()
    assert not EmergencyPlan.objects.exists()


def test_a_new_version_from_the_page_and_the_earlier_document_still_downloads(users, plan, login):
    client = login(users["safety"])
    url = reverse("safety:emergencyplan_revise", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": "0", "version_label": "2026版", "document": pdf("v2.pdf"),
                                 "approved_on": TODAY.isoformat(),
                                 "next_review": (TODAY + 365 * DAY).isoformat()})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version_label == "2026版"
    old = plan.history.get(history_type="+")
    response = client.get(reverse("safety:emergencyplan_document_version", args=[plan.pk, old.history_id]))
    assert response.status_code == 200 and "2025" in response["Content-Disposition"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Version 2025版" in page and "revised from version 2025版 to 2026版" in page


def test_a_new_version_from_a_stale_page_is_refused(users, plan, login):
    client = login(users["safety"])
    services.plan_retire(plan_id=plan.pk, by=users["safety"], reason="x", expected_version=0)
    services.plan_reinstate(plan_id=plan.pk, by=users["safety"], expected_version=1)
    response = client.post(reverse("safety:emergencyplan_revise", args=[plan.pk]), {
        "version": "0", "version_label": "2026版", "document": pdf(), "approved_on": TODAY.isoformat(),
        "next_review": (TODAY + 365 * DAY).isoformat()})
    assert response.status_code == 200 and "while this one was open" in response.content.decode()
    plan.refresh_from_db()
    assert plan.version_label == "2025版"


def test_a_plan_taken_out_of_force_and_back(users, plan, login):
    client = login(users["safety"])
    client.post(reverse("safety:emergencyplan_retire", args=[plan.pk]), {"version": "0", "reason": "合并"})
    plan.refresh_from_db()
    assert not plan.active
    assert client.get(reverse("safety:emergencyplan_list")).content.decode().count('data-testid="plan-row"') == 0
    assert "No longer in force" in client.get(reverse("safety:emergencyplan_list") + "?state=all").content.decode()
    client.post(reverse("safety:emergencyplan_reinstate", args=[plan.pk]), {"version": "1"})
    plan.refresh_from_db()
    assert plan.active


def test_a_plan_past_its_review_date_shows_a_badge_on_the_list(users, plan, login):
    EmergencyPlan.objects.filter(pk=plan.pk).update(next_review=TODAY - DAY)
    make_plan(users["safety"], title="食品安全应急预案", next_review=TODAY + 5 * DAY)
    make_plan(users["safety"], title="自然灾害应急预案", next_review=TODAY + 200 * DAY)
    page = login(users["safety"]).get(reverse("safety:emergencyplan_list")).content.decode()
    assert page.count('data-state="overdue"') == 1 and page.count('data-state="due"') == 1
    overdue = login(users["safety"]).get(reverse("safety:emergencyplan_list") + "?review=overdue").content.decode()
    assert overdue.count('data-testid="plan-row"') == 1 and "消防应急预案" in overdue


# --- drills --------------------------------------------------------------------------------------

def test_the_safety_officer_records_a_drill_from_the_page(users, plan, login):
    client = login(users["safety"])
    page = client.get(reverse("safety:drill_add") + f"?plan={plan.pk}").content.decode()
    assert "minutes:seconds" in page
    response = client.post(reverse("safety:drill_add"), drill_data(
        plan, photos=[SimpleUploadedFile("a.png", image_bytes()), SimpleUploadedFile("b.jpg", image_bytes("JPEG"))]))
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == drill.get_absolute_url()
    assert drill.evacuation_seconds == 192 and drill.headcount == 1186 and drill.photos.count() == 2
    page = client.get(drill.get_absolute_url()).content.decode()
    assert "3:12" in page and "192 seconds" in page and "recorded: 1186 people took part" in page


@pytest.mark.parametrize("changes, message", [
    ({"held_on": (TODAY + DAY).isoformat()}, "record a drill once it has been held"),
    ({"headcount": "0"}, "greater than or equal to 1"),
    ({"evacuation_seconds": "3:75"}, "minutes:seconds (3:12) or in seconds (192)"),
    ({"evacuation_seconds": "about three minutes"}, "minutes:seconds (3:12) or in seconds (192)"),
    ({"classes": ""}, "This field is required"),
])
def test_a_drill_with_bad_input_shows_why_and_keeps_what_was_typed(users, plan, login, changes, message):
    client = login(users["safety"])
    response = client.post(reverse("safety:drill_add"), drill_data(plan, went_well="各班有序", **changes))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="消防疏散演练"' in page and "各班有序" in page
    assert not Drill.objects.exists()


def test_too_many_or_bad_photos_record_no_drill(users, plan, login):
    client = login(users["safety"])
    photos = [SimpleUploadedFile(f"{n}.png", image_bytes()) for n in range(7)]
    assert "At most 6 photos" in client.post(reverse("safety:drill_add"),
                                             drill_data(plan, photos=photos)).content.decode()
    bad = client.post(reverse("safety:drill_add"), drill_data(plan, photos=[SimpleUploadedFile("x.png", b"text")]))
    assert bad.status_code == 200
    assert not Drill.objects.exists()


def test_a_second_click_records_one_drill(users, plan, login):
    client = login(users["safety"])
    client.post(reverse("safety:drill_add"), drill_data(plan))
    response = client.post(reverse("safety:drill_add"), drill_data(plan), follow=True)
    assert "already recorded" in response.content.decode()
    assert Drill.objects.count() == 1


def test_follow_up_actions_are_added_from_the_drill_and_link_to_the_findings(users, drill, login):
    client = login(users["safety"])
    page = client.get(drill.get_absolute_url()).content.decode()
    assert "Add a follow-up action" in page
    token = str(uuid.uuid4())
    data = {"submit_token": token, "title": "三楼应急照明维修", "responsible": users["worker"].pk,
            "deadline": (TODAY + 3 * DAY).isoformat(), "description": ""}
    url = reverse("safety:drill_follow_up_add", args=[drill.pk])
    assert client.post(url, data).status_code == 302
    assert "already added" in client.post(url, data, follow=True).content.decode()
    finding = Finding.objects.get()
    assert finding.source == drill and finding.area == "safety"
    page = client.get(drill.get_absolute_url()).content.decode()
    assert reverse("findings:detail", args=[finding.pk]) in page and 'data-status="open"' in page
    assert finding.number in page and "张师傅" in page


def test_a_follow_up_action_with_a_past_deadline_shows_why(users, drill, login):
    client = login(users["safety"])
    response = client.post(reverse("safety:drill_follow_up_add", args=[drill.pk]), {
        "submit_token": str(uuid.uuid4()), "title": "三楼应急照明维修", "responsible": users["worker"].pk,
        "deadline": (TODAY - DAY).isoformat()})
    assert response.status_code == 200 and "cannot be in the past" in response.content.decode()
    assert 'value="三楼应急照明维修"' in response.content.decode()
    assert not Finding.objects.exists()


def test_readers_see_no_follow_up_form(users, drill, login):
    page = login(users["principal"]).get(drill.get_absolute_url()).content.decode()
    assert "Add a follow-up action" not in page
    assert login(users["principal"]).post(reverse("safety:drill_follow_up_add", args=[drill.pk]), {}).status_code \
        == 403


def test_drills_filter_by_plan_and_term(users, plan, school, login):
    other = make_plan(users["safety"], title="自然灾害应急预案", kind="natural_disaster")
    make_drill(users["safety"], plan, 1)
    make_drill(users["safety"], other, 2)
    make_drill(users["safety"], other, 3, held_on=school["term"].start - DAY)
    client = login(users["safety"])
    url = reverse("safety:drill_list")
    assert client.get(url).content.decode().count('data-testid="drill-row"') == 3
    assert client.get(f"{url}?plan={other.pk}").content.decode().count('data-testid="drill-row"') == 2
    assert client.get(f"{url}?term={school['term'].pk}").content.decode().count('data-testid="drill-row"') == 2
    since = (TODAY - 2 * DAY).isoformat()
    assert client.get(f"{url}?date_from={since}&plan={other.pk}").content.decode().count('data-testid="drill-row"') \
        == 1


# --- home ----------------------------------------------------------------------------------------

def test_plans_to_review_show_on_the_officers_and_the_principals_home(users, plan, login):
    EmergencyPlan.objects.filter(pk=plan.pk).update(next_review=TODAY - DAY)
    make_plan(users["safety"], title="食品安全应急预案", next_review=TODAY + 10 * DAY)
    make_plan(users["safety"], title="自然灾害应急预案", next_review=TODAY + 200 * DAY)
    now = timezone.now()
    for who in ("safety", "principal"):
        [section] = home.sections(users[who], now)
        assert [r.title for r in section.rows] == ["消防应急预案", "食品安全应急预案"]
        assert section.rows[0].overdue and not section.rows[1].overdue
    for who in ("head", "teacher", "auditor"):
        assert home.sections(users[who], now) == []
    page = login(users["principal"]).get("/").content.decode()
    assert "Emergency plans to review" in page and "消防应急预案" in page


# --- query counts --------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [3, 30])
def test_the_pages_read_a_bounded_number_of_queries(users, school, login, django_assert_max_num_queries, n):
    plans = [make_plan(users["safety"], title=f"预案{i}", next_review=TODAY + (i - 2) * DAY + DAY * 3)
             for i in range(n)]
    for i in range(n):
        drill = make_drill(users["safety"], plans[i % 3], i)
        services.drill_follow_up_add(drill_id=drill.pk, by=users["safety"], title=f"整改{i}",
                                     responsible=users["worker"], deadline=TODAY + DAY)
    client = login(users["safety"])
    plan = plans[0]
    pages = [reverse("safety:emergencyplan_list"), reverse("safety:emergencyplan_list") + "?review=due&kind=fire",
             reverse("safety:drill_list"), reverse("safety:drill_list") + f"?plan={plan.pk}&term={school['term'].pk}",
             plan.get_absolute_url(), drill.get_absolute_url(), reverse("safety:drill_add")]
    for url in pages:
        with django_assert_max_num_queries(18):
            assert client.get(url).status_code == 200, url


def test_the_admin_corrects_a_drills_words_with_history(admin_client, drill):
    response = admin_client.post(f"/admin/safety/drill/{drill.pk}/change/", {
        "classes": "全校", "went_well": "有序", "to_improve": "广播音量调大",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "1", "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000", "photos-0-id": str(drill.photos.get().pk), "photos-0-drill": str(drill.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    drill.refresh_from_db()
    assert drill.to_improve == "广播音量调大" and drill.headcount == 1200
    last = drill.history.order_by("history_id").last()
    assert last.history_user.username == "admin" and last.to_improve == "广播音量调大"
