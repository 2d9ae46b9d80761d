"""The repair pages as each role uses them: what is allowed, what is refused, what the user is told."""
import html
import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from assets import services
from assets.models import RepairRequest

Status = RepairRequest.Status


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user(client):
    """as_user(user): the test client logged in as that user, reading the site in English."""
    def _as(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client
    return _as


def shown(response):
    """The page as the user reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def report(users, school, reporter="teacher", title="灯不亮"):
    return services.repair_report(reporter=users[reporter], category="lighting", location=school["room"],
                                  title=title)


def bring_to(state, users, school, reporter="teacher"):
    """A request moved through the services into the given state."""
    pk = report(users, school, reporter).pk
    if state in ("assigned", "in_progress", "done"):
        services.repair_assign(request_id=pk, by=users["head"], assignee=users["worker"])
    if state in ("in_progress", "done"):
        services.repair_start(request_id=pk, worker=users["worker"])
    if state == "done":
        services.repair_complete(request_id=pk, worker=users["worker"], work_done="换了两根灯管")
    return RepairRequest.objects.get(pk=pk)


def snapshot(repair):
    return RepairRequest.objects.filter(pk=repair.pk).values().get(), repair.history.count()


def url(name, repair):
    return reverse(f"assets:repair_{name}", args=[repair.pk])


# move -> (state it starts from, who may do it, extra POST data, status after, message shown)
MOVES = {
    "assign": ("reported", "head", lambda u: {"assignee": u["worker"].pk}, Status.ASSIGNED, "Assigned."),
    "take": ("reported", "worker", lambda u: {}, Status.ASSIGNED, "It is yours now."),
    "start": ("assigned", "worker", lambda u: {}, Status.IN_PROGRESS, "Work started."),
    "complete": ("in_progress", "worker",
                 lambda u: {"work_done": "换了两根灯管", "parts_used": "LED灯管×2", "cost": "36.50",
                            "minutes_spent": "40"},
                 Status.DONE, "Marked done. The reporter will be asked to confirm."),
    "confirm": ("done", "teacher", lambda u: {}, Status.CONFIRMED,
                "Thank you for confirming. The request is closed."),
    "reopen": ("done", "teacher", lambda u: {"reason": "还是闪"}, Status.ASSIGNED,
               "Reopened. It went back to the worker."),
    "reject": ("reported", "head", lambda u: {"reason": "重复申报"}, Status.REJECTED,
               "Rejected. The reporter sees your reason."),
    "cancel": ("reported", "teacher", lambda u: {"reason": ""}, Status.CANCELLED, "Your request was cancelled."),
}

# What the 403 page says to the wrong person.
REFUSAL = {
    "assign": "Only the head of logistics assigns repairs.",
    "take": "You do not have the role for this.",
    "start": "Only the worker it is assigned to can do this.",
    "complete": "Only the worker it is assigned to can do this.",
    "confirm": "Only the person who reported it can do this.",
    "reopen": "Only the person who reported it can do this.",
    "reject": "You do not have the role for this.",
    "cancel": "Only the person who reported it can do this.",
}

# People who can read the request but may not make the move: they get the 403 page.
REFUSED = {
    "assign": ["worker", "teacher", "principal", "auditor"],
    "take": ["teacher", "principal", "auditor"],
    "start": ["worker2", "head", "teacher", "auditor"],
    "complete": ["worker2", "head", "teacher", "auditor"],
    "confirm": ["worker", "head", "principal", "auditor"],
    "reopen": ["worker", "head", "principal", "auditor"],
    "reject": ["worker", "teacher", "principal", "auditor"],
    "cancel": ["worker", "head", "principal", "auditor"],
}


# --- each move: allowed, refused, GET -----------------------------------------------------------

@pytest.mark.parametrize("move", MOVES)
def test_the_right_person_makes_the_move_and_is_told(users, school, as_user, move):
    state, who, data, after, message = MOVES[move]
    repair = bring_to(state, users, school)
    entries = repair.history.count()
    client = as_user(users[who])
    response = client.post(url(move, repair), {"version": repair.version, **data(users)}, follow=True)
    assert response.redirect_chain == [(url("detail", repair), 302)]
    assert message in shown(response)
    repair.refresh_from_db()
    assert repair.status == after
    assert repair.history.count() == entries + 1
    assert repair.history.order_by("-history_date", "-history_id").first().history_user == users[who]


@pytest.mark.parametrize(("move", "who"), [(m, w) for m, people in REFUSED.items() for w in people])
def test_a_refused_role_gets_the_403_page_and_nothing_changes(users, school, as_user, move, who):
    state, _who, data, _after, _message = MOVES[move]
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    response = as_user(users[who]).post(url(move, repair), {"version": repair.version, **data(users)})
    assert response.status_code == 403
    assert "Not allowed" in shown(response)
    assert REFUSAL[move] in shown(response)
    assert snapshot(repair) == before


@pytest.mark.parametrize("move", MOVES)
def test_moves_only_answer_post(users, school, as_user, move):
    state, who, _data, _after, _message = MOVES[move]
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    assert as_user(users[who]).get(url(move, repair)).status_code == 405
    assert snapshot(repair) == before


@pytest.mark.parametrize("move", MOVES)
def test_a_stale_page_is_refused_with_a_message(users, school, as_user, move):
    state, who, data, _after, _message = MOVES[move]
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    response = as_user(users[who]).post(url(move, repair), {"version": repair.version - 1, **data(users)},
                                        follow=True)
    assert response.redirect_chain == [(url("detail", repair), 302)]
    # Who made the change the page missed decides the wording (issue 8: not "someone else" for oneself).
    last_author = repair.history.filter(version=repair.version).first().history_user
    if last_author == users[who]:
        assert "You changed this repair request on another page or device" in shown(response)
    else:
        assert "was changed by someone else while you had it open" in shown(response)
    assert "Nothing was saved" in shown(response)
    assert snapshot(repair) == before


@pytest.mark.parametrize("move", MOVES)
def test_a_post_without_the_version_is_refused_with_a_message(users, school, as_user, move):
    state, who, data, _after, _message = MOVES[move]
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    response = as_user(users[who]).post(url(move, repair), data(users), follow=True)
    assert "The page was out of date; it has been reloaded." in shown(response)
    assert snapshot(repair) == before


@pytest.mark.parametrize("move", MOVES)
def test_anonymous_visitors_are_sent_to_log_in(users, school, client, move):
    repair = bring_to(MOVES[move][0], users, school)
    before = snapshot(repair)
    response = client.post(url(move, repair), {"version": repair.version})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert snapshot(repair) == before


@pytest.mark.parametrize(("move", "state", "who", "data"), [
    ("assign", "done", "head", {"assignee": "worker2"}),
    ("take", "assigned", "worker2", {}),
    ("start", "in_progress", "worker", {}),
    ("complete", "done", "worker", {"work_done": "修好"}),
    ("confirm", "in_progress", "teacher", {}),
    ("reopen", "assigned", "teacher", {"reason": "还是坏的"}),
    ("reject", "done", "head", {"reason": "重复"}),
    ("cancel", "assigned", "teacher", {}),
])
def test_a_move_the_state_does_not_allow_is_explained(users, school, as_user, move, state, who, data):
    repair = bring_to(state, users, school)
    data = {k: users[v].pk if k == "assignee" else v for k, v in data.items()}
    before = snapshot(repair)
    response = as_user(users[who]).post(url(move, repair), {"version": repair.version, **data}, follow=True)
    assert response.redirect_chain == [(url("detail", repair), 302)]
    assert f"A request that is “{repair.get_status_display()}” cannot be" in shown(response)
    assert snapshot(repair) == before


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize(("move", "data", "message"), [
    ("assign", {"assignee": ""}, "Assign to: This field is required."),
    ("assign", {"assignee": "999999"}, "Assign to: Select a valid choice."),
    ("complete", {"work_done": ""}, "What was done: This field is required."),
    ("complete", {"work_done": "修好", "cost": "-1"}, "Cost (yuan): Ensure this value is greater than or equal to 0."),
    ("complete", {"work_done": "修好", "cost": "十元"}, "Cost (yuan): Enter a number."),
    ("complete", {"work_done": "修好", "minutes_spent": "-5"}, "Time spent (minutes): Ensure this value"),
    ("reopen", {"reason": ""}, "Reason: This field is required."),
    ("reject", {"reason": ""}, "Reason: This field is required."),
    ("reject", {"reason": "   "}, "Reason: This field is required."),
])
def test_bad_input_is_explained_and_nothing_is_saved(users, school, as_user, move, data, message):
    state, who, _data, _after, _message = MOVES[move]
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    response = as_user(users[who]).post(url(move, repair), {"version": repair.version, **data}, follow=True)
    assert response.redirect_chain == [(url("detail", repair), 302)]
    assert message in shown(response)
    assert snapshot(repair) == before


def test_assigning_to_someone_who_is_not_a_worker_is_refused(users, school, as_user):
    repair = bring_to("reported", users, school)
    before = snapshot(repair)
    response = as_user(users["head"]).post(url("assign", repair),
                                           {"assignee": users["teacher"].pk, "version": repair.version},
                                           follow=True)
    assert "Assign to: Select a valid choice." in shown(response)
    assert snapshot(repair) == before


def test_completed_work_shows_on_the_page(users, school, as_user):
    repair = bring_to("in_progress", users, school)
    response = as_user(users["worker"]).post(url("complete", repair), {
        "version": repair.version, "work_done": "换了两根灯管", "parts_used": "LED灯管×2", "cost": "36.50",
        "minutes_spent": "40"}, follow=True)
    page = shown(response)
    assert "换了两根灯管" in page
    assert "LED灯管×2" in page
    assert "¥36.50" in page
    assert "40 minutes" in page


# --- reporting --------------------------------------------------------------------------------

def report_data(school, **kwargs):
    data = {"category": "lighting", "location": school["room"].pk, "title": "灯不亮", "description": "靠窗",
            "urgency": "normal", "submit_token": str(uuid.uuid4())}
    data.update(kwargs)
    return data


@pytest.mark.parametrize("who", ["teacher", "worker", "head", "principal", "finance", "canteen", "safety"])
def test_every_employee_can_report(users, school, as_user, who):
    client = as_user(users[who])
    assert client.get(reverse("assets:repair_report")).status_code == 200
    response = client.post(reverse("assets:repair_report"), report_data(school), follow=True)
    repair = RepairRequest.objects.get()
    assert repair.reporter == users[who]
    assert response.redirect_chain == [(url("detail", repair), 302)]
    assert f"Thank you. Your request {repair.number} was sent to logistics." in shown(response)


def test_auditor_cannot_report(users, school, as_user):
    client = as_user(users["auditor"])
    response = client.get(reverse("assets:repair_report"))
    assert response.status_code == 403
    assert "Your role cannot report repairs." in shown(response)
    response = client.post(reverse("assets:repair_report"), report_data(school))
    assert response.status_code == 403
    assert not RepairRequest.objects.exists()


def test_report_without_a_place_keeps_what_was_typed(users, school, as_user):
    response = as_user(users["teacher"]).post(reverse("assets:repair_report"),
                                              report_data(school, location="", title="投影仪不亮"))
    assert response.status_code == 200
    page = shown(response)
    assert 'value="投影仪不亮"' in page
    assert "This field is required." in page
    assert response.context["form"].errors["location"]
    assert not RepairRequest.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "This field is required."),
    ("title", "长" * 121, "Ensure this value has at most 120 characters"),
    ("category", "magic", "Select a valid choice."),
    ("urgency", "", "This field is required."),
    ("submit_token", "not-a-uuid", "Enter a valid UUID."),
])
def test_report_with_bad_input_is_explained(users, school, as_user, field, value, message):
    response = as_user(users["teacher"]).post(reverse("assets:repair_report"),
                                              report_data(school, **{field: value}))
    assert response.status_code == 200
    assert message in shown(response)
    assert not RepairRequest.objects.exists()


def test_a_place_no_longer_in_use_cannot_be_chosen(users, school, as_user):
    school["room"].active = False
    school["room"].save()
    response = as_user(users["teacher"]).post(reverse("assets:repair_report"), report_data(school))
    assert response.status_code == 200
    assert "Select a valid choice." in shown(response)
    assert not RepairRequest.objects.exists()


def test_sending_the_same_form_twice_makes_one_request(users, school, as_user):
    client = as_user(users["teacher"])
    data = report_data(school)
    client.post(reverse("assets:repair_report"), data)
    response = client.post(reverse("assets:repair_report"), data, follow=True)
    repair = RepairRequest.objects.get()
    assert response.redirect_chain == [(url("detail", repair), 302)]
    assert f"This request was already sent ({repair.number}); it was not sent twice." in shown(response)
    assert repair.history.count() == 1


def test_report_page_preselects_a_place_from_the_link(users, school, as_user):
    room = school["rooms"][1]
    response = as_user(users["teacher"]).get(reverse("assets:repair_report"), {"location": room.pk})
    assert response.context["form"].initial["location"] == str(room.pk)
    assert re.search(rf'<option value="{room.pk}"[^>]*selected', response.content.decode())


# --- reading ----------------------------------------------------------------------------------

def test_teacher_sees_only_her_own_requests(users, school, as_user):
    mine = report(users, school, "teacher", title="我的灯坏了")
    report(users, school, "teacher2", title="别人的门坏了")
    page = shown(as_user(users["teacher"]).get(reverse("assets:repair_mine")))
    assert mine.number in page
    assert "我的灯坏了" in page
    assert "别人的门坏了" not in page


def test_my_requests_are_split_into_open_and_closed(users, school, as_user):
    report(users, school, title="还开着的")
    closed = report(users, school, title="已撤销的")
    services.repair_cancel(request_id=closed.pk, by=users["teacher"])
    client = as_user(users["teacher"])
    page = shown(client.get(reverse("assets:repair_mine"), {"status": "open"}))
    assert "还开着的" in page and "已撤销的" not in page
    page = shown(client.get(reverse("assets:repair_mine"), {"status": "closed"}))
    assert "已撤销的" in page and "还开着的" not in page


def test_the_head_also_sees_only_her_own_requests_under_mine(users, school, as_user):
    report(users, school, "teacher", title="老师报的")
    page = shown(as_user(users["head"]).get(reverse("assets:repair_mine")))
    assert "老师报的" not in page


def test_teacher_gets_404_on_someone_elses_request(users, school, as_user):
    other = report(users, school, "teacher2", title="别人的门坏了")
    response = as_user(users["teacher"]).get(url("detail", other))
    assert response.status_code == 404
    assert "别人的门坏了" not in shown(response)


@pytest.mark.parametrize("move", MOVES)
def test_teacher_gets_404_when_posting_on_someone_elses_request(users, school, as_user, move):
    # Assigning checks the role before the lookup: a 403 for every id, so nothing is learnt either.
    repair = bring_to(MOVES[move][0], users, school, reporter="teacher2")
    before = snapshot(repair)
    response = as_user(users["teacher"]).post(url(move, repair), {"version": repair.version,
                                                                  **MOVES[move][2](users)})
    assert response.status_code == (403 if move == "assign" else 404)
    assert "灯不亮" not in shown(response)
    assert snapshot(repair) == before


def test_reporter_reads_her_request_and_its_history(users, school, as_user):
    repair = bring_to("assigned", users, school)
    page = shown(as_user(users["teacher"]).get(url("detail", repair)))
    assert "灯不亮" in page
    assert "assigned to 张师傅" in page
    assert "陈主任" in page


@pytest.mark.parametrize("who", ["head", "worker", "principal", "auditor"])
def test_readers_of_every_request_see_the_queue(users, school, as_user, who):
    repair = report(users, school, "teacher", title="老师报的")
    client = as_user(users[who])
    response = client.get(reverse("assets:repair_queue"))
    assert response.status_code == 200
    assert repair.number in shown(response)
    assert client.get(url("detail", repair)).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "finance", "canteen", "safety"])
def test_others_may_not_see_the_queue(users, school, as_user, who):
    report(users, school, "teacher2", title="别人的门坏了")
    response = as_user(users[who]).get(reverse("assets:repair_queue"))
    assert response.status_code == 403
    assert "别人的门坏了" not in shown(response)


def test_queue_filters_by_status(users, school, as_user):
    report(users, school, title="新报的")
    assigned = bring_to("assigned", users, school)
    RepairRequest.objects.filter(pk=assigned.pk).update(title="已派的")
    client = as_user(users["head"])
    page = shown(client.get(reverse("assets:repair_queue"), {"status": "assigned"}))
    assert "已派的" in page and "新报的" not in page
    page = shown(client.get(reverse("assets:repair_queue"), {"q": "新报"}))
    assert "新报的" in page and "已派的" not in page


def test_auditor_reads_everything_and_changes_nothing(users, school, as_user):
    repairs = {state: bring_to(state, users, school) for state in ("reported", "assigned", "in_progress", "done")}
    client = as_user(users["auditor"])
    assert client.get(reverse("assets:repair_queue")).status_code == 200
    before = {state: snapshot(r) for state, r in repairs.items()}
    for move, (state, _who, data, _after, _message) in MOVES.items():
        repair = repairs[state]
        assert client.get(url("detail", repair)).status_code == 200
        response = client.post(url(move, repair), {"version": repair.version, **data(users)})
        assert response.status_code == 403, move
    assert {state: snapshot(r) for state, r in repairs.items()} == before


def test_detail_offers_each_person_only_their_moves(users, school, as_user):
    repair = bring_to("reported", users, school)
    head_page = shown(as_user(users["head"]).get(url("detail", repair)))
    assert url("assign", repair) in head_page
    assert url("reject", repair) in head_page
    assert url("cancel", repair) not in head_page
    teacher_page = shown(as_user(users["teacher"]).get(url("detail", repair)))
    assert url("cancel", repair) in teacher_page
    assert url("assign", repair) not in teacher_page
    assert url("take", repair) not in teacher_page
    auditor_page = shown(as_user(users["auditor"]).get(url("detail", repair)))
    for move in MOVES:
        assert url(move, repair) not in auditor_page
