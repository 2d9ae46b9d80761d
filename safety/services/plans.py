"""Emergency plans (应急预案) and the drills (演练) held on them.

A plan is kept with its document, the version printed on it, the day it was approved and the day it must be
reviewed by; a revision is a new version (a new document, label, approval and review date) and the history
keeps the earlier ones. A drill records which plan, the day (never in the future), the classes and the
number of people taking part, how long the evacuation took, what went well and what to improve, with up to
six photos; its follow-up actions are hazards in the kernel's found → fixed → verified tracking, their source
the drill. Each service is one transaction that locks its row, checks the move and leaves a history sentence.
"""
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics import images
from logistics.files import CleanDocument, clean_document
from logistics.history import history_reason
from logistics.services import display_name, lock, require, save_with_history

from ..models import Drill, DrillPhoto, EmergencyPlan
from .common import raise_hazard

MAX_PHOTOS = 6
# More is a typing mistake at a primary school (the whole school is some 1,200 people).
MAX_HEADCOUNT = 10000
# An evacuation takes minutes; an hour is surely a typing mistake.
MAX_EVACUATION_SECONDS = 3600


def _day(value):
    return formats.date_format(value, "Y-m-d")


def _text(value):
    return (value or "").strip()


# --- evacuation time ---------------------------------------------------------------------------------

_MIN_SEC = re.compile(r"^(?:(\d{1,3})\s*(?:分钟|分|m|min|')\s*)?(?:(\d{1,4})\s*(?:秒钟|秒|s|sec|\")?)?$", re.I)


def parse_evacuation_time(value):
    """Seconds from what people type: 3:12, 3分12秒, 3分, 192 or 192秒 (a plain number is seconds).

    None for nothing typed; a ValidationError that shows how to write it for anything else."""
    if value is None:
        return None
    if isinstance(value, int):
        seconds = value
    else:
        text = str(value).strip().replace("：", ":").replace(" ", "")
        if not text:
            return None
        seconds = None
        if ":" in text:
            minutes, _sep, secs = text.partition(":")
            if minutes.isdigit() and secs.isdigit() and len(secs) == 2 and len(minutes) <= 3:
                seconds = int(minutes) * 60 + int(secs)
                if int(secs) >= 60:
                    seconds = None
        elif (match := _MIN_SEC.match(text)) and (match.group(1) or match.group(2)):
            minutes, secs = int(match.group(1) or 0), int(match.group(2) or 0)
            if match.group(1) and secs >= 60:
                seconds = None
            else:
                seconds = minutes * 60 + secs
        if seconds is None:
            raise ValidationError(_("Write the evacuation time as minutes:seconds (3:12) or in seconds (192)."),
                                  code="evacuation_time")
    if seconds <= 0:
        raise ValidationError(_("The evacuation time must be more than zero."), code="evacuation_time")
    if seconds > MAX_EVACUATION_SECONDS:
        raise ValidationError(_("An evacuation of more than an hour? Check the time (3:12 is 3 minutes 12 "
                                "seconds)."), code="evacuation_time")
    return seconds


def format_evacuation_time(seconds):
    """3:12 for 192 seconds ("" for none)."""
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


# --- plans ---------------------------------------------------------------------------------------

def _clean_document(document, *, required=True):
    if not document:
        if required:
            raise ValidationError({"document": _("Choose the plan's document: a PDF or a photo of it.")})
        return None
    try:
        return document if isinstance(document, CleanDocument) else clean_document(document)
    except ValidationError as e:
        raise ValidationError({"document": e.messages}) from None


