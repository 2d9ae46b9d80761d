"""The demo school every module's demo builds on: its calendar, people, departments and places.

`manage.py seed_demo` builds the kernel's school here (created if missing, left alone if present),
then each module's demo areas in dependency order (logistics.modules: demo, demo_after). An area is a
module with seed(builder), idempotent (adds nothing when its records are there), and optionally
summary() -> lines for the command's report. The builder gives areas: .users (username -> User),
.rooms (room name -> Location), .current_term, .term_defs, .today, .now, .rng, the time helpers
(at, jitter, working_time, calendar, report_time) and back-dating (clock; or remap, moved, backdate), so
records are made through the services and their history carries the business dates.
"""
import contextlib
import datetime
import functools
import random

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from . import roles
from .models import Building, Department, Location, SchoolProfile, Term
from .modules import demo_order

DEFAULT_PASSWORD = "demo12345"
RANDOM_SEED = 20260901

Kind = Location.Kind


# --- the school calendar ----------------------------------------------------------------------

def _weekday_on_or_before(day, weekday):
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def _weekday_on_or_after(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def school_year_terms(year):
    """The two terms of the school year that starts in September of `year`, as (name, first, last):
    autumn from 1 September to the Friday before 24 January, spring from the Monday after
    15 February to the Friday before 4 July."""
    label = f"{year}–{year + 1}学年"
    autumn = (f"{label}第一学期", datetime.date(year, 9, 1),
              _weekday_on_or_before(datetime.date(year + 1, 1, 23), 4))
    spring = (f"{label}第二学期", _weekday_on_or_after(datetime.date(year + 1, 2, 16), 0),
              _weekday_on_or_before(datetime.date(year + 1, 7, 3), 4))
    return [autumn, spring]


def current_and_previous_term(today):
    """(previous, current): current contains today, or in the holidays is the term that just ended."""
    terms = [t for year in (today.year - 2, today.year - 1, today.year) for t in school_year_terms(year)]
    started = [t for t in terms if t[1] <= today]
    return started[-2], started[-1]


def is_public_holiday(day):
    """Days off inside a term: 元旦, 劳动节 (1–5 May), 国庆 (1–7 October)."""
    return ((day.month, day.day) == (1, 1) or (day.month == 5 and day.day <= 5)
            or (day.month == 10 and day.day <= 7))


def is_school_day(day, terms):
    return day.weekday() < 5 and not is_public_holiday(day) and any(t[1] <= day <= t[2] for t in terms)


# --- the school ---------------------------------------------------------------------------------

SCHOOL = {
    "name": "青山区实验小学",
    "address": "青山区学府路18号",
    "phone": "0551-6578 3120",
    "principal_name": "赵建华",
}

# username, role (None: superuser), display name, what they do
PEOPLE = [
    ("teacher", roles.STAFF, "王丽", "语文组 · 一(1)班班主任"),
    ("teacher2", roles.STAFF, "刘洋", "数学组 · 信息技术"),
    ("teacher3", roles.STAFF, "黄敏", "英语组 · 图书室管理"),
    ("teacher4", roles.STAFF, "何强", "体育组"),
    ("logistics", roles.LOGISTICS, "张建国", "后勤维修(水电)"),
    ("logistics2", roles.LOGISTICS, "李明", "后勤维修(班班通、电脑)"),
    ("head", roles.LOGISTICS_HEAD, "陈志刚", "总务处主任"),
    ("principal", roles.PRINCIPAL, "赵建华", "校长"),
    ("finance", roles.FINANCE, "孙梅", "会计"),
    ("canteen", roles.CANTEEN, "周红", "食堂管理员"),
    ("safety", roles.SAFETY, "吴涛", "安全员"),
    ("auditor", roles.AUDITOR, "郑国平", "区教育局审计(只读)"),
    ("admin", None, "系统管理员", "superuser: the whole admin"),
]
# The safety officer keeps the safety checklists and settings in the admin.
ADMIN_STAFF = {"head", "principal", "safety"}

# name, head's username
DEPARTMENTS = [
    ("教导处", None), ("总务处", "head"), ("办公室", "principal"), ("语文组", "teacher"),
    ("数学组", "teacher2"), ("英语组", "teacher3"), ("体育组", "teacher4"), ("食堂", "canteen"),
]

# building: [(room, floor, kind)]
PLACES = {
    "教学楼": [
        ("一(1)班", 1, Kind.CLASSROOM), ("二(1)班", 1, Kind.CLASSROOM), ("三(1)班", 2, Kind.CLASSROOM),
        ("四(1)班", 2, Kind.CLASSROOM), ("五(1)班", 3, Kind.CLASSROOM), ("六(1)班", 3, Kind.CLASSROOM),
        ("一楼卫生间", 1, Kind.OTHER), ("二楼卫生间", 2, Kind.OTHER), ("开水房", 1, Kind.OTHER),
        ("楼梯间", None, Kind.OTHER),
    ],
    "综合楼": [
        ("图书室", 1, Kind.LIBRARY), ("实验室", 1, Kind.LAB), ("音乐室", 2, Kind.MUSIC),
        ("美术室", 2, Kind.ART), ("多媒体室", 3, Kind.MULTIMEDIA), ("微机室", 3, Kind.COMPUTER),
    ],
    "办公楼": [
        ("教导处", 1, Kind.OFFICE), ("总务处", 1, Kind.OFFICE), ("教师办公室", 1, Kind.OFFICE),
        ("校长室", 2, Kind.OFFICE), ("财务室", 2, Kind.OFFICE), ("会议室", 2, Kind.OFFICE),
    ],
    "食堂": [("操作间", 1, Kind.CANTEEN), ("餐厅", 1, Kind.CANTEEN), ("食品仓库", 1, Kind.OTHER)],
    "操场": [("运动场", None, Kind.OUTDOOR), ("篮球场", None, Kind.OUTDOOR), ("升旗台", None, Kind.OUTDOOR)],
    "校园": [
        ("校门及门卫室", None, Kind.OTHER), ("花坛", None, Kind.OUTDOOR), ("围墙", None, Kind.OUTDOOR),
        ("配电房", None, Kind.OTHER), ("自行车棚", None, Kind.OUTDOOR),
    ],
}

_REAL_NOW = timezone.now


@functools.cache
def _clock_fields():
    """The fields of every model whose default is the clock (default=timezone.now)."""
    return [field for model in global_apps.get_models() for field in model._meta.concrete_fields
            if field.default is _REAL_NOW]


class DemoBuilder:
    """Builds the demo within one transaction; self.notes collects what the command reports."""

    def __init__(self, *, password, now):
        self.password = password
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(RANDOM_SEED)
        self.hashed = None
        self.users = {}
        self.existing_users = set()
        self.rooms = {}
        self.notes = []
        # real timestamp written by a service -> the moment it is meant to show
        self.remap = {}

    def run(self):
        self.school()
        self.terms()
        self.people()
        self.departments()
        self.places()
        # Each module's areas, in dependency order (a module's demo_after comes first).
        for module in demo_order():
            for area in module.demo_areas():
                if note := area.seed(self):
                    self.notes.append(note)
        # The kernel's own areas, which read every module's records: the term summaries.
        for area in self.kernel_areas():
            if note := area.seed(self):
                self.notes.append(note)

    def kernel_areas(self):
        from .summary import demo as summary_demo

        return summary_demo.AREAS

    def summary(self):
        """Lines about what the modules' demo holds (each area's summary(), where it has one)."""
        areas = [area for module in demo_order() for area in module.demo_areas()] + self.kernel_areas()
        return [line for area in areas if hasattr(area, "summary") for line in area.summary()]

    def unfit(self):
        """What would stop the services (people found here without their role, rooms out of use)."""
        problems = [f"user {u} is not in group {role}" for u, role, _n, _w in PEOPLE
                    if role and not self.users[u].groups.filter(name=role).exists()]
        problems += [f"{room} is not in use" for room, location in self.rooms.items() if not location.active]
        return problems

    def school(self):
        if not SchoolProfile.objects.exists():
            SchoolProfile.objects.create(**SCHOOL)

    def terms(self):
        previous, current = current_and_previous_term(self.today)
        self.term_defs = [previous, current]
        for name, start, end in self.term_defs:
            Term.objects.get_or_create(name=name, defaults={"start": start, "end": end})
        self.current_term = Term.objects.get(name=current[0])

    def people(self):
        User = get_user_model()
        if not all(Group.objects.filter(name=r).exists() for r in roles.ALL_ROLES):
            roles.sync_role_permissions(global_apps)
        for username, role, name, _what in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                if self.hashed is None:  # one slow hash for everyone: they share the demo password
                    self.hashed = make_password(self.password)
                user = User(username=username, first_name=name, password=self.hashed,
                            is_staff=role is None or username in ADMIN_STAFF, is_superuser=role is None)
                user.save()
                if role:
                    user.groups.add(Group.objects.get(name=role))
                user = User.objects.get(pk=user.pk)
            else:
                self.existing_users.add(username)
            self.users[username] = user

    def departments(self):
        for name, head in DEPARTMENTS:
            Department.objects.get_or_create(name=name, defaults={"head": self.users.get(head)})

    def places(self):
        for order, (building_name, rooms) in enumerate(PLACES.items(), start=1):
            building, _ = Building.objects.get_or_create(name=building_name, defaults={"sort_order": order})
            for room, floor, kind in rooms:
                location, _ = Location.objects.get_or_create(
                    building=building, name=room, defaults={"floor": floor, "kind": kind})
                self.rooms[room] = location

    def at(self, day, hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def jitter(self, low, high):
        return datetime.timedelta(minutes=self.rng.randint(low, high))

    def working_time(self, moment):
        """Move a moment forward into working hours (Monday–Friday, 8:00–17:30)."""
        local = timezone.localtime(moment, self.tz)
        if local.hour >= 18 or (local.hour == 17 and local.minute > 30):
            local = self.at(local.date() + datetime.timedelta(days=1), 8, self.rng.randint(0, 40))
        elif local.hour < 8:
            local = self.at(local.date(), 8, self.rng.randint(0, 40))
        while local.weekday() >= 5:
            local = self.at(local.date() + datetime.timedelta(days=1), 8, self.rng.randint(0, 40))
        return local

    def calendar(self):
        terms = self.term_defs
        latest = self.today
        if timezone.localtime(self.now, self.tz).hour < 12:
            latest -= datetime.timedelta(days=1)
        days = []
        day = terms[0][1]
        while day <= latest:
            if is_school_day(day, terms):
                days.append(day)
            day += datetime.timedelta(days=1)
        current = [d for d in days if d >= terms[1][1]]
        # Spread over the current term; if it has only just begun, over the end of the last one too.
        self.span = current if len(current) >= 15 else days[-max(15, len(current)):]
        local_now = timezone.localtime(self.now, self.tz)
        if self.span and self.span[-1] == self.today and 8 <= local_now.hour < 20:
            self.fresh_anchor = self.now
        else:
            self.fresh_anchor = self.at(self.span[-1], 17, 30) if self.span else self.now

    def report_time(self, when):
        kind, value, *hour = when
        if kind == "hours":
            moment = self.fresh_anchor - datetime.timedelta(hours=value) + self.jitter(-20, 20)
        else:
            if kind == "frac":
                index = round(value * (len(self.span) - 1))
            else:
                index = len(self.span) - 1 - value
            day = self.span[max(0, min(index, len(self.span) - 1))]
            hour = hour[0] if hour else self.rng.choice([8, 9, 10, 10, 11, 13, 14, 15, 16])
            moment = self.at(day, hour, self.rng.randint(0, 59))
        return min(moment, self.now - datetime.timedelta(minutes=30))

    def term_moment(self, fraction, hour, minute=0, previous=False):
        """A moment `fraction` of the way through the school days of the current term so far (or of the
        whole previous term), at hour:minute; never later than a few minutes before now. Rising fractions
        give moments in order."""
        _name, first, last = self.term_defs[0 if previous else 1]
        days, day = [], first
        while day <= min(last, self.today):
            if is_school_day(day, self.term_defs):
                days.append(day)
            day += datetime.timedelta(days=1)
        day = days[round(fraction * (len(days) - 1))] if days else min(first, self.today)
        return min(self.at(day, hour) + datetime.timedelta(minutes=minute), self.now - datetime.timedelta(minutes=5))

    def days_ago(self, n, hour, minute=0):
        """A moment on the n-th school day before today (0: today, or the last school day before it), at
        hour:minute; never later than a few minutes before now. A larger n is always an earlier day."""
        day = self.today
        while not is_school_day(day, self.term_defs) and day > self.term_defs[0][1]:
            day -= datetime.timedelta(days=1)
        for _step in range(n):
            day -= datetime.timedelta(days=1)
            while not is_school_day(day, self.term_defs) and day > self.term_defs[0][1]:
                day -= datetime.timedelta(days=1)
        return min(self.at(day, hour) + datetime.timedelta(minutes=minute), self.now - datetime.timedelta(minutes=5))

    @contextlib.contextmanager
    def clock(self, moment):
        """Run the services inside at `moment`: what they stamp (timezone.now(), auto_now fields, the
        history rows) and what they call today (timezone.localdate()) is the business moment, not the
        moment the demo is built. Never later than the real now."""
        moment = min(moment, self.now)
        real_now = timezone.now
        timezone.now = lambda: moment
        # Fields declared with default=timezone.now hold the function itself, not the module's name for it.
        fields = [(field, field.__dict__.get("_get_default")) for field in _clock_fields()]
        for field, _default in fields:
            field._get_default = timezone.now
        try:
            yield moment
        finally:
            timezone.now = real_now
            for field, default in fields:
                if default is None:
                    field.__dict__.pop("_get_default", None)
                else:
                    field._get_default = default

    def moved(self, obj, fields):
        for name in fields:
            value = getattr(obj, name)
            if value is not None:
                setattr(obj, name, self.remap.get(value, value))

    def backdate(self, model, times, fields):
        """Move the timestamps (fields, through self.remap) and the history dates (times: pk -> planned
        moment of each history row, in the order written) of the records built, to the business dates."""
        objects = list(model.objects.filter(pk__in=times))
        for obj in objects:
            self.moved(obj, fields)
        model.objects.bulk_update(objects, list(fields), batch_size=200)
        rows = list(model.history.model.objects.filter(id__in=times).order_by("id", "history_id"))
        by_object = {}
        for row in rows:
            by_object.setdefault(row.id, []).append(row)
        for pk, history in by_object.items():
            if len(history) != len(times[pk]):  # someone else wrote history meanwhile: leave its dates
                continue
            for row, moment in zip(history, times[pk], strict=True):
                row.history_date = moment
                self.moved(row, fields)
        model.history.model.objects.bulk_update(rows, ["history_date", *fields], batch_size=200)
