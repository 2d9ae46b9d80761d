"""The canteen management group's inspections: checklists (what is checked, how often, by whom) and recording
an inspection item by item. A failed item becomes a finding in the kernel's found → fixed → verified tracking
(logistics.findings), with the person responsible (by default the canteen manager) and a deadline (by default
three days); the fix and its verification are the kernel's pages.

Each change is one transaction that locks its row first, checks the move, and leaves a history entry that
reads as a sentence.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics import images
from logistics.findings.services import finding_raise
from logistics.history import history_reason
from logistics.models import Finding
from logistics.services import check_version, display_name, lock, require, save_with_history

from ..models.inspections import Checklist, Inspection, InspectionResult
from ..selectors.inspections import AREA, INSPECT, canteen_manager

Frequency = Checklist.Frequency
# A failed item is to be fixed within this many days, unless the inspector says otherwise.
DEFAULT_FIX_DAYS = 3
MAX_ITEMS = 30
ITEM_LENGTH = InspectionResult._meta.get_field("item").max_length
NOTE_LENGTH = InspectionResult._meta.get_field("note").max_length
TITLE_LENGTH = Finding._meta.get_field("title").max_length
MAX_PHOTOS_PER_ITEM = 3


def _checklist_what():
    return pgettext("record", "checklist")


def _inspection_what():
    return pgettext("record", "inspection")


# --- checklists -----------------------------------------------------------------------------------

def parse_items(items):
    """The items of a checklist from text typed one a line (or a list): trimmed, blank lines dropped."""
    lines = items.splitlines() if isinstance(items, str) else list(items or ())
    return [" ".join(str(line).split()) for line in lines if str(line).strip()]


def _clean_checklist(checklist, *, title, items, frequency, weekdays, day_of_month, only_in_term, inspector):
    """Set the checklist's fields from what was typed, or raise every error at once (by field)."""
    errors = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the checklist a name, e.g. 食堂每日检查.")
    elif len(title) > Checklist._meta.get_field("title").max_length:
        errors["title"] = _("At most %(n)s characters.") % {"n": Checklist._meta.get_field("title").max_length}
    else:
        same = Checklist.objects.filter(title__iexact=title).exclude(pk=checklist.pk).first()
        if same is not None:
            errors["title"] = _("A checklist called “%(title)s” already exists; change that one, or choose "
                                "another name.") % {"title": same.title}
    items = parse_items(items)
    if not items:
        errors["items"] = _("List what is checked, one item a line.")
    elif len(items) > MAX_ITEMS:
        errors["items"] = _("At most %(n)s items on one checklist (this one has %(count)s): split it in two.") % {
            "n": MAX_ITEMS, "count": len(items)}
    elif long := [item for item in items if len(item) > ITEM_LENGTH]:
        errors["items"] = _("“%(item)s…” is too long: at most %(n)s characters an item.") % {
            "item": long[0][:20], "n": ITEM_LENGTH}
    elif twice := [item for n, item in enumerate(items) if item in items[:n]]:
        errors["items"] = _("“%(item)s” is listed twice.") % {"item": twice[0]}
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often it is checked.")
    if inspector is not None and not (inspector.is_active and inspector.has_perm(INSPECT)):
        errors["inspector"] = _("%(name)s cannot inspect the canteen; choose someone of the canteen management "
                                "group.") % {"name": display_name(inspector)}
    checklist.title, checklist.items, checklist.frequency = title, items, frequency
    checklist.weekdays = list(weekdays or ()) if frequency == Frequency.WEEKLY else []
    checklist.day_of_month = day_of_month if frequency == Frequency.MONTHLY else None
    checklist.only_in_term, checklist.inspector = bool(only_in_term), inspector
    if not errors.keys() & {"frequency"}:
        try:
            checklist.clean()  # the kernel's schedule rules: weekdays 0–6, a day of the month 1–31
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return checklist


@transaction.atomic
def checklist_add(*, by, title, items, frequency, weekdays=(), day_of_month=None, only_in_term=True,
                  inspector=None):
    """A new checklist: its items (typed one a line), how often it falls due on the kernel's schedules, and
    who usually inspects. The same checklist sent twice (a double click) is saved once, returned marked
    was_duplicate."""
    require(by, "canteen.add_checklist")
    same = Checklist.objects.select_for_update().filter(title__iexact=" ".join((title or "").split())).first()
    if same is not None and same.items == parse_items(items) and same.frequency == frequency:
        same.was_duplicate = True
        return same
    checklist = _clean_checklist(Checklist(), title=title, items=items, frequency=frequency, weekdays=weekdays,
                                 day_of_month=day_of_month, only_in_term=only_in_term, inspector=inspector)
    return save_with_history(checklist, by, history_reason(
        gettext_noop("created the checklist with %(n)s items"), n=len(checklist.items)))