def _check_dates(approved_on, next_review, today, *, previous_approved=None):
    errors = {}
    if approved_on is None:
        errors["approved_on"] = _("Enter the day the plan was approved.")
    elif approved_on > today:
        errors["approved_on"] = _("The approval day %(date)s is after today.") % {"date": _day(approved_on)}
    elif previous_approved and approved_on < previous_approved:
        errors["approved_on"] = _("The current version was approved on %(date)s; a new version is approved on "
                                  "that day or later.") % {"date": _day(previous_approved)}
    if next_review is None:
        errors["next_review"] = _("Enter the day the plan must be reviewed by.")
    elif approved_on is not None and next_review <= approved_on:
        errors["next_review"] = _("The review comes after the approval (%(date)s).") % {"date": _day(approved_on)}
    elif next_review <= today:
        errors["next_review"] = _("The next review must be a day after today.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_add(*, by, title, kind, version_label, document, approved_on, next_review, owner=None, summary=""):
    """Keep a new emergency plan: its document, the version printed on it, approved on, next review by. The same
    plan and version sent again by the one who kept it returns the first, marked was_duplicate."""
    require(by, "safety.add_emergencyplan")
    title, version_label = _text(title), _text(version_label)
    same = EmergencyPlan.objects.filter(title=title, active=True).first() if title else None
    if (same is not None and same.version_label == version_label
            and same.history.filter(history_type="+", history_user=by).exists()):
        same.was_duplicate = True  # the same form sent twice (a second click): kept once
        return same
    errors = {}
    if not title:
        errors["title"] = _("Enter the plan's title, e.g. 消防应急预案.")
    elif same is not None:
        errors["title"] = _("%(title)s is already kept (version %(label)s): revise it from its page to add a "
                            "new version.") % {"title": same.title, "label": same.version_label}
    if kind not in EmergencyPlan.Kind.values:
        errors["kind"] = _("Choose what the plan is for.")
    if not version_label:
        errors["version_label"] = _("Enter the version printed on the plan, e.g. 2026版.")
    if errors:
        raise ValidationError(errors)
    _check_dates(approved_on, next_review, timezone.localdate())
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": _("Choose a person who still works here.")})
    content = _clean_document(document)
    plan = EmergencyPlan(title=title[:120], kind=kind, version_label=version_label[:20], approved_on=approved_on,
                         next_review=next_review, owner=owner, summary=_text(summary), active=True)
    plan.document.save(content.name, content, save=False)
    plan._change_reason = history_reason(
        gettext_noop("kept version %(label)s, approved on %(date)s, to be reviewed by %(review)s"),
        label=plan.version_label, date=approved_on.isoformat(), review=next_review.isoformat())
    plan._history_user = by
    plan.save(force_insert=True)
    return plan


@transaction.atomic
def plan_revise(*, plan_id, by, version_label, document, approved_on, next_review, summary=None,
                expected_version=None):
    """A new version of a plan: a new document, version label, approval day and next review; the history keeps
    the earlier versions (and their documents)."""
    require(by, "safety.change_emergencyplan")
    plan = lock(EmergencyPlan, plan_id, expected_version, by=by)
    if not plan.active:
        raise ValidationError(_("This plan is no longer in force; put it back in force before revising it."),
                              code="not_allowed")
    version_label = _text(version_label)
    if not version_label:
        raise ValidationError({"version_label": _("Enter the version printed on the plan, e.g. 2026版.")})
    if version_label == plan.version_label:
        raise ValidationError({"version_label": _("Version %(label)s is the current one: a new version has a new "
                                                  "label (e.g. 2027版 or 1.3).") % {"label": version_label}})
    _check_dates(approved_on, next_review, timezone.localdate(), previous_approved=plan.approved_on)
    content = _clean_document(document)
    previous = plan.version_label
    plan.version_label = version_label[:20]
    plan.approved_on = approved_on
    plan.next_review = next_review
    if summary is not None:
        plan.summary = _text(summary)
    plan.document.save(content.name, content, save=False)
    return save_with_history(plan, by, history_reason(
        gettext_noop("revised from version %(old)s to %(label)s, approved on %(date)s, to be reviewed by "
                     "%(review)s"), old=previous, label=plan.version_label, date=approved_on.isoformat(),
        review=next_review.isoformat()))


@transaction.atomic
def plan_retire(*, plan_id, by, reason, expected_version=None):
    """Take a plan out of force (replaced by another, no longer needed), with the reason; its drills stay."""
    require(by, "safety.change_emergencyplan")
    plan = lock(EmergencyPlan, plan_id, expected_version, by=by)
    if not plan.active:
        raise ValidationError(_("This plan is already out of force."), code="not_allowed")
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is no longer in force.")})
    plan.active = False
    return save_with_history(plan, by, history_reason(gettext_noop("taken out of force: %(reason)s"),
                                                      reason=reason[:200]))


@transaction.atomic
def plan_reinstate(*, plan_id, by, expected_version=None):
    """Put a plan back in force (a plan past its review date shows as such)."""
    require(by, "safety.change_emergencyplan")
    plan = lock(EmergencyPlan, plan_id, expected_version, by=by)
    if plan.active:
        raise ValidationError(_("This plan is in force."), code="not_allowed")
    if EmergencyPlan.objects.filter(title=plan.title, active=True).exclude(pk=plan.pk).exists():
        raise ValidationError(_("Another plan titled %(title)s is in force.") % {"title": plan.title},
                              code="not_allowed")
    plan.active = True
    return save_with_history(plan, by, history_reason(gettext_noop("back in force")))


# --- drills --------------------------------------------------------------------------------------

@transaction.atomic
def drill_record(*, by, plan, title, held_on, classes, headcount, evacuation_seconds=None, went_well="",
                 to_improve="", photos=(), now=None):
    """Record a drill held on a plan, with up to six photos. The same drill sent twice (a second click: same
    plan, day and title, by the same person) returns the first, marked was_duplicate."""
    require(by, "safety.add_drill")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if plan is None:
        raise ValidationError({"plan": _("Choose the emergency plan the drill practised.")})
    plan = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)  # two clicks at once wait for each other
    title, classes = _text(title), _text(classes)
    if held_on is not None and title:
        same = Drill.objects.filter(plan=plan, held_on=held_on, title=title).select_related("recorded_by").first()
        if same is not None:
            if same.recorded_by_id == by.pk:
                same.was_duplicate = True
                return same
            raise ValidationError(_("%(name)s has already recorded this drill (%(title)s on %(date)s).")
                                  % {"name": display_name(same.recorded_by), "title": title,
                                     "date": _day(held_on)}, code="duplicate")
    errors = {}
    if not plan.active:
        errors["plan"] = _("%(title)s is no longer in force; choose the plan in force.") % {"title": plan.title}
    if not title:
        errors["title"] = _("Enter what the drill was, e.g. 消防疏散演练.")
    if held_on is None:
        errors["held_on"] = _("Enter the day of the drill.")
    elif held_on > today:
        errors["held_on"] = _("The drill's day %(date)s is after today: record a drill once it has been held.") % {
            "date": _day(held_on)}
    if not classes:
        errors["classes"] = _("Say which classes took part, e.g. 全校 or 一至三年级.")
    if headcount is None or headcount <= 0:
        errors["headcount"] = _("Enter how many people took part (more than zero).")
    elif headcount > MAX_HEADCOUNT:
        errors["headcount"] = _("More than %(n)s people? Check the number.") % {"n": MAX_HEADCOUNT}
    try:
        evacuation_seconds = parse_evacuation_time(evacuation_seconds)
    except ValidationError as e:
        errors["evacuation_seconds"] = e.messages
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos.") % {"n": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    clean_photos = [p if isinstance(p, images.CleanPhoto) else images.clean_photo(p) for p in photos]
    drill = Drill(plan=plan, title=title[:120], held_on=held_on, classes=classes[:300], headcount=headcount,
                  evacuation_seconds=evacuation_seconds, went_well=_text(went_well), to_improve=_text(to_improve),
                  recorded_by=by)
    drill._change_reason = history_reason(gettext_noop("recorded: %(n)s people took part"), n=headcount)
    drill._history_user = by
    drill.save(force_insert=True)
    for content in clean_photos:
        photo = DrillPhoto(drill=drill, image=content, uploaded_by=by, uploaded_at=now)
        photo._history_user = by
        photo.save()
    return drill


@transaction.atomic
def drill_follow_up_add(*, drill_id, by, title, responsible, deadline, description="", submit_token=None):
    """A follow-up action of a drill (整改): a hazard in the kernel's tracking, its source the drill, with the
    person responsible and a deadline; the drill's history says so. A second click returns the first."""
    require(by, "safety.add_drill")
    drill = lock(Drill, drill_id)
    finding = raise_hazard(title=title, responsible=responsible, deadline=deadline, by=by,
                           description=description, source=drill, submit_token=submit_token)
    if not getattr(finding, "was_duplicate", False):
        save_with_history(drill, by, history_reason(
            gettext_noop("follow-up action %(number)s: %(title)s, %(name)s by %(date)s"), number=finding.number,
            title=finding.title, name=display_name(responsible), date=deadline.isoformat()), bump=False)
    return finding
