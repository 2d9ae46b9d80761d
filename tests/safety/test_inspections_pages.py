"""The inspection pages: the list (readers, the inspector's own, filters, a constant number of queries whatever the
rows), an inspection done on its page (bad input kept and nothing saved, a bad photo on its item, a stale page, a
second click), the hazards it raised linked to the kernel's pages, the checklists, a spot check, the printed record
and the home sections."""
import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from logistics.models import Finding
from safety.home.inspections import sections
from safety.models import Inspection, InspectionResult, PlanItem
from safety.services import inspections as services
from tests.conftest import image_bytes

from .test_inspections_services import ITEMS, answers, make_plan

pytestmark = pytest.mark.usefixtures("english_pages", "english")

TODAY = timezone.localdate


def url(name, *args):
    return reverse(f"safety:{name}", args=args)


@pytest.fixture
def plan(users, school):
    return make_plan(inspector=users["safety"])


@pytest.fixture
def inspection(plan):
    return plan.create_task(TODAY())[0]


def items(plan):
    return list(plan.items.order_by("position", "pk"))


def post_data(inspection, outcomes=("pass", "pass", "pass"), **extra):
    data = {"version": inspection.version, "note": ""}
    for item, outcome in zip(items(inspection.plan), outcomes, strict=False):
        data[f"outcome_{item.pk}"] = outcome
    data.update(extra)
    return data


def days_back(plan, count, by, fail_every=0):
    """count inspections on the days before today, recorded by by (every fail_every-th with a failed item)."""
    for n in range(1, count + 1):
        inspection = plan.create_task(TODAY() - datetime.timedelta(days=n))[0]
        failed = fail_every and n % fail_every == 0
        outcomes = ("fail" if failed else "pass", "pass", "na")
        services.record_inspection(inspection_id=inspection.pk, by=by, results=answers(
            plan, outcomes, i0={"note": "压力不足"} if failed else {}))


# --- the list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["safety", "head", "principal", "auditor"])
def test_readers_see_every_inspection(login, users, inspection, who):
    response = login(users[who]).get(url("inspection_list"))
    assert response.status_code == 200
    assert "每周安全巡查" in response.content.decode()


def test_a_teacher_sees_only_the_inspections_assigned_to_them(login, users, inspection, school):
    mine = make_plan(inspector=users["teacher"], title="教学楼巡查").create_task(TODAY())[0]
    page = login(users["teacher"]).get(url("inspection_list")).context["page"]
    assert [i.pk for i in page.object_list] == [mine.pk]
    assert login(users["teacher"]).get(url("inspection_detail", inspection.pk)).status_code == 403
    assert login(users["teacher"]).get(url("inspection_detail", mine.pk)).status_code == 200


def test_the_list_shows_what_is_to_do_first_and_filters(login, users, plan):
    days_back(plan, 4, users["safety"], fail_every=2)
    today = plan.create_task(TODAY())[0]
    overdue = plan.create_task(TODAY() - datetime.timedelta(days=9))[0]
    other = make_plan(inspector=users["worker"], title="每月安全抽查").create_task(TODAY())[0]
    client = login(users["safety"])

    def listed(**params):
        return [i.pk for i in client.get(url("inspection_list"), params).context["page"].object_list]

    first = listed()
    assert set(first[:2]) == {other.pk, today.pk} and first[2] == overdue.pk
    assert listed(status="overdue") == [overdue.pk]
    assert set(listed(status="open")) == {today.pk, overdue.pk, other.pk}
    failed = client.get(url("inspection_list"), {"failed": "on"}).context["page"].object_list
    assert [i.due_date for i in failed] == [TODAY() - datetime.timedelta(days=2), TODAY() - datetime.timedelta(days=4)]
    assert all(i.n_failed == 1 for i in failed)
    assert listed(inspector=users["worker"].pk) == [other.pk]
    assert other.pk not in listed(plan=plan.pk)
    day = TODAY() - datetime.timedelta(days=3)
    assert [i.due_date for i in client.get(url("inspection_list"), {"date_from": day, "date_to": day})
            .context["page"].object_list] == [day]


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_asks_the_same_number_of_queries_whatever_the_rows(login, users, plan, count,
                                                                      django_assert_max_num_queries):
    days_back(plan, count, users["safety"], fail_every=3)
    plan.create_task(TODAY())
    client = login(users["head"])
    with django_assert_max_num_queries(12):
        response = client.get(url("inspection_list"), {"status": "", "failed": ""})
    assert response.status_code == 200