@transaction.atomic
def checklist_change(*, checklist_id, by, title, items, frequency, weekdays=(), day_of_month=None,
                     only_in_term=True, inspector=None, active=True, expected_version=None):
    """Change a checklist's items, schedule or inspector, or stop it (no more inspections fall due; those
    recorded stay). Inspections already done keep the items they were done with."""
    require(by, "canteen.change_checklist")
    checklist = lock(Checklist, checklist_id, expected_version, _checklist_what(), by=by)
    was_active, old_items = checklist.active, list(checklist.items)
    _clean_checklist(checklist, title=title, items=items, frequency=frequency, weekdays=weekdays,
                     day_of_month=day_of_month, only_in_term=only_in_term, inspector=inspector)
    checklist.active = bool(active)
    if was_active and not checklist.active:
        reason = history_reason(gettext_noop("stopped the checklist: no more inspections fall due"))
    elif checklist.active and not was_active:
        reason = history_reason(gettext_noop("put the checklist back in use"))
    elif checklist.items != old_items:
        reason = history_reason(gettext_noop("changed the items (now %(n)s)"), n=len(checklist.items))
    else:
        reason = history_reason(gettext_noop("changed the checklist"))
    return save_with_history(checklist, by, reason)


# --- inspections ----------------------------------------------------------------------------------

@transaction.atomic
def inspection_start(*, checklist_id, by, day=None):
    """An inspection from a checklist on a day with none scheduled (ad hoc), by default today; when the day
    already has one (scheduled, or started a moment ago), that one is returned."""
    require(by, INSPECT)
    checklist = Checklist.objects.get(pk=checklist_id)
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError({"day": _("An inspection is recorded on the day it is done, not before.")})
    existing = Inspection.objects.filter(checklist=checklist, due_date=day).first()
    if existing is not None:
        existing.was_created = False
        return existing
    if not checklist.active:
        raise ValidationError(_("“%(title)s” is no longer in use; put it back in use first.")
                              % {"title": checklist.title}, code="inactive")
    if not checklist.items:
        raise ValidationError(_("“%(title)s” has no items to check.") % {"title": checklist.title})
    inspection = Inspection(checklist=checklist, due_date=day, inspector=by)
    try:
        with transaction.atomic():
            save_with_history(inspection, by, history_reason(gettext_noop("started by hand (not on the schedule)")),
                              bump=False)
    except IntegrityError:  # the same day's inspection started by someone else a moment ago
        inspection = Inspection.objects.get(checklist=checklist, due_date=day)
        inspection.was_created = False
        return inspection
    inspection.was_created = True
    return inspection


def _finding_title(item, note):
    title = pgettext("an inspection item and what was found", "%(item)s: %(note)s") % {"item": item, "note": note}
    return title if len(title) <= TITLE_LENGTH else f"{title[:TITLE_LENGTH - 1]}…"


def _answers(items, results):
    """{item: (passed, note)} from [(item, passed, note)], and the errors: every item of the checklist answered
    once, a failed one with what was found. Error keys name the item's position: passed_<n>, note_<n>."""
    answers, errors = {}, {}
    for item, passed, note in results:
        item = " ".join(str(item or "").split())
        if item not in items:
            errors.setdefault("results", []).append(
                _("“%(item)s” is not on this checklist (it may have been changed); reload the page.") % {"item": item})
            continue
        if item in answers:
            errors.setdefault("results", []).append(_("“%(item)s” was answered twice.") % {"item": item})
            continue
        answers[item] = (None if passed is None else bool(passed), " ".join(str(note or "").split()))
    for n, item in enumerate(items):
        passed, note = answers.get(item, (None, ""))
        if passed is None:
            errors[f"passed_{n}"] = _("“%(item)s”: passed or not?") % {"item": item}
        elif not passed and not note:
            errors[f"note_{n}"] = _("“%(item)s” did not pass: say what was found.") % {"item": item}
        elif len(note) > NOTE_LENGTH:
            errors[f"note_{n}"] = _("At most %(n)s characters.") % {"n": NOTE_LENGTH}
    return answers, errors


