"""Emergency plans and drills, their rules and refusals: a plan kept with a checked document and a review date
after today, a new version (new label, document, dates; the earlier one kept in history), out of force and back;
a drill never in the future, with people taking part, a readable evacuation time, at most six photos, recorded
once for a second click; follow-up actions as hazards of the drill; the term's figures."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from logistics.history import history_timeline
from logistics.models import Finding, Term
from safety.models import Drill, DrillPhoto, EmergencyPlan
from safety.selectors import plans as selectors
from safety.services import plans as services

from ..conftest import image_bytes

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="plan.pdf", size=None):
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def photo(name="p.png"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/png")


def add_plan(user, **kw):
    data = {"title": "消防应急预案", "kind": EmergencyPlan.Kind.FIRE, "version_label": "2025版", "document": pdf(),
            "approved_on": TODAY - 30 * DAY, "next_review": TODAY + 300 * DAY}
    data.update(kw)
    return services.plan_add(by=user, **data)


def record(user, plan, **kw):
    data = {"plan": plan, "title": "消防疏散演练", "held_on": TODAY, "classes": "全校", "headcount": 1200,
            "evacuation_seconds": "3:12"}
    data.update(kw)
    return services.drill_record(by=user, **data)


@pytest.fixture
def plan(users, school):
    return add_plan(users["safety"])


# --- plans ---------------------------------------------------------------------------------------

def test_the_safety_officer_keeps_a_plan_with_its_document(users, school):
    plan = add_plan(users["safety"], owner=users["principal"])
    assert plan.version_label == "2025版" and plan.document.name.endswith(".pdf") and plan.active
    assert not plan.review_overdue
    [entry] = history_timeline(plan)
    assert entry["reason"] == (f"kept version 2025版, approved on {TODAY - 30 * DAY:%Y-%m-%d}, to be reviewed by "
                               f"{TODAY + 300 * DAY:%Y-%m-%d}")
    assert entry["who"] == "吴老师"


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_keeps_plans(users, school, who):
    with pytest.raises(PermissionDenied):
        add_plan(users[who])
    assert not EmergencyPlan.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"title": " "}, "title"),
    ({"kind": "flood"}, "kind"),
    ({"version_label": ""}, "version_label"),
    ({"approved_on": TODAY + DAY}, "approved_on"),
    ({"approved_on": None}, "approved_on"),
    ({"next_review": TODAY}, "next_review"),
    ({"next_review": TODAY - 40 * DAY}, "next_review"),
    ({"next_review": None}, "next_review"),
    ({"document": None}, "document"),
    ({"document": SimpleUploadedFile("plan.docx", b"PK\x03\x04 not a pdf")}, "document"),
])
def test_a_plan_with_bad_input_is_refused(users, school, changes, field):
    with pytest.raises(ValidationError) as e:
        add_plan(users["safety"], **changes)
    assert field in e.value.message_dict
    assert not EmergencyPlan.objects.exists()


def test_a_document_too_large_is_refused(users, school, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as e:
        add_plan(users["safety"], document=pdf(size=2000))
    assert "at most" in e.value.message_dict["document"][0]


def test_a_second_plan_with_the_same_title_is_refused(users, plan):
    with pytest.raises(ValidationError) as e:
        add_plan(users["safety"], version_label="2026版")
    assert "revise it from its page" in e.value.message_dict["title"][0]
    from ..conftest import make_user

    with pytest.raises(ValidationError):
        add_plan(make_user("safety2", "safety", "钱老师"))
    assert EmergencyPlan.objects.count() == 1


def test_a_second_click_keeps_the_plan_once(users, plan):
    again = add_plan(users["safety"])
    assert again.pk == plan.pk and again.was_duplicate
    assert EmergencyPlan.objects.count() == 1 and plan.history.count() == 1


def test_a_new_version_replaces_the_document_and_history_keeps_the_earlier(users, plan):
    first_document = plan.document.name
    services.plan_revise(plan_id=plan.pk, by=users["safety"], version_label="2026版", document=pdf("v2.pdf"),
                         approved_on=TODAY, next_review=TODAY + 365 * DAY, expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.version_label == "2026版" and plan.document.name != first_document and plan.version == 1
    versions = selectors.plan_versions(plan)
    assert [v.version_label for v in versions] == ["2026版", "2025版"]
    assert versions[1].document == first_document
    assert history_timeline(plan)[-1]["reason"] == (
        f"revised from version 2025版 to 2026版, approved on {TODAY:%Y-%m-%d}, to be reviewed by "
        f"{TODAY + 365 * DAY:%Y-%m-%d}")


@pytest.mark.parametrize("changes, field", [
    ({"version_label": "2025版"}, "version_label"),
    ({"approved_on": TODAY - 60 * DAY}, "approved_on"),
    ({"document": None}, "document"),
    ({"next_review": TODAY - DAY}, "next_review"),
])
def test_a_revision_with_bad_input_is_refused(users, plan, changes, field):
    data = {"version_label": "2026版", "document": pdf(), "approved_on": TODAY, "next_review": TODAY + 300 * DAY}
    data.update(changes)
    with pytest.raises(ValidationError) as e:
        services.plan_revise(plan_id=plan.pk, by=users["safety"], expected_version=plan.version, **data)
    assert field in e.value.message_dict
    plan.refresh_from_db()
    assert plan.version_label == "2025版" and plan.version == 0


def test_a_revision_from_a_stale_page_is_refused(users, plan):
    services.plan_retire(plan_id=plan.pk, by=users["safety"], reason="合并", expected_version=0)
    services.plan_reinstate(plan_id=plan.pk, by=users["safety"], expected_version=1)
    with pytest.raises(ValidationError) as e:
        services.plan_revise(plan_id=plan.pk, by=users["safety"], version_label="2026版", document=pdf(),
                             approved_on=TODAY, next_review=TODAY + 300 * DAY, expected_version=0)
    assert e.value.code == "stale"


def test_the_principal_cannot_revise_a_plan(users, plan):
    with pytest.raises(PermissionDenied):
        services.plan_revise(plan_id=plan.pk, by=users["principal"], version_label="2026版", document=pdf(),
                             approved_on=TODAY, next_review=TODAY + 300 * DAY, expected_version=0)


def test_a_plan_out_of_force_is_not_revised_nor_drilled_and_comes_back(users, plan):
    with pytest.raises(ValidationError):
        services.plan_retire(plan_id=plan.pk, by=users["safety"], reason=" ", expected_version=0)
    services.plan_retire(plan_id=plan.pk, by=users["safety"], reason="并入综合预案", expected_version=0)
    with pytest.raises(ValidationError) as e:
        services.plan_retire(plan_id=plan.pk, by=users["safety"], reason="again", expected_version=1)
    assert e.value.code == "not_allowed"
    with pytest.raises(ValidationError):
        services.plan_revise(plan_id=plan.pk, by=users["safety"], version_label="2026版", document=pdf(),
                             approved_on=TODAY, next_review=TODAY + 300 * DAY, expected_version=1)
    with pytest.raises(ValidationError) as e:
        record(users["safety"], plan)
    assert "plan" in e.value.message_dict
    plan.refresh_from_db()
    assert not plan.review_overdue
    services.plan_reinstate(plan_id=plan.pk, by=users["safety"], expected_version=1)
    reasons = [e["reason"] for e in history_timeline(plan)]
    assert reasons[1:] == ["taken out of force: 并入综合预案", "back in force"]


def test_a_plan_past_its_review_date_shows_and_is_due_for_review(users, plan):
    EmergencyPlan.objects.filter(pk=plan.pk).update(next_review=TODAY - DAY)
    soon = add_plan(users["safety"], title="食品安全应急预案", next_review=TODAY + 10 * DAY)
    add_plan(users["safety"], title="学生活动安全应急预案", next_review=TODAY + 200 * DAY)
    plan.refresh_from_db()
    assert plan.review_overdue
    assert list(selectors.plans_to_review(TODAY, 30)) == [plan, soon]
    assert list(selectors.plan_list({"review": "overdue"}, TODAY, 30)) == [plan]
    assert set(selectors.plan_list({"review": "due"}, TODAY, 30)) == {plan, soon}


# --- evacuation time -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed, seconds", [
    ("3:12", 192), ("3：12", 192), ("3分12秒", 192), ("3分", 180), ("192", 192), ("192秒", 192), ("0:45", 45),
    (" 12:05 ", 725), ("", None), (None, None), (90, 90),
])
def test_the_evacuation_time_is_read_as_people_write_it(typed, seconds):
    assert services.parse_evacuation_time(typed) == seconds


@pytest.mark.parametrize("typed", ["3:75", "3.12", "abc", "3分72秒", "0", "0:00", "61:00", "-5", "1:2"])
def test_a_bad_evacuation_time_is_refused(typed):
    with pytest.raises(ValidationError):
        services.parse_evacuation_time(typed)


def test_the_evacuation_time_shows_as_minutes_and_seconds():
    assert services.format_evacuation_time(192) == "3:12"
    assert services.format_evacuation_time(45) == "0:45"
    assert services.format_evacuation_time(None) == ""


# --- drills --------------------------------------------------------------------------------------

def test_the_safety_officer_records_a_drill_with_photos(users, plan):
    drill = record(users["safety"], plan, photos=[photo(), photo()], went_well="有序", to_improve="广播声音小")
    assert drill.evacuation_seconds == 192 and drill.headcount == 1200 and drill.recorded_by == users["safety"]
    assert DrillPhoto.objects.filter(drill=drill).count() == 2
    assert history_timeline(drill)[0]["reason"] == "recorded: 1200 people took part"


@pytest.mark.parametrize("changes, field", [
    ({"held_on": TODAY + DAY}, "held_on"),
    ({"held_on": None}, "held_on"),
    ({"headcount": 0}, "headcount"),
    ({"headcount": None}, "headcount"),
    ({"headcount": 100001}, "headcount"),
    ({"evacuation_seconds": "3:75"}, "evacuation_seconds"),
    ({"evacuation_seconds": "two minutes"}, "evacuation_seconds"),
    ({"classes": ""}, "classes"),
    ({"title": ""}, "title"),
])
def test_a_drill_with_bad_input_is_refused(users, plan, changes, field):
    with pytest.raises(ValidationError) as e:
        record(users["safety"], plan, **changes)
    assert field in e.value.message_dict
    assert not Drill.objects.exists()


def test_a_drill_in_the_future_says_so(users, plan):
    with pytest.raises(ValidationError) as e:
        record(users["safety"], plan, held_on=TODAY + DAY)
    assert "record a drill once it has been held" in e.value.message_dict["held_on"][0]


def test_more_than_six_photos_or_a_bad_photo_records_nothing(users, plan):
    with pytest.raises(ValidationError):
        record(users["safety"], plan, photos=[photo() for _ in range(7)])
    with pytest.raises(ValidationError):
        record(users["safety"], plan, photos=[photo(), SimpleUploadedFile("x.png", b"not an image")])
    assert not Drill.objects.exists() and not DrillPhoto.objects.exists()


def test_a_second_click_records_the_drill_once(users, plan):
    first = record(users["safety"], plan)
    again = record(users["safety"], plan)
    assert again.pk == first.pk and again.was_duplicate
    assert Drill.objects.count() == 1


def test_the_same_drill_by_someone_else_is_refused(users, plan):
    from ..conftest import make_user

    other = make_user("safety2", "safety", "钱老师")
    record(users["safety"], plan)
    with pytest.raises(ValidationError) as e:
        record(other, plan)
    assert "吴老师 has already recorded this drill" in e.value.messages[0]


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_records_drills(users, plan, who):
    with pytest.raises(PermissionDenied):
        record(users[who], plan)


def test_a_follow_up_action_is_a_hazard_of_the_drill(users, plan):
    drill = record(users["safety"], plan)
    token = "8d5c0c1e-7c39-4b0a-9a3e-1d5b7b2f0c11"
    finding = services.drill_follow_up_add(drill_id=drill.pk, by=users["safety"], title="加装应急照明",
                                           responsible=users["worker"], deadline=TODAY + 7 * DAY,
                                           submit_token=token)
    assert finding.area == "safety" and finding.source == drill and finding.responsible == users["worker"]
    again = services.drill_follow_up_add(drill_id=drill.pk, by=users["safety"], title="加装应急照明",
                                         responsible=users["worker"], deadline=TODAY + 7 * DAY, submit_token=token)
    assert again.pk == finding.pk
    assert list(selectors.drill_follow_ups(drill)) == [finding]
    drill.refresh_from_db()
    reasons = [e["reason"] for e in history_timeline(drill)]
    assert reasons == ["recorded: 1200 people took part",
                       f"follow-up action {finding.number}: 加装应急照明, 张师傅 by {TODAY + 7 * DAY:%Y-%m-%d}"]
    assert drill.version == 0


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"), ({"deadline": TODAY - DAY}, "deadline"), ({"deadline": None}, "deadline"),
])
def test_a_follow_up_action_with_bad_input_is_refused(users, plan, changes, field):
    drill = record(users["safety"], plan)
    data = {"title": "加装应急照明", "responsible": users["worker"], "deadline": TODAY + 7 * DAY}
    data.update(changes)
    with pytest.raises(ValidationError) as e:
        services.drill_follow_up_add(drill_id=drill.pk, by=users["safety"], **data)
    assert field in e.value.message_dict
    assert not Finding.objects.exists()


def test_the_principal_adds_no_follow_up_actions(users, plan):
    drill = record(users["safety"], plan)
    with pytest.raises(PermissionDenied):
        services.drill_follow_up_add(drill_id=drill.pk, by=users["principal"], title="x",
                                     responsible=users["worker"], deadline=TODAY + DAY)


# --- figures -------------------------------------------------------------------------------------

def test_drills_in_term_counts_people_and_averages_the_timed_evacuations(users, plan, school,
                                                                        django_assert_num_queries):
    term = school["term"]
    record(users["safety"], plan, headcount=1200, evacuation_seconds="3:12")
    record(users["safety"], plan, title="防震演练", headcount=600, evacuation_seconds="2:00")
    record(users["safety"], plan, title="灭火器演练", headcount=40, evacuation_seconds=None)
    record(users["safety"], plan, title="上学期的演练", held_on=term.start - DAY, headcount=999)
    with django_assert_num_queries(1):
        figures = selectors.drills_in_term(term)
    assert figures == {"count": 3, "participants": 1840, "average_evacuation_seconds": 156}
    empty = Term.objects.create(name="下学期", start=term.end + DAY, end=term.end + 100 * DAY)
    assert selectors.drills_in_term(empty) == {"count": 0, "participants": 0, "average_evacuation_seconds": None}


def test_drill_follow_ups_in_term_counts_the_open(users, plan, school):
    drill = record(users["safety"], plan)
    for title in ("a", "b"):
        services.drill_follow_up_add(drill_id=drill.pk, by=users["safety"], title=title,
                                     responsible=users["worker"], deadline=TODAY + DAY)
    Finding.objects.filter(title="a").update(status=Finding.Status.VERIFIED)
    assert selectors.drill_follow_ups_in_term(school["term"]) == {"total": 2, "open": 1}
    assert Finding.objects.filter(source_type=ContentType.objects.get_for_model(Drill)).count() == 2