# --- one inspection -------------------------------------------------------------------------------

def test_the_inspector_gets_three_answers_per_item_grouped_by_area(login, users, inspection):
    response = login(users["safety"]).get(url("inspection_detail", inspection.pk))
    html = response.content.decode()
    assert html.count('data-testid="item"') == 3
    assert html.count('value="na"') == 3 and html.count('value="fail"') == 3
    assert [label for _area, label, _rows in response.context["groups"]] == [
        "Fire equipment", "Electrics", "Trees"]
    form = response.context["form"]
    assert form[f"responsible_{items(inspection.plan)[0].pk}"].initial == str(users["safety"].pk)


def test_an_inspector_without_the_safety_role_names_nobody(login, users, school):
    inspection = make_plan(inspector=users["teacher"]).create_task(TODAY())[0]
    response = login(users["teacher"]).get(url("inspection_detail", inspection.pk))
    assert 'name="responsible_' not in response.content.decode()
    data = post_data(inspection, ("fail", "pass", "pass"), **{f"note_{items(inspection.plan)[0].pk}": "压力不足"})
    assert login(users["teacher"]).post(url("inspection_detail", inspection.pk), data).status_code == 302
    assert Finding.objects.get().responsible == users["safety"]


def test_readers_read_an_open_inspection_without_a_form_and_cannot_record(login, users, inspection):
    response = login(users["auditor"]).get(url("inspection_detail", inspection.pk))
    assert response.context["form"] is None
    assert login(users["auditor"]).post(url("inspection_detail", inspection.pk),
                                        post_data(inspection)).status_code == 403
    assert login(users["head"]).post(url("inspection_detail", inspection.pk),
                                     post_data(inspection)).status_code == 403
    assert not InspectionResult.objects.exists()


def test_a_failed_item_without_a_note_is_shown_again_as_typed_and_nothing_is_saved(login, users, inspection):
    first, second, third = items(inspection.plan)
    data = post_data(inspection, ("pass", "fail"), **{f"note_{first.pk}": "看过了"})
    response = login(users["safety"]).post(url("inspection_detail", inspection.pk), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"note_{second.pk}"] == ["“配电箱上锁” failed: say what was found."]
    assert form.errors[f"outcome_{third.pk}"] == ["“无枯枝”: pass, fail or not applicable?"]
    assert form[f"note_{first.pk}"].value() == "看过了" and form[f"outcome_{first.pk}"].value() == "pass"
    assert "Nothing was saved yet" in response.content.decode()
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()


