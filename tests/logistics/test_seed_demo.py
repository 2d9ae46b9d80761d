"""`manage.py seed_demo`: the demo school, its people, its term's repairs and checks."""
import datetime
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, CheckSchedule, CheckTask, Distribution, RepairPhoto, RepairRequest, Requisition
from finance.models import AidApplication, FeeItem, LedgerEntry, PurchaseRequest
from logistics.management.commands.seed_demo import current_and_previous_term, is_school_day
from logistics.models import Building, Department, Location, SchoolProfile, Term

ROLE_USERS = {
    "teacher": "staff", "logistics": "logistics", "head": "logistics_head", "principal": "principal",
    "finance": "finance", "canteen": "canteen", "safety": "safety", "auditor": "auditor",
}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the slow default adds nothing here


def seed(*args, debug=True):
    out = io.StringIO()
    with override_settings(DEBUG=debug, PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def business_models():
    return [m for app in ("assets", "finance") for m in apps.get_app_config(app).get_models()
            if not m.__name__.startswith("Historical") and hasattr(m, "history")]


def printed_password(output):
    return re.search(r"^Demo password: (\S+)$", output, re.MULTILINE).group(1)


def counts():
    models = [User, Group, SchoolProfile, Term, Department, Building, Location, RepairRequest, CheckSchedule,
              CheckTask, RepairPhoto]
    result = {m.__name__: m.objects.count() for m in models}
    for model in (RepairRequest, CheckTask, Location, Term, User):
        if hasattr(model, "history"):
            result[f"history of {model.__name__}"] = model.history.count()
    for model in business_models():  # every module's records and their history
        result[model._meta.label] = model.objects.count()
        result[f"history of {model._meta.label}"] = model.history.count()
    result["group memberships"] = User.groups.through.objects.count()
    return result


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_one_user_per_role_signs_in_with_the_printed_password(seeded, client):
    password = printed_password(seeded)
    assert password == "demo12345"
    for username, role in ROLE_USERS.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.first_name, "a Chinese display name"
        assert username in seeded and role in seeded
        assert client.login(username=username, password=password), username
        client.logout()
    # a few more people, so the lists look like a school
    assert User.objects.filter(groups__name="staff").count() >= 3
    assert User.objects.filter(groups__name="logistics").count() == 2
    # head, principal and the safety officer (checklists) reach the admin; the admin sees what their groups allow;
    # plus one superuser
    assert set(User.objects.filter(is_staff=True, is_superuser=False).values_list("username", flat=True)) == {
        "head", "principal", "safety"}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and client.login(username="admin", password=password)


def test_the_school_its_places_and_its_term(seeded):
    profile = SchoolProfile.objects.get()
    assert profile.name and profile.address and profile.phone and profile.principal_name
    classrooms = Location.objects.filter(kind=Location.Kind.CLASSROOM)
    assert classrooms.count() == 6
    assert set(classrooms.values_list("building__name", flat=True)) == {"教学楼"}
    kinds = set(Location.objects.values_list("kind", flat=True))
    assert {"library", "lab", "music", "art", "multimedia", "computer", "office", "canteen", "outdoor"} <= kinds
    assert {"教导处", "总务处", "办公室", "语文组", "数学组", "英语组", "体育组", "食堂"} <= set(
        Department.objects.values_list("name", flat=True))
    assert {"教学楼", "办公楼", "食堂", "操场", "校园"} <= set(Building.objects.values_list("name", flat=True))

    today = timezone.localdate()
    assert Term.objects.count() == 2
    current = Term.objects.current()
    previous = Term.objects.exclude(pk=current.pk).get()
    assert previous.end < current.start
    expected_previous, expected_current = current_and_previous_term(today)
    assert (current.name, current.start, current.end) == expected_current
    assert (previous.name, previous.start, previous.end) == expected_previous
    if current.end >= today:
        assert current.contains(today)
    else:  # in the winter or summer holiday: no term contains today, the one just ended is current
        assert not any(t.contains(today) for t in Term.objects.all())
        assert (today - current.end).days < 60


def test_about_forty_repairs_in_every_state_with_their_history(seeded):
    repairs = RepairRequest.objects.all()
    assert 35 <= repairs.count() <= 45
    assert set(repairs.values_list("status", flat=True)) == set(RepairRequest.Status.values)
    assert repairs.overdue().exists()
    assert repairs.filter(urgency="urgent").count() >= 3
    assert repairs.filter(reopen_count__gt=0, status="confirmed").exists()
    assert repairs.filter(reopen_count__gt=0, status="assigned").exists()
    assert repairs.filter(check_task__isnull=False).exists(), "a fault found during a check"
    assert "灯管不亮" in set(repairs.values_list("title", flat=True))
    assert not RepairPhoto.objects.exists()

    for repair in repairs.filter(status__in=["done", "confirmed"]):
        assert repair.work_done and repair.minutes_spent and repair.completed_at and repair.assignee_id
    assert repairs.filter(cost__gt=0).count() >= 10

    now = timezone.now()
    for repair in repairs:
        moments = [repair.reported_at, repair.assigned_at, repair.started_at, repair.completed_at,
                   repair.closed_at]
        moments = [m for m in moments if m]
        assert moments == sorted(moments) and moments[-1] < now, repair.number
        assert repair.due_at > repair.reported_at
        history = list(repair.history.order_by("history_id"))
        dates = [h.history_date for h in history]
        assert dates == sorted(dates) and dates[0] == repair.reported_at and dates[-1] < now
        assert history[-1].status == repair.status
    rejected = repairs.filter(status="rejected").first()
    assert rejected.reason and rejected.history.count() == 2

    # spread over weeks, not all made a second ago
    first = repairs.order_by("reported_at").first().reported_at
    last = repairs.order_by("reported_at").last().reported_at
    assert last - first > datetime.timedelta(days=14)
    # numbered in the order they were reported (the repair demo's own: a repair the safety demo opens for a hazard
    # is numbered after them, as the demo builds it later, but dated by the hazard's story)
    numbers = list(repairs.filter(finding__isnull=True).order_by("reported_at", "pk").values_list("number", flat=True))
    assert numbers == sorted(numbers)


def test_recurring_checks_and_their_tasks(seeded):
    lighting = CheckSchedule.objects.get(title="教室照明检查")
    assert lighting.weekdays == [1, 3] and lighting.part_of_day == "afternoon"
    assert lighting.assignee.groups.filter(name="logistics").exists()
    assert set(lighting.locations.values_list("kind", flat=True)) == {"classroom"}
    assert lighting.locations.count() == 6
    plumbing = CheckSchedule.objects.get(title="下水道/排水检查")
    assert plumbing.frequency == "monthly" and plumbing.day_of_month == 1
    assert CheckSchedule.objects.count() >= 3

    tasks = CheckTask.objects.all()
    past = tasks.filter(due_date__lt=timezone.localdate())
    assert past.count() >= 5
    assert past.filter(status="done").count() >= past.count() - 2
    for task in tasks:
        assert task.schedule.is_due_on(task.due_date)
        if task.schedule.only_in_term:
            assert any(t.contains(task.due_date) for t in Term.objects.all())
    for task in past.filter(status="done"):
        assert timezone.localtime(task.completed_at).date() >= task.due_date
        assert task.completed_at < timezone.now()
        assert task.history.count() == 2
        assert list(task.history.order_by("history_id").values_list("history_date", flat=True))[-1] == \
            task.completed_at
    faulty = past.filter(repair_requests__isnull=False).distinct()
    assert faulty.exists() and all(t.all_ok is False for t in faulty)


def test_a_second_run_changes_nothing(seeded):
    before = counts()
    repair_states = list(RepairRequest.objects.order_by("pk").values_list("number", "status", "reported_at"))
    output = seed()
    assert counts() == before
    assert list(RepairRequest.objects.order_by("pk").values_list("number", "status", "reported_at")) == \
        repair_states
    assert "already there" in output


def test_refuses_without_debug_and_changes_nothing(db):
    with pytest.raises(CommandError, match="DEBUG"):
        seed(debug=False)
    assert not User.objects.exists()
    assert not SchoolProfile.objects.exists()
    assert not Location.objects.exists()
    assert not RepairRequest.objects.exists()


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_force_and_own_password(db, client):
    output = seed("--force", "--password", "ours-2026", debug=False)
    assert printed_password(output) == "ours-2026"
    assert client.login(username="head", password="ours-2026")
    assert RepairRequest.objects.exists()


@pytest.mark.parametrize("today, current, previous, in_term", [
    ("2026-11-24", ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"),
     ("2025–2026学年第二学期", "2026-02-16", "2026-07-03"), True),
    ("2026-09-01", ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"),
     ("2025–2026学年第二学期", "2026-02-16", "2026-07-03"), True),
    ("2027-01-10", ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"),
     ("2025–2026学年第二学期", "2026-02-16", "2026-07-03"), True),
    # winter holiday: the autumn term has just ended
    ("2027-02-05", ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"),
     ("2025–2026学年第二学期", "2026-02-16", "2026-07-03"), False),
    ("2027-03-15", ("2026–2027学年第二学期", "2027-02-22", "2027-07-02"),
     ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"), True),
    # summer holiday
    ("2027-08-10", ("2026–2027学年第二学期", "2027-02-22", "2027-07-02"),
     ("2026–2027学年第一学期", "2026-09-01", "2027-01-22"), False),
])
def test_school_calendar(today, current, previous, in_term):
    day = datetime.date.fromisoformat(today)

    def as_term(t):
        return (t[0], datetime.date.fromisoformat(t[1]), datetime.date.fromisoformat(t[2]))

    got_previous, got_current = current_and_previous_term(day)
    assert got_current == as_term(current)
    assert got_previous == as_term(previous)
    assert (got_current[1] <= day <= got_current[2]) is in_term
    assert got_current[1] <= day


def test_school_days_skip_weekends_and_national_holidays():
    terms = [current_and_previous_term(datetime.date(2026, 11, 24))[1]]
    assert is_school_day(datetime.date(2026, 11, 24), terms)
    assert not is_school_day(datetime.date(2026, 11, 22), terms)  # Sunday
    assert not is_school_day(datetime.date(2026, 10, 5), terms)  # 国庆
    assert not is_school_day(datetime.date(2026, 8, 31), terms)  # summer holiday


def _end_of(value):
    """A business date or moment as the latest moment it stands for (a date: the end of that day)."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def test_histories_follow_the_business_dates_in_order(seeded):
    """No history row is dated more than a day after the business date it wrote (an asset's registration
    on its acquisition date, an approval's row at its approval time, a payment's at its payment), the rows
    of each record are in order, none lies in the future, and none says it was made up for the demo."""
    now = timezone.now()
    late, disorder, demo_words = [], [], []
    checked = 0
    for model in business_models():
        history_model = model.history.model
        history_fields = {f.attname for f in history_model._meta.fields}
        dated = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.DateField) and f.attname in history_fields]
        rows = {}
        for row in history_model.objects.order_by("history_id"):
            rows.setdefault(row.id, []).append(row)
        for pk, history in rows.items():
            dates = [row.history_date for row in history]
            if dates != sorted(dates) or dates[-1] > now:
                disorder.append((model.__name__, pk, dates))
            previous = None
            for row in history:
                reason = row.history_change_reason or ""
                if "（演示）" in reason or "demo" in reason.lower():
                    demo_words.append((model.__name__, pk, reason))
                split = reason.startswith('{"m": "split from')  # a part keeps the date its batch was bought
                for name in dated:
                    value = getattr(row, name)
                    if value is None or (previous is not None and getattr(previous, name) == value) or (
                            split and name == "acquired_on"):
                        continue
                    checked += 1
                    if row.history_date - _end_of(value) > datetime.timedelta(days=1):
                        late.append((model.__name__, pk, name, value, timezone.localtime(row.history_date)))
                previous = row
    assert checked > 500
    # The records' own moments (requested, submitted, recorded, ...) are not the moment the demo was built:
    # none is later than the record's last history row (a due date may lie ahead).
    for model in business_models():
        moments = [f.attname for f in model._meta.concrete_fields
                   if isinstance(f, models.DateTimeField) and not f.attname.startswith("due")]
        last = dict(model.history.values("id").annotate(last=models.Max("history_date")).values_list("id", "last"))
        for record in model.objects.only("pk", *moments):
            for name in moments:
                value = getattr(record, name)
                if value is not None and value > last[record.pk] + datetime.timedelta(minutes=1):
                    late.append((model.__name__, record.pk, name, timezone.localtime(value)))
    assert not late, late[:10]
    assert not disorder, disorder[:5]
    assert not demo_words, demo_words[:5]

    # Assets bought years ago were registered then: their first history row is on the acquisition date.
    old = Asset.objects.filter(acquired_on__year=2021).first()
    assert old is not None
    assert timezone.localtime(old.history.order_by("history_id").first().history_date).date() == old.acquired_on


def test_the_flowers_were_bought_through_the_services(seeded):
    flowers = PurchaseRequest.objects.get(title="校园花卉 200 盆")
    assert flowers.status == "paid" and flowers.vendor and flowers.ordered_on and flowers.received_at
    assert flowers.second_purchaser_id and flowers.received_by_id not in (flowers.purchaser_id,
                                                                          flowers.second_purchaser_id)
    invoice = flowers.invoices.get()
    assert invoice.handler_id and invoice.receiver_id and invoice.auditor_id and invoice.paid_at
    entry = LedgerEntry.objects.get(invoice=invoice)
    assert entry.amount == invoice.amount and entry.direction == "expense"
    steps = [row.history_change_reason for row in flowers.history.order_by("history_id")]
    assert any("approved" in s for s in steps) and any("ordered" in s for s in steps)
    assert Asset.objects.filter(name="盆栽花卉", notes=flowers.number, quantity=200).exists()


def test_aid_is_applied_for_by_class_teachers(seeded):
    applications = AidApplication.objects.select_related("submitted_by")
    assert applications.count() == 5
    for application in applications:
        assert not application.submitted_by.is_superuser
        assert application.submitted_by.groups.filter(name="staff").exists(), application.submitted_by
    assert applications.filter(submitted_by__username="teacher", location__name="一(1)班").exists()


def test_the_previous_term_has_repairs_purchases_supplies_and_fees(seeded):
    current = Term.objects.current()
    previous = Term.objects.exclude(pk=current.pk).get()
    start, end = (datetime.datetime.combine(d, datetime.time(0), tzinfo=timezone.get_current_timezone())
                  for d in (previous.start, previous.end + datetime.timedelta(days=1)))
    assert RepairRequest.objects.filter(reported_at__range=(start, end), status="confirmed").count() >= 3
    assert PurchaseRequest.objects.filter(submitted_at__range=(start, end)).count() >= 2
    assert PurchaseRequest.objects.filter(submitted_at__range=(start, end), status="paid").exists()
    assert Distribution.objects.filter(term=previous).exists()
    assert Requisition.objects.filter(requested_at__range=(start, end)).exists()
    assert FeeItem.objects.filter(term=previous, settled_at__isnull=False).exists()


def test_the_output_says_where_to_read_the_public_fee_notice(seeded):
    fee = FeeItem.objects.get(term=Term.objects.current(), published=True)
    assert reverse("finance:fee_public", args=[fee.public_token]) in seeded
