"""The inspection pages: the list (to do first, filters, a constant number of queries whatever the rows), an
inspection done on its page (bad input kept and nothing saved, a stale page, a second click), the findings it
raised linked to the kernel's pages, starting one by hand, and the checklists."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from canteen.models import CanteenStaff, Checklist, Inspection, InspectionResult
from canteen.services import inspections as services
from logistics.models import Finding
from tests.conftest import image_bytes

ITEMS = ["留样是否齐全", "冷藏温度是否在0–8℃", "餐具是否消毒"]
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages in English: the tests read the msgids, whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def manager(users, canteen_settings):
    CanteenStaff.objects.create(name="周红", post=CanteenStaff.Post.MANAGER, user=users["canteen"])
    return users["canteen"]


@pytest.fixture
def checklist(users, canteen_settings):
    return services.checklist_add(by=users["head"], title="食堂每日检查", items=ITEMS, frequency="daily",
                                  inspector=users["head"])


@pytest.fixture
def inspection(checklist):
    return checklist.create_task(TODAY())[0]


def url(name, *args):
    return reverse(f"canteen:{name}", args=args)


def post_data(inspection, answers=("pass", "pass", "pass"), **extra):
    data = {"version": inspection.version, "note": ""}
    for n, answer in enumerate(answers):
        data[f"passed_{n}"] = answer
        data[f"deadline_{n}"] = (TODAY() + datetime.timedelta(days=3)).isoformat()
    data.update(extra)
    return data


def days_back(checklist, count, fail_every=0, by=None):
    """count inspections on the days before today, done (every fail_every-th with a failed item) when by is given."""
    for n in range(1, count + 1):
        inspection = checklist.create_task(TODAY() - datetime.timedelta(days=n))[0]
        if by is not None:
            failed = fail_every and n % fail_every == 0
            services.inspection_record(inspection_id=inspection.pk, by=by, results=[
                (item, not (failed and i == 0), "少一样" if failed and i == 0 else "") for i, item in enumerate(ITEMS)])


# --- the list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["canteen", "head", "principal", "safety", "auditor"])
def test_the_canteen_group_and_the_auditor_read_the_list(login, users, inspection, who):
    response = login(users[who]).get(url("inspection_list"))
    assert response.status_code == 200
    assert "食堂每日检查" in response.content.decode()


def test_teachers_do_not_see_inspections(login, users, inspection):
    assert login(users["teacher"]).get(url("inspection_list")).status_code == 403
    assert login(users["teacher"]).get(url("inspection_detail", inspection.pk)).status_code == 403


def test_the_list_shows_what_is_to_do_first_and_filters(login, users, checklist, manager):
    days_back(checklist, 4, fail_every=2, by=users["head"])
    today = checklist.create_task(TODAY())[0]
    overdue = checklist.create_task(TODAY() - datetime.timedelta(days=9))[0]
    client = login(users["canteen"])
    page = client.get(url("inspection_list")).context["page"]
    assert [i.pk for i in page.object_list][:2] == [today.pk, overdue.pk]
    assert [i.pk for i in client.get(url("inspection_list"), {"status": "overdue"}).context["page"].object_list] == [
        overdue.pk]
    failed = client.get(url("inspection_list"), {"failed": "on"}).context["page"].object_list
    assert [i.due_date for i in failed] == [TODAY() - datetime.timedelta(days=2), TODAY() - datetime.timedelta(days=4)]
    assert all(i.n_failed == 1 for i in failed)


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_asks_the_same_number_of_queries_whatever_the_rows(login, users, checklist, manager, count,
                                                                      django_assert_max_num_queries):
    days_back(checklist, count, fail_every=3, by=users["head"])
    checklist.create_task(TODAY())
    client = login(users["head"])
    with django_assert_max_num_queries(10):
        response = client.get(url("inspection_list"))
    assert response.status_code == 200


# --- one inspection -------------------------------------------------------------------------------

def test_the_inspector_sees_one_toggle_per_item_with_the_manager_and_three_days_prefilled(login, users, inspection,
                                                                                        manager):
    response = login(users["head"]).get(url("inspection_detail", inspection.pk))
    html = response.content.decode()
    assert html.count('data-testid="item"') == 3
    assert html.count('value="fail"') == 3
    form = response.context["form"]
    assert form["responsible_1"].initial == str(manager.pk)
    assert form["deadline_1"].initial == TODAY() + datetime.timedelta(days=3)


def test_the_auditor_reads_an_open_inspection_without_a_form(login, users, inspection):
    response = login(users["auditor"]).get(url("inspection_detail", inspection.pk))
    assert response.context["form"] is None
    assert login(users["auditor"]).post(url("inspection_detail", inspection.pk),
                                        post_data(inspection)).status_code == 403


def test_all_passed_from_the_page(login, users, inspection):
    response = login(users["safety"]).post(url("inspection_detail", inspection.pk), post_data(inspection))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE and inspection.done_by == users["safety"]
    assert InspectionResult.objects.filter(passed=True).count() == 3


def test_a_failed_item_without_a_note_is_shown_again_as_typed_and_nothing_is_saved(login, users, inspection,
                                                                                    manager):
    data = post_data(inspection, ("pass", "fail", ""), note_1="", note_0="")
    response = login(users["head"]).post(url("inspection_detail", inspection.pk), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["note_1"] == ["“冷藏温度是否在0–8℃” did not pass: say what was found."]
    assert form.errors["passed_2"] == ["“餐具是否消毒”: passed or not?"]
    rows = response.context["rows"]
    assert rows[1]["failed"] and rows[0]["passed"].value() == "pass"
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.OPEN


def test_a_failed_item_with_a_photo_becomes_a_finding_linked_from_the_inspection(login, users, inspection, manager):
    client = login(users["head"])
    photo = SimpleUploadedFile("f.png", image_bytes(), content_type="image/png")
    data = post_data(inspection, ("pass", "fail", "pass"), note_1="冷藏柜10℃", responsible_1=str(users["worker"].pk),
                     photos_1=photo)
    response = client.post(url("inspection_detail", inspection.pk), data)
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.responsible == users["worker"] and finding.photos.count() == 1
    page = client.get(url("inspection_detail", inspection.pk))
    html = page.content.decode()
    assert reverse("findings:detail", args=[finding.pk]) in html
    assert "冷藏柜10℃" in html
    # The finding's page says where it was found, with a link back.
    detail = client.get(reverse("findings:detail", args=[finding.pk])).content.decode()
    assert url("inspection_detail", inspection.pk) in detail


def test_the_responsible_left_empty_is_the_canteen_manager(login, users, inspection, manager):
    data = post_data(inspection, ("fail", "pass", "pass"), note_0="午餐少留一样", responsible_0="")
    login(users["principal"]).post(url("inspection_detail", inspection.pk), data)
    assert Finding.objects.get().responsible == manager


def test_a_second_click_saves_once_and_a_stale_page_says_so(login, users, inspection, manager):
    data = post_data(inspection, ("fail", "pass", "pass"), note_0="少一样")
    client = login(users["head"])
    client.post(url("inspection_detail", inspection.pk), data)
    response = client.post(url("inspection_detail", inspection.pk), data, follow=True)
    assert "nothing was saved twice" in response.content.decode()
    assert Finding.objects.count() == 1
    other = login(users["safety"]).post(url("inspection_detail", inspection.pk), data, follow=True)
    assert [str(m) for m in other.context["messages"]] == [
        "This inspection was changed by someone else while you had it open (now: Done). Nothing was saved; look at "
        "it again and decide."]
    assert InspectionResult.objects.count() == 3


@pytest.mark.parametrize("items", [3, 20])
def test_a_done_inspection_page_asks_the_same_number_of_queries_whatever_its_items(
        login, users, canteen_settings, manager, items, django_assert_max_num_queries):
    names = [f"第{n}项" for n in range(items)]
    checklist = services.checklist_add(by=users["head"], title="大清单", items=names, frequency="daily")
    inspection = checklist.create_task(TODAY())[0]
    results = [(name, n % 2 == 0, "" if n % 2 == 0 else "不合格") for n, name in enumerate(names)]
    services.inspection_record(inspection_id=inspection.pk, by=users["head"], results=results)
    client = login(users["head"])
    with django_assert_max_num_queries(11):
        response = client.get(url("inspection_detail", inspection.pk))
    assert response.content.decode().count('data-testid="finding-link"') == items // 2


# --- starting one by hand -------------------------------------------------------------------------

def test_inspecting_by_hand_starts_todays_inspection_once(login, users, checklist):
    client = login(users["safety"])
    assert client.get(url("inspection_start")).status_code == 200
    response = client.post(url("inspection_start"), {"checklist": checklist.pk})
    inspection = Inspection.objects.get()
    assert response.url == url("inspection_detail", inspection.pk)
    client.post(url("inspection_start"), {"checklist": checklist.pk})
    assert Inspection.objects.count() == 1


def test_readers_cannot_start_an_inspection(login, users, checklist):
    assert login(users["auditor"]).get(url("inspection_start")).status_code == 403
    assert login(users["auditor"]).post(url("inspection_start"), {"checklist": checklist.pk}).status_code == 403
    assert not Inspection.objects.exists()


# --- checklists -----------------------------------------------------------------------------------

def test_the_head_adds_a_checklist_from_its_page(login, users, canteen_settings):
    client = login(users["head"])
    assert client.get(url("checklist_add")).status_code == 200
    response = client.post(url("checklist_add"), {
        "title": "每周食品安全自查", "items": "索证索票\n\n库房离地离墙\n", "frequency": "weekly", "weekdays": ["4"],
        "only_in_term": "on", "inspector": str(users["safety"].pk)})
    assert response.status_code == 302
    checklist = Checklist.objects.get()
    assert checklist.items == ["索证索票", "库房离地离墙"] and checklist.weekdays == [4]
    assert checklist.inspector == users["safety"]


def test_a_bad_checklist_is_shown_again_as_typed(login, users, canteen_settings):
    response = login(users["head"]).post(url("checklist_add"), {
        "title": "每周自查", "items": "库房\n库房", "frequency": "weekly"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "items" in form.errors and "weekdays" in form.errors
    assert form["title"].value() == "每周自查"
    assert not Checklist.objects.exists()


@pytest.mark.parametrize("who, status", [("principal", 403), ("safety", 403), ("auditor", 403), ("canteen", 200)])
def test_who_may_add_checklists(login, users, canteen_settings, who, status):
    assert login(users[who]).get(url("checklist_add")).status_code == status


def test_editing_a_checklist_on_a_stale_page_is_refused(login, users, checklist):
    client = login(users["head"])
    data = {"title": checklist.title, "items": "\n".join(ITEMS), "frequency": "daily", "only_in_term": "on",
            "active": "on", "version": checklist.version}
    assert client.post(url("checklist_edit", checklist.pk), {**data, "items": "留样"}).status_code == 302
    response = client.post(url("checklist_edit", checklist.pk), data)
    assert response.status_code == 400
    assert "while this one was open" in str(response.context["form"].non_field_errors())
    checklist.refresh_from_db()
    assert checklist.items == ["留样"]


def test_the_checklists_page(login, users, checklist):
    response = login(users["principal"]).get(url("checklist_list"))
    assert response.status_code == 200 and "食堂每日检查" in response.content.decode()
    assert login(users["teacher"]).get(url("checklist_list")).status_code == 403


# --- the printed record ---------------------------------------------------------------------------

def canteen_inspection(users, school):
    """The 食堂检查记录 of one inspection with a failed item (a builder of tests/test_print_documents.py)."""
    CanteenStaff.objects.create(name="周红", post=CanteenStaff.Post.MANAGER, user=users["canteen"])
    checklist = services.checklist_add(by=users["head"], title="食堂每日检查", items=ITEMS, frequency="daily")
    inspection = checklist.create_task(TODAY())[0]
    done = services.inspection_record(inspection_id=inspection.pk, by=users["safety"], results=[
        (ITEMS[0], True, ""), (ITEMS[1], False, "冷藏柜温度10℃"), (ITEMS[2], True, "")])
    # ℃ has no glyph in the print font: the document prints °C (logistics.pdf).
    return users["principal"], url("inspection_print", inspection.pk), [
        "食堂每日检查", "冷藏温度是否在0–8°C", "冷藏柜温度10°C", done.findings[0].number, "周师傅", "吴老师",
        "后勤主任（签字）"]


def test_an_inspection_still_to_do_prints_as_a_blank_form(login, users, inspection):
    response = login(users["head"]).get(url("inspection_print", inspection.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(users["teacher"]).get(url("inspection_print", inspection.pk)).status_code == 403