def test_a_bad_photo_is_shown_on_its_item_and_nothing_is_saved(login, users, inspection):
    first = items(inspection.plan)[0]
    data = post_data(inspection, ("fail", "pass", "pass"), **{
        f"note_{first.pk}": "压力不足",
        f"photo_{first.pk}": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")})
    response = login(users["safety"]).post(url("inspection_detail", inspection.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"photo_{first.pk}"] == ["“x.png” is not a JPEG, PNG or WebP photo."]
    assert "choose them again" in response.content.decode()
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()


def test_a_failed_item_with_a_photo_becomes_a_hazard_shown_on_the_record(login, users, inspection, school):
    first = items(inspection.plan)[0]
    client = login(users["safety"])
    data = post_data(inspection, ("fail", "pass", "na"), **{
        f"note_{first.pk}": "压力不足", f"severity_{first.pk}": "serious",
        f"responsible_{first.pk}": str(users["worker"].pk), f"location_{first.pk}": str(school["room"].pk),
        f"photo_{first.pk}": SimpleUploadedFile("f.png", image_bytes(), content_type="image/png")})
    response = client.post(url("inspection_detail", inspection.pk), data, follow=True)
    hazard = Finding.objects.get()
    assert (hazard.responsible, hazard.severity, hazard.location) == (users["worker"], "serious", school["room"])
    assert "Inspection recorded: 1 hazard sent to 张师傅 to fix." in response.content.decode()
    html = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert reverse("findings:detail", args=[hazard.pk]) in html and hazard.number in html
    assert 'data-status="open"' in html and "压力不足" in html
    result = InspectionResult.objects.get(outcome="fail")
    assert client.get(url("result_photo", inspection.pk, result.pk)).status_code == 200
    # The hazard's page says where it was found, with a link back; the person responsible may follow it.
    detail = login(users["worker"]).get(reverse("findings:detail", args=[hazard.pk])).content.decode()
    assert url("inspection_detail", inspection.pk) in detail
    assert login(users["worker"]).get(url("inspection_detail", inspection.pk)).status_code == 200
    assert login(users["teacher"]).get(url("result_photo", inspection.pk, result.pk)).status_code == 403


def test_a_second_click_saves_once_and_a_stale_page_says_so(login, users, school):
    inspection = make_plan(inspector=users["teacher"]).create_task(TODAY())[0]
    data = post_data(inspection)
    client = login(users["teacher"])
    client.post(url("inspection_detail", inspection.pk), data)
    response = client.post(url("inspection_detail", inspection.pk), data, follow=True)
    assert "nothing was saved twice" in response.content.decode()
    other = login(users["safety"]).post(url("inspection_detail", inspection.pk), data, follow=True)
    assert [str(m) for m in other.context["messages"]] == [
        "This inspection was changed by someone else while you had it open (now: Done). Nothing was saved; look at "
        "it again and decide."]
    assert InspectionResult.objects.count() == 3


def test_the_history_reads_as_sentences_on_the_page(login, users, inspection):
    login(users["safety"]).post(url("inspection_detail", inspection.pk), post_data(inspection, ("pass", "na", "pass")))
    html = login(users["head"]).get(url("inspection_detail", inspection.pk)).content.decode()
    assert "inspected 3 items: none failed, 1 not applicable" in html


@pytest.mark.parametrize("count", [3, 20])
def test_a_done_inspection_page_asks_the_same_number_of_queries_whatever_its_items(
        login, users, school, count, django_assert_max_num_queries):
    from safety.models import CheckArea

    plan = make_plan(inspector=users["safety"], items=[(list(CheckArea)[n % 5], f"第{n}项") for n in range(count)])
    inspection = plan.create_task(TODAY())[0]
    services.record_inspection(inspection_id=inspection.pk, by=users["safety"], results=answers(
        plan, ["fail" if n % 2 else "pass" for n in range(count)],
        **{f"i{n}": {"note": "不合格"} for n in range(count) if n % 2}))
    client = login(users["head"])
    with django_assert_max_num_queries(14):
        response = client.get(url("inspection_detail", inspection.pk))
    assert response.content.decode().count('data-testid="hazard-link"') == count // 2


# --- checklists and spot checks -------------------------------------------------------------------

def test_a_checklist_page_lists_its_items_by_area_its_schedule_and_recent_inspections(login, users, plan):
    days_back(plan, 2, users["safety"])
    response = login(users["principal"]).get(reverse("safety:plan_detail", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [label for _a, label, _i in response.context["areas"]] == ["Fire equipment", "Electrics", "Trees"]
    assert "Monday" in html and "吴老师" in html and len(response.context["recent"]) == 2
    assert "data-testid=\"start\"" not in html  # the principal reads, the safety officer starts
    assert login(users["teacher"]).get(url("plan_detail", plan.pk)).status_code == 403
    listed = login(users["auditor"]).get(url("plan_list"))
    assert listed.status_code == 200 and "每周安全巡查" in listed.content.decode()
    row = next(c for c in listed.context["page"].object_list if c.pk == plan.pk)  # counted for the page's rows
    assert (row.n_items, row.n_done, row.n_open) == (plan.items.count(), plan.inspections.filter(
        status=Inspection.Status.DONE).count(), plan.inspections.filter(status=Inspection.Status.OPEN).count())
    assert row.n_items > 0 and row.n_done + row.n_open == 2


def test_the_safety_officer_starts_a_spot_check_from_a_checklist_once(login, users, plan):
    client = login(users["safety"])
    assert 'data-testid="start"' in client.get(url("plan_detail", plan.pk)).content.decode()
    response = client.post(url("plan_start", plan.pk))
    inspection = Inspection.objects.get()
    assert response.url == url("inspection_detail", inspection.pk)
    again = client.post(url("plan_start", plan.pk), follow=True)
    assert "already on the list" in again.content.decode()
    assert Inspection.objects.count() == 1
    assert login(users["head"]).post(url("plan_start", plan.pk)).status_code == 403
    assert client.get(url("plan_start", plan.pk)).status_code == 405


def test_an_empty_checklist_is_filled_with_the_typical_items_from_its_page(login, users, school):
    plan = make_plan(items=[])
    client = login(users["safety"])
    assert 'data-testid="typical"' in client.get(url("plan_detail", plan.pk)).content.decode()
    response = client.post(url("plan_typical", plan.pk), {"version": plan.version}, follow=True)
    assert f"{len(services.TYPICAL_ITEMS)} typical items added." in response.content.decode()
    stale = client.post(url("plan_typical", plan.pk), {"version": 0}, follow=True)
    assert "while this one was open" in stale.content.decode()
    assert plan.items.count() == len(services.TYPICAL_ITEMS)
    assert login(users["head"]).post(url("plan_typical", plan.pk), {"version": 1}).status_code == 403


# --- the printed record ---------------------------------------------------------------------------

def test_the_record_prints_each_item_with_its_result_and_rectification(login, users, inspection, tmp_path):
    first = items(inspection.plan)[0]
    data = post_data(inspection, ("fail", "pass", "na"), **{f"note_{first.pk}": "压力不足"})
    login(users["safety"]).post(url("inspection_detail", inspection.pk), data)
    hazard = Finding.objects.get()
    response = login(users["principal"]).get(url("inspection_print", inspection.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # words wrapped in narrow columns
    for expected in ["每周安全巡查", ITEMS[0][1], "压力不足", hazard.number, "吴老师", "Safety inspection record",
                     ITEMS[2][1]]:
        assert expected in text, expected


def test_an_inspection_still_to_do_prints_as_a_blank_form(login, users, inspection):
    response = login(users["safety"]).get(url("inspection_print", inspection.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert login(users["teacher"]).get(url("inspection_print", inspection.pk)).status_code == 403


# --- home -----------------------------------------------------------------------------------------

def test_home_shows_the_inspectors_due_inspections_and_the_safety_officer_the_overdue_of_others(
        users, school, django_assert_max_num_queries):
    mine = make_plan(inspector=users["teacher"], title="教学楼巡查")
    today = mine.create_task(TODAY())[0]
    late = mine.create_task(TODAY() - datetime.timedelta(days=3))[0]
    mine.create_task(TODAY() + datetime.timedelta(days=3))
    safety_plan = make_plan(inspector=users["safety"])
    own = safety_plan.create_task(TODAY())[0]
    now = timezone.now()
    with django_assert_max_num_queries(3):  # the user's permissions, then one query
        teacher = {s.key: s for s in sections(users["teacher"], now)}
    assert [r.url for r in teacher["safety_inspections"].rows] == [
        url("inspection_detail", late.pk), url("inspection_detail", today.pk)]
    assert teacher["safety_inspections"].rows[0].overdue and "safety_inspections_overdue" not in teacher
    officer = {s.key: s for s in sections(users["safety"], now)}
    assert [r.url for r in officer["safety_inspections"].rows] == [url("inspection_detail", own.pk)]
    assert [r.url for r in officer["safety_inspections_overdue"].rows] == [url("inspection_detail", late.pk)]
    assert sections(users["head"], now) == []


# --- the admin ------------------------------------------------------------------------------------

def test_a_checklist_changed_in_the_admin_raises_its_version_with_history_on_it_and_its_items(client, users, plan):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    first, second, third = items(plan)
    data = {"title": plan.title, "kind": plan.kind, "inspector": users["safety"].pk, "frequency": "weekly",
            "weekdays": "[0, 3]", "day_of_month": "", "part_of_day": "any", "only_in_term": "on", "active": "on",
            "items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "3", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000"}
    for n, item in enumerate((first, second, third)):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-plan": plan.pk, f"items-{n}-position": n,
                     f"items-{n}-area": item.area, f"items-{n}-text": item.text})
    data["items-1-text"] = "配电箱上锁并有警示标志"
    data["items-2-DELETE"] = "on"
    data.update({"items-3-plan": plan.pk, "items-3-position": 5, "items-3-area": "gates", "items-3-text": "围墙无裂缝"})
    response = client.post(reverse("admin:safety_inspectionplan_change", args=[plan.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    plan.refresh_from_db()
    assert plan.version == 1 and plan.weekdays == [0, 3]
    assert list(plan.items.order_by("position").values_list("text", flat=True)) == [
        "灭火器压力在绿区", "配电箱上锁并有警示标志", "围墙无裂缝"]
    from logistics.history import reason_text

    assert reason_text(plan.history.first().history_change_reason) == "changed the checklist"
    changed = plan.items.get(pk=second.pk)
    assert changed.history.first().history_user == admin
    assert reason_text(changed.history.first().history_change_reason) == "changed the item"
    assert reason_text(PlanItem.history.filter(id=third.pk).first().history_change_reason) == "removed the item"


def test_the_admin_action_fills_a_checklist_with_the_typical_items(client, users, school):
    from django.contrib.auth.models import User

    plan = make_plan(items=[])
    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.post(reverse("admin:safety_inspectionplan_changelist"),
                           {"action": "add_typical_items", "_selected_action": [plan.pk]}, follow=True)
    assert response.status_code == 200
    assert plan.items.count() == len(services.TYPICAL_ITEMS)


@pytest.mark.parametrize("count", [3, 20])
def test_the_inspection_form_asks_the_same_number_of_queries_whatever_its_items(
        login, users, school, count, django_assert_max_num_queries):
    from safety.models import CheckArea

    plan = make_plan(inspector=users["safety"], items=[(list(CheckArea)[n % 5], f"第{n}项") for n in range(count)])
    inspection = plan.create_task(TODAY())[0]
    client = login(users["safety"])
    with django_assert_max_num_queries(16):
        response = client.get(url("inspection_detail", inspection.pk))
    assert response.content.decode().count('data-testid="item"') == count


def safety_inspection(users, school):
    """The 安全检查记录 of one inspection with a failed item: a builder of tests/test_print_documents.py (DOCUMENTS)."""
    plan = make_plan(inspector=users["safety"])
    inspection = plan.create_task(TODAY())[0]
    done = services.record_inspection(inspection_id=inspection.pk, by=users["safety"], results=answers(
        plan, ("fail", "pass", "na"), i0={"note": "压力不足", "responsible": users["worker"]}))
    return users["principal"], url("inspection_print", inspection.pk), [
        "每周安全巡查", ITEMS[0][1], "压力不足", done.hazards[0].number, "吴老师"]
