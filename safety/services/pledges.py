"""Responsibility pledges (安全责任书), signed each school year with each department and class teacher.

The safety officer puts the year's list together in one go (the departments, and the classes typed one a
line with their teacher), then marks each one signed by keeping the signed scan (a PDF or a photo). A signed
pledge stays signed; its history says who kept which scan and when."""
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics.files import CleanDocument, clean_document
from logistics.history import history_reason
from logistics.services import lock, require, save_with_history

from ..models import Pledge

MAX_LINES = 200
NAME_LENGTH = Pledge._meta.get_field("name").max_length
NOTE_LENGTH = Pledge._meta.get_field("note").max_length


def _day(value):
    return formats.date_format(value, "Y-m-d")


def school_year(day):
    """The school year a day belongs to, by the year it starts in (September): 2026 for 2026-11-29 and for
    2027-03-01."""
    return day.year if day.month >= 9 else day.year - 1


def parse_class_lines(text):
    """[(class, teacher)] from lines such as "一(1)班 王老师" (the teacher optional); a ValidationError names the
    lines it cannot read."""
    rows, errors, seen = [], [], set()
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise ValidationError({"classes": _("At most %(n)s lines at a time.") % {"n": MAX_LINES}})
    for number, line in enumerate(lines, start=1):
        name, _sep, teacher = _split(line)
        if len(name) > NAME_LENGTH or len(teacher) > 40:
            errors.append(_("Line %(n)s is too long: write the class, a space and the teacher.") % {"n": number})
            continue
        if name in seen:
            errors.append(_("Line %(n)s: %(name)s is there twice.") % {"n": number, "name": name})
            continue
        seen.add(name)
        rows.append((name, teacher))
    if errors:
        raise ValidationError({"classes": errors})
    return rows


def _split(line):
    parts = re.split(r"[\s,，、;；]+", line, maxsplit=1)
    return parts[0], "", (parts[1].strip() if len(parts) > 1 else "")


def _signer_for(teacher, people):
    """The user whose name is the teacher's ("王丽", or "王丽老师"), when exactly one is."""
    name = teacher.removesuffix("老师").strip()
    matches = people.get(name, [])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def pledge_year_create(*, by, year, departments=(), classes="", today=None):
    """Put the year's pledges on the list in one go: one per department (its head signs) and one per class
    line ("一(1)班 王老师"). Those already on the year's list are left as they are. Returns (created, kept)."""
    require(by, "safety.add_pledge")
    today = today or timezone.localdate()
    current = school_year(today)
    if not isinstance(year, int) or not current - 1 <= year <= current + 1:
        raise ValidationError({"year": _("Choose this school year (%(year)s), the last or the next.")
                               % {"year": current}})
    rows = [(Pledge.Party.DEPARTMENT, d.name, d.head, "") for d in departments]
    people = {}
    for user in get_user_model().objects.filter(is_active=True).only("pk", "first_name", "last_name",
                                                                         "username"):
        people.setdefault(user.get_full_name() or user.username, []).append(user)
    for name, teacher in parse_class_lines(classes):
        signer = _signer_for(teacher, people) if teacher else None
        rows.append((Pledge.Party.CLASS_TEACHER, name, signer, teacher))
    if not rows:
        raise ValidationError(_("Choose the departments or type the classes, one a line."), code="empty")
    taken = set(Pledge.objects.select_for_update().filter(year=year).values_list("name", flat=True))
    created, kept = [], []
    for party, name, signer, teacher in rows:
        if name in taken:
            kept.append(name)
            continue
        taken.add(name)
        note = (_("class teacher: %(name)s") % {"name": teacher})[:NOTE_LENGTH] if teacher and signer is None else ""
        pledge = Pledge(year=year, party=party, name=name[:NAME_LENGTH], signer=signer, note=note)
        pledge._change_reason = history_reason(gettext_noop("put on the list of %(year)s–%(next)s"),
                                               year=year, next=year + 1)
        pledge._history_user = by
        try:
            with transaction.atomic():
                pledge.save(force_insert=True)
        except IntegrityError:  # put on the list a moment ago by another page (the year's names are unique)
            kept.append(name)
            continue
        created.append(pledge)
    return created, kept


@transaction.atomic
def pledge_sign(*, pledge_id, by, signed_on, scan, expected_version=None, today=None):
    """Mark a pledge signed by keeping its signed scan (a PDF or a photo, checked)."""
    require(by, "safety.change_pledge")
    pledge = lock(Pledge, pledge_id, expected_version, by=by)
    if pledge.is_signed:
        raise ValidationError(_("%(name)s signed on %(date)s; the scan is kept.")
                              % {"name": pledge.name, "date": _day(pledge.signed_on)}, code="not_allowed")
    today = today or timezone.localdate()
    errors = {}
    if signed_on is None:
        errors["signed_on"] = _("Enter the day it was signed.")
    elif signed_on > today:
        errors["signed_on"] = _("The day %(date)s is after today.") % {"date": _day(signed_on)}
    elif signed_on.year < pledge.year:
        errors["signed_on"] = _("A pledge of %(year)s–%(next)s is signed in %(year)s or later.") % {
            "year": pledge.year, "next": pledge.year + 1}
    if not scan:
        errors["scan"] = _("Choose the signed scan: a PDF or a photo of the signed pledge.")
    if errors:
        raise ValidationError(errors)
    try:
        content = scan if isinstance(scan, CleanDocument) else clean_document(scan)
    except ValidationError as e:
        raise ValidationError({"scan": e.messages}) from None
    pledge.signed_on = signed_on
    pledge.scan.save(content.name, content, save=False)
    return save_with_history(pledge, by, history_reason(gettext_noop("signed on %(date)s; the scan is kept"),
                                                        date=signed_on.isoformat()))


@transaction.atomic
def pledge_remove(*, pledge_id, by, expected_version=None):
    """Take an unsigned pledge off the year's list (a class that no longer exists, a name mistyped)."""
    require(by, "safety.change_pledge")
    pledge = lock(Pledge, pledge_id, expected_version, by=by)
    if pledge.is_signed:
        raise ValidationError(_("A signed pledge stays on the list."), code="not_allowed")
    pledge._change_reason = history_reason(gettext_noop("taken off the list"))
    pledge._history_user = by
    pledge.delete()
