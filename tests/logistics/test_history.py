"""A record's history as a timeline of sentences (logistics.history.history_timeline)."""
import pytest
from django.utils import translation

from assets import services
from assets.models import RepairRequest
from logistics.history import history_reason, history_timeline, reason_text
from logistics.models import Building, Location


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(users, school):
    """A request reported, assigned, started and done, as the services leave it."""
    repair = services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                    title="灯不亮")
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    services.repair_start(request_id=repair.pk, worker=users["worker"])
    services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="换了两根灯管",
                             cost="36.50")
    return RepairRequest.objects.get(pk=repair.pk)


def test_entries_come_oldest_first_with_who_and_why(journey):
    with translation.override("en"):
        timeline = history_timeline(journey)
    assert [(e["who"], e["reason"], e["kind"]) for e in timeline] == [
        ("王丽", "reported", "+"),
        ("陈主任", "assigned to 张师傅", "~"),
        ("张师傅", "work started", "~"),
        ("张师傅", "marked done: 换了两根灯管", "~"),
    ]
    whens = [e["when"] for e in timeline]
    assert whens == sorted(whens)


def test_each_entry_lists_the_fields_it_changed(journey):
    with translation.override("en"):
        timeline = history_timeline(journey)
    assert timeline[0]["changes"] == []  # the first entry is the whole record
    assert sorted(timeline[1]["changes"]) == [("assigned to", "—", "张师傅"), ("status", "Reported", "Assigned")]
    assert timeline[2]["changes"] == [("status", "Assigned", "In progress")]
    assert sorted(timeline[3]["changes"]) == [
        ("cost (yuan)", "—", "¥36.50"), ("status", "In progress", "Done, awaiting confirmation"),
        ("work done", "—", "换了两根灯管"),
    ]


def test_bookkeeping_fields_and_timestamps_are_not_listed(journey):
    with translation.override("en"):
        labels = {label for entry in history_timeline(journey) for label, _old, _new in entry["changes"]}
    assert "version" not in labels
    assert "submission token" not in labels
    assert not labels & {"assigned at", "started at", "completed at"}


def test_a_reason_reads_in_the_reader_language(journey):
    with translation.override("en"):
        english = history_timeline(journey)[1]["reason"]
    with translation.override("zh-hans"):
        chinese = history_timeline(journey)[1]
    assert english == "assigned to 张师傅"
    assert chinese["reason"] == "派给 张师傅"
    assert ("状态", "已报修", "已派工") in chinese["changes"]


def test_reasons_written_in_chinese_read_in_english(users, school):
    with translation.override("zh-hans"):
        repair = services.repair_report(reporter=users["teacher"], category="lighting",
                                        location=school["room"], title="灯不亮")
        services.repair_take(request_id=repair.pk, worker=users["worker2"])
    with translation.override("en"):
        assert [e["reason"] for e in history_timeline(repair)] == ["reported", "took it on"]


def test_changes_without_a_reason_or_a_person_still_read(school):
    building = Building.objects.create(name="实验楼")
    room = Location.objects.create(building=building, name="科学室", floor=2)
    room.active = False
    room.save()
    with translation.override("en"):
        timeline = history_timeline(room)
    assert [(e["who"], e["reason"]) for e in timeline] == [("the system", "created"), ("the system", "changed")]
    assert timeline[1]["changes"] == [("in use", "yes", "no")]


def test_limit_keeps_the_oldest_entries(journey):
    with translation.override("en"):
        timeline = history_timeline(journey, limit=2)
    assert [e["reason"] for e in timeline] == ["reported", "assigned to 张师傅"]


@pytest.mark.parametrize(("raw", "text"), [
    (history_reason("work started"), "work started"),
    (history_reason("rejected: %(reason)s", reason="重复 100%"), "rejected: 重复 100%"),
    ("fixed by hand in the admin", "fixed by hand in the admin"),  # plain text, as older rows hold
    ('{"not": "ours"}', '{"not": "ours"}'),
    ("{broken", "{broken"),
    ("", ""),
    (None, ""),
])
def test_reason_text_reads_stored_reasons(raw, text):
    with translation.override("en"):
        assert reason_text(raw) == text
