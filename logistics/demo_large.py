"""The large demo school (`manage.py seed_demo --size large`): years of records at a central school's size.

The kernel builds the school's frame here — the named demo people of logistics.demo (so every role can sign in
with the demo password), five years of terms, campuses with about 300 rooms, about 200 more people with their
roles and 20 departments — then calls each module's ``demo_large`` (logistics.modules) in demo order. A module
writes its records in bulk: ``builder.write(model, objects)`` and ``builder.history(rows)`` with rows from
``builder.history_row(obj, when=, by=, reason=)``, dated by the business dates and signed by the demo's people,
so every record's timeline reads as if it had been used for years. Numbers (WX-…, ZC-…) come from
``builder.numbers(model, prefix)``, which continues the kernel's numbering (logistics.services.next_number): a
record made through the services afterwards gets the next number of its year.

``scale`` multiplies every count (``builder.count(n)``): 1.0 is the full size — about 50,000 assets, 20,000
repairs, 10,000 purchase requests with their items, quotes, approvals, invoices and ledger entries, five years of
the canteen's and safety's daily records, and last term's signed summary — and about 920,000 history rows; on
PostgreSQL it took 7 min 12 s on a loaded 2-core machine (peak 480 MB). Tests run at 0.002. The data is built
once: a database that already holds it is refused (LargeExists).
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import roles
from .demo import PEOPLE, DemoBuilder, is_school_day, school_year_terms
from .history import history_reason
from .models import Building, Department, Location, Term
from .modules import demo_order
from .summary import demo as summary_demo

YEARS = 5
CREATED = history_reason(gettext_noop("created"))
BATCH = 2000
# The large school's own people are u0001 …; the first of them marks a database that holds the large data.
USERNAME = "u{:04d}"
MARKER = USERNAME.format(1)

# role, how many of the ~200 (the rest are teachers), at least one at any scale
STAFF_BY_ROLE = [
    (roles.LOGISTICS, 14),
    (roles.LOGISTICS_HEAD, 2),
    (roles.PRINCIPAL, 1),
    (roles.FINANCE, 4),
    (roles.CANTEEN, 8),
    (roles.SAFETY, 3),
    (roles.AUDITOR, 2),
]
PEOPLE_COUNT = 200

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "晓燕",
    "海燕",
    "文",
    "婷",
    "雪",
    "鹏",
    "红梅",
    "春梅",
    "立新",
    "国庆",
]

DEPARTMENTS = [
    "一年级组",
    "二年级组",
    "三年级组",
    "四年级组",
    "五年级组",
    "六年级组",
    "七年级组",
    "八年级组",
    "九年级组",
    "语文教研组",
    "数学教研组",
    "英语教研组",
    "科学教研组",
    "艺术教研组",
    "信息中心",
    "德育处",
    "校医室",
    "图书馆",
    "安保处",
    "工会",
]

CAMPUSES = ["本部", "东校区", "南校区"]
# building (after the campus name), rooms: (name pattern, kind, how many per floor, floors)
Kind = Location.Kind
BUILDINGS = [
    ("教学楼A", [("{floor}0{n}教室", Kind.CLASSROOM, 6, 5), ("{floor}楼卫生间", Kind.OTHER, 1, 5)]),
    ("教学楼B", [("{floor}1{n}教室", Kind.CLASSROOM, 5, 4), ("{floor}楼教师办公室", Kind.OFFICE, 1, 4)]),
    (
        "实验楼",
        [
            ("物理实验室{floor}{n}", Kind.LAB, 1, 2),
            ("化学实验室{floor}{n}", Kind.LAB, 1, 2),
            ("生物实验室{floor}{n}", Kind.LAB, 1, 1),
            ("微机室{floor}{n}", Kind.COMPUTER, 2, 2),
            ("音乐室{floor}{n}", Kind.MUSIC, 1, 1),
            ("美术室{floor}{n}", Kind.ART, 1, 1),
            ("多媒体教室{floor}{n}", Kind.MULTIMEDIA, 1, 2),
        ],
    ),
    ("行政楼", [("{floor}0{n}办公室", Kind.OFFICE, 4, 3), ("图书室{n}", Kind.LIBRARY, 1, 1)]),
    (
        "后勤区",
        [
            ("食堂操作间{n}", Kind.CANTEEN, 1, 1),
            ("学生餐厅{n}", Kind.CANTEEN, 2, 1),
            ("仓库{n}", Kind.OTHER, 2, 1),
            ("配电房{n}", Kind.OTHER, 1, 1),
            ("运动场{n}", Kind.OUTDOOR, 1, 1),
        ],
    ),
]


class LargeExists(Exception):
    """The database already holds the large demo data."""


class LargeBuilder:
    """Builds the large school in bulk within the caller's transaction; .lines collects the report."""

    def __init__(self, *, password, now, scale=1.0):
        if scale <= 0:
            raise ValueError("scale must be greater than 0")
        self.scale = scale
        self.base = DemoBuilder(password=password, now=now)
        self.password = password
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(20260901 + 12)
        self.lines = []
        self.people = []
        self.by_role = {}
        self.rooms = []
        self.departments = []

    # --- helpers modules use -----------------------------------------------------------------------

    def count(self, n, minimum=1):
        """n at the builder's scale, never below minimum."""
        return max(minimum, round(n * self.scale))

    def at(self, day, hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def working_moment(self, day):
        """A moment in the working hours of day (8:00–17:30)."""
        return self.at(day, self.rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 15, 16]), self.rng.randint(0, 59))

    def later(self, moment, low_hours, high_hours):
        """A moment low–high working hours after moment, moved into working hours, never after now."""
        moment = moment + datetime.timedelta(minutes=self.rng.randint(int(low_hours * 60), int(high_hours * 60)))
        moment = self.base.working_time(moment)
        return min(moment, self.now - datetime.timedelta(minutes=1))

    def pick(self, role):
        return self.rng.choice(self.by_role[role])

    def write(self, model, objects):
        """Insert objects in batches; their primary keys are set afterwards (PostgreSQL and SQLite ≥ 3.35)."""
        return model.objects.bulk_create(objects, batch_size=BATCH)

    def history_row(self, obj, *, when, by, reason, kind="~", state=None):
        """One historical row of obj as it was at `when` (its current fields, those in the dict state overriding
        them), written by `by` with reason (a logistics.history reason: history_reason(gettext_noop("registered")))."""
        historical, fields = _historical(type(obj))
        row = historical(**{name: getattr(obj, name) for name in fields})
        for name, value in (state or {}).items():
            setattr(row, name, value)
        row.history_date = when
        row.history_user_id = by.pk if by is not None else None
        row.history_change_reason = reason
        row.history_type = kind
        return row

    def history(self, rows):
        """Write historical rows (any mix of models), in batches per model."""
        by_model = {}
        for row in rows:
            by_model.setdefault(type(row), []).append(row)
        written = 0
        for model, model_rows in by_model.items():
            model.objects.bulk_create(model_rows, batch_size=BATCH)
            written += len(model_rows)
        return written

    def numbers(self, model, prefix, field="number", width=5):
        """A numberer: numberer(moment) gives the next number of moment's year (PREFIX-2024-00042), after
        the highest one already in the database — the same counter logistics.services.next_number reads.
        Call it in the order of the moments within a year."""
        last = {}

        def numberer(moment):
            year = timezone.localtime(moment, self.tz).year
            if year not in last:
                start = f"{prefix}-{year}-"
                top = (
                    model._default_manager.filter(**{f"{field}__startswith": start})
                    .order_by(f"-{field}")
                    .values_list(field, flat=True)
                    .first()
                )
                last[year] = int(top.rsplit("-", 1)[1]) if top else 0
            last[year] += 1
            return f"{prefix}-{year}-{last[year]:0{width}d}"

        return numberer

    # --- the school --------------------------------------------------------------------------------

    def run(self):
        User = get_user_model()
        if User.objects.filter(username=MARKER).exists():
            raise LargeExists(MARKER)
        base = self.base
        base.school()
        self.build_terms()
        base.terms()
        base.people()
        base.departments()
        base.places()
        base.calendar()
        self.build_people()
        self.build_departments()
        self.build_places()
        for module in demo_order():
            if module.demo_large:
                lines = module._resolve(module.demo_large)(self)
                self.lines.extend(lines or [])
        # Last term's summary signed off and this term's draft, through the services, quoting the large data.
        for area in summary_demo.AREAS:
            area.seed(base)
            self.lines.extend(area.summary())

    def build_terms(self):
        """Five school years of terms up to the current one (the normal demo keeps the last two)."""
        self.term_defs = [
            t
            for year in range(self.today.year - YEARS, self.today.year + 1)
            for t in school_year_terms(year)
            if t[1] <= self.today
        ]
        self.term_defs = self.term_defs[-2 * YEARS :]
        existing = set(Term.objects.values_list("name", flat=True))
        Term.objects.bulk_create([Term(name=n, start=s, end=e) for n, s, e in self.term_defs if n not in existing])
        self.terms = list(Term.objects.filter(name__in=[t[0] for t in self.term_defs]).order_by("start"))
        self.first_day = self.term_defs[0][1]
        day, self.school_days = self.first_day, []
        latest = min(self.today - datetime.timedelta(days=1), self.term_defs[-1][2])
        while day <= latest:
            if is_school_day(day, self.term_defs):
                self.school_days.append(day)
            day += datetime.timedelta(days=1)
        self.lines.append(f"Large data: {len(self.terms)} terms from {self.first_day}, scale {self.scale:g}")

    def build_people(self):
        User = get_user_model()
        hashed = make_password(self.password)
        groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
        total = self.count(PEOPLE_COUNT, minimum=len(STAFF_BY_ROLE) + 2)
        plan = [role for role, n in STAFF_BY_ROLE for _i in range(self.count(n))]
        plan += [roles.STAFF] * max(1, total - len(plan))
        users = []
        for i, role in enumerate(plan, start=1):
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            users.append(
                User(
                    username=USERNAME.format(i),
                    first_name=name,
                    password=hashed,
                    is_staff=role in (roles.LOGISTICS_HEAD, roles.PRINCIPAL),
                    date_joined=self.at(self.first_day, 8),
                )
            )
        users = self.write(User, users)
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=groups[role].pk) for u, role in zip(users, plan, strict=True)],
            batch_size=BATCH,
        )
        # the named demo people work here too
        named = {u: r for u, r, _n, _w in PEOPLE if r}
        self.by_role = {}
        for user, role in [*zip(users, plan, strict=True), *((self.base.users[u], r) for u, r in named.items())]:
            self.by_role.setdefault(role, []).append(user)
        self.people = [u for group in self.by_role.values() for u in group]
        self.employees = [u for r, group in self.by_role.items() if r != roles.AUDITOR for u in group]
        self.lines.append(f"Large data: {len(users)} people (password as the demo's)")

    def build_departments(self):
        existing = set(Department.objects.values_list("name", flat=True))
        heads = self.by_role[roles.STAFF]
        new = [Department(name=n, head=self.rng.choice(heads)) for n in DEPARTMENTS if n not in existing]
        self.write(Department, new)
        when = self.at(self.first_day, 8)
        self.history(self.history_row(d, when=when, by=self.base.users["admin"], kind="+", reason=CREATED) for d in new)
        self.departments = list(Department.objects.all())

    def build_places(self):
        admin = self.base.users["admin"]
        when = self.at(self.first_day, 8)
        existing = set(Building.objects.values_list("name", flat=True))
        start = Building.objects.count() + 1
        buildings, rooms = [], []
        for campus in CAMPUSES:
            for name, _rooms in BUILDINGS:
                if f"{campus}{name}" not in existing:
                    buildings.append(Building(name=f"{campus}{name}", sort_order=start + len(buildings)))
        self.write(Building, buildings)
        by_name = {b.name: b for b in buildings}
        for campus in CAMPUSES:
            for name, patterns in BUILDINGS:
                building = by_name.get(f"{campus}{name}")
                if building is None:
                    continue
                for pattern, kind, per_floor, floors in patterns:
                    for floor in range(1, floors + 1):
                        for n in range(1, per_floor + 1):
                            rooms.append(
                                Location(
                                    building=building,
                                    name=pattern.format(floor=floor, n=n),
                                    floor=floor if kind != Kind.OUTDOOR else None,
                                    kind=kind,
                                )
                            )
        self.write(Location, rooms)
        self.history(
            [
                *(self.history_row(b, when=when, by=admin, kind="+", reason=CREATED) for b in buildings),
                *(self.history_row(r, when=when, by=admin, kind="+", reason=CREATED) for r in rooms),
            ]
        )
        self.rooms = rooms or list(Location.objects.filter(building__name__startswith=CAMPUSES[0]))
        self.lines.append(
            f"Large data: {len(rooms)} rooms in {len(buildings)} buildings of {len(CAMPUSES)} "
            f"campuses; {len(self.departments)} departments"
        )


_HISTORICAL = {}


def _historical(model):
    """(historical model, its tracked field names) of model; cached, as model.history builds a manager each time."""
    if model not in _HISTORICAL:
        historical = model.history.model
        _HISTORICAL[model] = historical, [f.attname for f in historical.tracked_fields]
    return _HISTORICAL[model]


def build_large(*, password, now, scale):
    """Build the large school (the caller holds the transaction); returns the builder (its .lines report)."""
    builder = LargeBuilder(password=password, now=now, scale=scale)
    builder.run()
    return builder
