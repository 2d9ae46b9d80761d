"""Safety inspections (安全检查): checklists filled with the typical items, an inspection started by hand (a spot
check), and recording one item by item: pass, fail or not applicable, with a note and a photo. Each failed item
raises a hazard (隐患), a finding in the kernel's found → fixed → verified tracking, whose source is the result;
the fix and its verification are the kernel's pages (/findings/<id>/).

Each change is one transaction that locks its row first, checks the move, and leaves a history entry that
reads as a sentence. The inspector assigned does their part without any permission of the safety role.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext

from logistics import images
from logistics.history import history_reason
from logistics.models import Finding
from logistics.services import check_version, display_name, lock, require, save_with_history

from ..models.inspections import CheckArea, Inspection, InspectionPlan, InspectionResult, PlanItem
from ..selectors.inspections import may_record
from .common import fix_deadline, hazard_receiver, raise_hazard

Outcome = InspectionResult.Outcome
NOTE_LENGTH = InspectionResult._meta.get_field("note").max_length
TITLE_LENGTH = Finding._meta.get_field("title").max_length
ITEM_LENGTH = PlanItem._meta.get_field("text").max_length
# Naming who fixes a hazard and by when is raising it by hand (the kernel's logistics.add_finding). An inspector
# assigned without it (a teacher, a logistics worker) raises what they found as anyone reports a hazard: to the
# school's receiver, by the settings' days.
NAME_FIXER = "logistics.add_finding"
REPORT = "safety.report_hazard"

# The typical school safety checklist (RULES.md): what a full check looks at, area by area. Saved in the language
# of whoever fills a checklist with them (the items are the school's own words from then on).
TYPICAL_ITEMS = [
    (CheckArea.BUILDINGS, gettext_lazy("Walls, ceilings and stairs: no cracks or falling plaster, railings firm")),
    (CheckArea.BUILDINGS, gettext_lazy("Doors and windows close properly; window guards on upper floors firm")),
    (CheckArea.FIRE, gettext_lazy("Fire extinguishers in place, pressure in the green zone, within their date")),
    (CheckArea.FIRE, gettext_lazy("Hydrants and hoses complete and not blocked")),
    (CheckArea.FIRE, gettext_lazy("Emergency lights and exit signs working")),
    (CheckArea.FIRE, gettext_lazy("Escape routes and stairways clear, exit doors not locked")),
    (CheckArea.ELECTRICS, gettext_lazy("Sockets, switches and wiring intact; no bare wires or makeshift wiring")),
    (CheckArea.ELECTRICS, gettext_lazy("Distribution boxes closed and labelled; leakage protection trips")),
    (CheckArea.CCTV, gettext_lazy("Cameras cover the gate, stairs and playground; recordings kept 30 days")),
    (CheckArea.CCTV, gettext_lazy("The one-button alarm to the police works")),
    (CheckArea.GROUNDS, gettext_lazy("Playground surface level, no holes")),
    (CheckArea.GROUNDS, gettext_lazy("Bicycle shed stable, bicycles parked in order")),
    (CheckArea.SPORTS, gettext_lazy("Basketball stands, goals and climbing frames firm, no rust or sharp edges")),
    (CheckArea.SPORTS, gettext_lazy("Sports store tidy; mats and apparatus in good order")),
    (CheckArea.NOTICEBOARDS, gettext_lazy("Noticeboards, signs and anything hung up firmly fixed")),
    (CheckArea.NOTICEBOARDS, gettext_lazy("Warning signs in place (no climbing, deep water, high voltage)")),
    (CheckArea.PIPES, gettext_lazy("Water and gas pipes do not leak; valves work")),
    (CheckArea.PIPES, gettext_lazy("Outdoor electrical boxes locked and intact")),
    (CheckArea.PIPES, gettext_lazy("Manhole and drain covers in place and unbroken")),
    (CheckArea.GATES, gettext_lazy("School gate, guard room and anti-ramming posts in order; visitors registered")),
    (CheckArea.GATES, gettext_lazy("Perimeter walls and fences intact, nothing leaning")),
    (CheckArea.GATES, gettext_lazy("Toilets: floors dry and not slippery, lights and door locks work")),
    (CheckArea.TREES, gettext_lazy("No dead branches over paths, no leaning trees")),
    (CheckArea.SPECIAL_ROOMS, gettext_lazy("Laboratory chemicals locked in their cabinet, two people two locks, "
                                           "registered")),
    (CheckArea.SPECIAL_ROOMS, gettext_lazy("Computer and multimedia rooms switched off after use, nothing "
                                           "overheating")),
    (CheckArea.SPECIAL_ROOMS, gettext_lazy("Library, music and art rooms: shelves and equipment stable")),
]


def _plan_what():
    return pgettext("record", "checklist")


def _inspection_what():
    return pgettext("record", "inspection")


# --- checklists -----------------------------------------------------------------------------------

@transaction.atomic
def plan_add_typical_items(*, plan_id, by, areas=None, expected_version=None):
    """Add the typical school checklist's items (of the given areas, default all) to a checklist, after those it
    has; an item it already has (same area and words) is not added twice. Returns the number added."""
    require(by, "safety.change_inspectionplan")
    plan = lock(InspectionPlan, plan_id, expected_version, _plan_what(), by=by)
    existing = set(PlanItem.objects.filter(plan=plan).values_list("area", "text"))
    position = max(PlanItem.objects.filter(plan=plan).values_list("position", flat=True), default=0)
    added = 0
    for area, text in TYPICAL_ITEMS:
        if areas and area not in areas:
            continue
        text = str(text)
        if (area.value, text) in existing:
            continue
        position += 1
        item = PlanItem(plan=plan, area=area, text=text, position=position)
        save_with_history(item, by, history_reason(gettext_noop("added from the typical checklist")))
        added += 1
    if added:
        save_with_history(plan, by, history_reason(gettext_noop("added %(n)s items from the typical checklist"),
                                                   n=added))
    return added


# --- inspections ----------------------------------------------------------------------------------

@transaction.atomic
def start_inspection(*, plan, day=None, by):
    """An inspection of a checklist now, off its schedule (a spot check), by default today, with the starter as
    its inspector. A checklist has one inspection a day: when the day has one already (scheduled, or started a
    moment ago) that one is returned, marked was_created=False."""
    require(by, "safety.add_inspection")
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError({"day": _("An inspection is started on the day it is done, not before.")})
    existing = Inspection.objects.filter(plan=plan, due_date=day).first()
    if existing is not None:
        existing.was_created = False
        return existing
    if not plan.active:
        raise ValidationError(_("“%(title)s” is no longer in use.") % {"title": plan.title}, code="inactive")
    if not plan.items.exists():
        raise ValidationError(_("“%(title)s” has no items to check yet.") % {"title": plan.title}, code="empty")
    inspection = Inspection(plan=plan, due_date=day, inspector=by)
    try:
        with transaction.atomic():
            save_with_history(inspection, by, history_reason(gettext_noop("started a spot check (not on the "
                                                                          "schedule)")), bump=False)
    except IntegrityError:  # the same day's inspection started by someone else a moment ago
        inspection = Inspection.objects.get(plan=plan, due_date=day)
        inspection.was_created = False
        return inspection
    inspection.was_created = True
    return inspection


def _hazard_title(item, note):
    title = pgettext("an inspection item and what was found", "%(item)s: %(note)s") % {"item": item, "note": note}
    return title if len(title) <= TITLE_LENGTH else f"{title[:TITLE_LENGTH - 1]}…"


def names_fixer(user):
    """Whether the user may name who fixes a hazard and by when (else the receiver and the settings' days)."""
    return user.has_perm(NAME_FIXER)


def _answer(item, given, today, errors, receiver, may_name):
    """One item's answer checked: (outcome, note, photo, hazard plan or None); errors added under the form's
    field names (outcome_<id>, note_<id>, photo_<id>, severity_<id>, responsible_<id>, deadline_<id>)."""
    n = item.pk
    outcome = given.get("outcome") or ""
    note = " ".join(str(given.get("note") or "").split())
    if outcome not in Outcome.values:
        errors[f"outcome_{n}"] = _("“%(item)s”: pass, fail or not applicable?") % {"item": item.text}
    elif outcome == Outcome.FAIL and not note:
        errors[f"note_{n}"] = _("“%(item)s” failed: say what was found.") % {"item": item.text}
    if len(note) > NOTE_LENGTH:
        errors[f"note_{n}"] = _("At most %(n)s characters.") % {"n": NOTE_LENGTH}
    photo = given.get("photo")
    if photo:
        try:
            photo = photo if isinstance(photo, images.CleanPhoto) else images.clean_photo(photo)
        except ValidationError as e:
            errors[f"photo_{n}"] = e.messages
            photo = None
    hazard = None
    if outcome == Outcome.FAIL:
        severity = given.get("severity") or Finding.Severity.GENERAL
        if severity not in Finding.Severity.values:
            errors[f"severity_{n}"] = _("Choose how serious it is.")
            severity = Finding.Severity.GENERAL
        if not may_name:
            for name in ("responsible", "deadline"):
                if given.get(name):
                    errors[f"{name}_{n}"] = _("The safety officer decides who fixes it and by when: leave this "
                                              "empty.")
        responsible = given.get("responsible") or receiver()
        if responsible is None:
            errors[f"responsible_{n}"] = _("Choose who fixes it: the school has no safety officer to receive it.")
        elif not responsible.is_active:
            errors[f"responsible_{n}"] = _("Choose a person who still works here.")
        deadline = given.get("deadline") or fix_deadline(severity, today)
        if deadline < today:
            errors[f"deadline_{n}"] = _("The deadline cannot be in the past.")
        location = given.get("location")
        if location is not None and not location.active:
            errors[f"location_{n}"] = _("That place is no longer in use; choose another.")
        hazard = {"severity": severity, "responsible": responsible, "deadline": deadline, "location": location}
    return outcome, note, photo, hazard


@transaction.atomic
def record_inspection(*, inspection_id, by, results, note="", expected_version=None, now=None):
    """Record an inspection: every item of its checklist passed, failed (with what was found) or not applicable,
    each with an optional photo. Each failed item raises a hazard (its source the result; title the item and what
    was found; the photo; severity, place, responsible person and deadline as given, else the safety settings'
    receiver and days), stored in result.finding; inspection.hazards lists them. An inspector who may not name
    who fixes it (see names_fixer) leaves that to the receiver and the settings' days.

    results: {item id: {"outcome", "note", "photo", "severity", "responsible", "deadline", "location"}}.
    Only the inspector assigned or a holder of safety.change_inspection; only while it is open and its day has
    come. The same page sent twice returns the inspection recorded the first time (marked was_duplicate); a page
    opened before someone else recorded it is refused. All or nothing: one bad answer saves nothing."""
    now = now or timezone.now()
    inspection = (Inspection.objects.select_related("plan").select_for_update(of=("self",))
                  .get(pk=inspection_id))
    if not may_record(by, inspection):
        raise PermissionDenied(_("Only the inspector assigned, or the safety officer, records this inspection."))
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
    items = list(PlanItem.objects.filter(plan=inspection.plan_id).order_by("position", "pk"))
    if not items:
        raise ValidationError(_("“%(title)s” has no items to check.") % {"title": inspection.plan.title},
                              code="empty")
    results = {int(k): v for k, v in (results or {}).items()}
    errors = {}
    if results.keys() - {item.pk for item in items}:
        errors["__all__"] = [_("The checklist was changed while this page was open; reload it and answer again.")]
    receiver_cache = []

    def receiver():
        if not receiver_cache:
            receiver_cache.append(hazard_receiver())
        return receiver_cache[0]

    may_name = names_fixer(by)
    answers = [(item, *_answer(item, results.get(item.pk) or {}, today, errors, receiver, may_name))
               for item in items]
    note = (note or "").strip()
    if errors:
        raise ValidationError(errors)
    hazards = []
    reasons = {Outcome.PASS: gettext_noop("passed"), Outcome.NA: gettext_noop("not applicable"),
               Outcome.FAIL: gettext_noop("failed: %(note)s")}
    for item, outcome, item_note, photo, hazard in answers:
        result = InspectionResult(inspection=inspection, area=item.area, item=item.text[:ITEM_LENGTH],
                                  outcome=outcome, note=item_note)
        if photo:
            result.photo.save(photo.name, photo, save=False)
        save_with_history(result, by, history_reason(reasons[outcome], note=item_note[:200]))
        if hazard is None:
            continue
        title = _hazard_title(item.text, item_note)
        finding = raise_hazard(title=title, description=item_note if title.endswith("…") else "", source=result,
                               photos=[photo] if photo else [], by=by, now=now,
                               permission=NAME_FIXER if may_name else REPORT, **hazard)
        result.finding = finding
        save_with_history(result, by, history_reason(gettext_noop("raised hazard %(number)s"),
                                                     number=finding.number))
        hazards.append(finding)
    inspection.status = Inspection.Status.DONE
    inspection.done_by, inspection.done_at, inspection.note = by, now, note
    n_na = sum(a[1] == Outcome.NA for a in answers)
    if hazards:
        reason = history_reason(gettext_noop("inspected %(n)s items: %(failed)s failed (hazards %(numbers)s), "
                                             "%(na)s not applicable"),
                                n=len(items), failed=len(hazards), na=n_na,
                                numbers=", ".join(f.number for f in hazards))
    else:
        reason = history_reason(gettext_noop("inspected %(n)s items: none failed, %(na)s not applicable"),
                                n=len(items), na=n_na)
    save_with_history(inspection, by, reason)
    inspection.hazards = hazards
    return inspection