def _plans(items, answers, failed_items, today, errors):
    """For each failed item: (n, item, note, responsible, deadline, photos), checked; errors added by item."""
    plans, manager = [], None
    for n, item in enumerate(items):
        passed, note = answers.get(item, (True, ""))
        if passed is not False:
            continue
        given = failed_items.get(item) or {}
        responsible = given.get("responsible")
        if responsible is None:
            manager = manager or canteen_manager()
            responsible = manager
        if responsible is None:
            errors[f"responsible_{n}"] = _("Choose who fixes it: no canteen manager with a user account is on the "
                                           "kitchen's staff list.")
        elif not responsible.is_active:
            errors[f"responsible_{n}"] = _("Choose a person who still works here.")
        deadline = given.get("deadline") or today + datetime.timedelta(days=DEFAULT_FIX_DAYS)
        if deadline < today:
            errors[f"deadline_{n}"] = _("The deadline cannot be in the past.")
        photos = [p for p in (given.get("photos") or ()) if p]
        if len(photos) > MAX_PHOTOS_PER_ITEM:
            errors[f"photos_{n}"] = _("At most %(n)s photos.") % {"n": MAX_PHOTOS_PER_ITEM}
            photos = []
        cleaned = []
        for photo in photos:
            try:
                cleaned.append(photo if isinstance(photo, images.CleanPhoto) else images.clean_photo(photo))
            except ValidationError as e:
                errors[f"photos_{n}"] = e.messages
        plans.append((item, note, responsible, deadline, cleaned))
    return plans


@transaction.atomic
def inspection_record(*, inspection_id, by, results, failed_items=None, note="", expected_version=None, now=None):
    """Record an inspection: every item of its checklist passed or failed (a failed one with what was found).

    results: [(item, passed, note)]; failed_items: {item: {"responsible": user, "deadline": date, "photos": […]}}
    (the canteen manager and three days from today when not given). Each failed item becomes a finding of the
    canteen in the kernel's tracking (its source the result); inspection.findings lists them. The same page
    sent twice returns the inspection recorded the first time (marked was_duplicate); a page opened before
    someone else recorded it is refused."""
    require(by, INSPECT)
    now = now or timezone.now()
    inspection = (Inspection.objects.select_related("checklist").select_for_update(of=("self",))
                  .get(pk=inspection_id))
    if not inspection.can_record:
        # A second click on the same page: the first one recorded it.
        if (expected_version is not None and inspection.done_by_id == by.pk
                and int(expected_version) == inspection.version - 1):
            inspection.was_duplicate = True
            return inspection
        check_version(inspection, expected_version, _inspection_what(), by=by)
        raise ValidationError(_("This inspection was already recorded by %(name)s at %(time)s.") % {
            "name": display_name(inspection.done_by),
            "time": f"{timezone.localtime(inspection.done_at):%Y-%m-%d %H:%M}" if inspection.done_at else "—"},
            code="not_allowed")
    check_version(inspection, expected_version, _inspection_what(), by=by)
    today = timezone.localdate(now)
    if inspection.due_date > today:
        raise ValidationError(_("This inspection falls due on %(date)s; it cannot be recorded before then.")
                              % {"date": inspection.due_date.isoformat()}, code="early")
    items = list(inspection.checklist.items)
    if not items:
        raise ValidationError(_("“%(title)s” has no items to check.") % {"title": inspection.checklist.title})
    answers, errors = _answers(items, results)
    plans = _plans(items, answers, failed_items or {}, today, errors)
    note = (note or "").strip()
    if errors:
        raise ValidationError(errors)
    by_item = {}
    for item in items:
        passed, item_note = answers[item]
        result = InspectionResult(inspection=inspection, item=item, passed=passed, note=item_note)
        by_item[item] = save_with_history(result, by, history_reason(
            gettext_noop("passed") if passed else gettext_noop("did not pass: %(note)s"), note=item_note[:200]))
    findings = []
    for item, item_note, responsible, deadline, photos in plans:
        findings.append(finding_raise(
            area=AREA, title=_finding_title(item, item_note), responsible=responsible, deadline=deadline, by=by,
            description=item_note if len(_finding_title(item, item_note)) >= TITLE_LENGTH else "",
            source=by_item[item], photos=photos, now=now))
    inspection.status = Inspection.Status.DONE
    inspection.done_by, inspection.done_at, inspection.note = by, now, note
    if findings:
        reason = history_reason(gettext_noop("inspected: %(failed)s of %(n)s items did not pass"),
                                failed=len(findings), n=len(items))
    else:
        reason = history_reason(gettext_noop("inspected: all %(n)s items passed"), n=len(items))
    save_with_history(inspection, by, reason)
    inspection.findings = findings
    return inspection
