"""The moves of a finding. Each is one transaction that locks its row first, checks the move is allowed
for this user and this state, and leaves a history entry that reads as a sentence."""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics import images
from logistics.history import history_reason
from logistics.models import Finding, FindingPhoto
from logistics.services import display_name, find_duplicate, insert_once, lock, require, save_with_history

Status = Finding.Status
ADD, FIX, VERIFY = "logistics.add_finding", "logistics.fix_finding", "logistics.verify_finding"
NUMBER_PREFIX = "ZG"


def _lock(finding_id, expected_version=None, *, by=None):
    return lock(Finding, finding_id, expected_version, pgettext("record", "finding"), by=by)


def _refuse(finding, action):
    raise ValidationError(
        _("A finding that is “%(status)s” cannot be %(action)s.")
        % {"status": finding.get_status_display(), "action": action},
        code="not_allowed",
    )


def _clean_photos(photos):
    """Every photo checked and re-encoded before anything is written: all or nothing."""
    if len(photos) > Finding.MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": Finding.MAX_PHOTOS}})
    return [f if isinstance(f, images.CleanPhoto) else images.clean_photo(f) for f in photos]


def _check_responsible(user):
    if user is None or not user.is_active:
        raise ValidationError({"responsible": _("Choose a person who still works here.")}, code="responsible")


def _check_deadline(deadline, today=None):
    if deadline is None:
        raise ValidationError({"deadline": _("Give the date by which it must be fixed.")}, code="deadline")
    if deadline < (today or timezone.localdate()):
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")}, code="deadline")


def can_fix(user, finding):
    """The responsible person, or anyone who may record fixes (logistics.fix_finding)."""
    return user.is_active and (finding.responsible_id == user.pk or user.has_perm(FIX))


def can_verify(user, finding):
    """A holder of logistics.verify_finding who did not record the fix."""
    return user.is_active and user.has_perm(VERIFY) and finding.fixed_by_id != user.pk


@transaction.atomic
def finding_raise(*, area, title, responsible, deadline, by, description="", location=None,
                  severity=Finding.Severity.GENERAL, source=None, photos=(), submit_token=None, now=None,
                  permission=ADD):
    """Record something found wrong, with the person responsible and the date it must be fixed by.

    area: the calling module's app label; source: the record it came from (optional). A second submission
    of the same form returns the first finding (marked was_duplicate).

    permission: what `by` must hold, logistics.add_finding by default (raising by hand: naming anyone
    responsible, with any deadline). A module's own move that decides the responsible person and the deadline
    itself passes its own permission instead, e.g. safety's "anyone reports a hazard" (safety.report_hazard:
    the hazard goes to the safety officer, with the school's deadline). So a teacher reports a hazard without
    being given add_finding, which would also let them raise findings for anyone by hand; the check is still
    made here, never skipped."""
    require(by, permission or ADD)
    if (existing := find_duplicate(Finding, submit_token, by, "found_by_id")) is not None:
        return existing
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say in a few words what is wrong.")})
    if not (area or "").strip():
        raise ValidationError({"area": _("Choose the area it belongs to.")})
    _check_responsible(responsible)
    now = now or timezone.now()
    _check_deadline(deadline, timezone.localdate(now))
    if location is not None and not location.active:
        raise ValidationError({"location": _("That place is no longer in use; choose another.")})
    if severity not in Finding.Severity.values:
        raise ValidationError({"severity": _("Choose how serious it is.")})
    cleaned = _clean_photos(photos)
    finding = Finding(
        area=area.strip(), title=title, description=(description or "").strip(), location=location,
        severity=severity, found_by=by, found_at=now, responsible=responsible, deadline=deadline,
    )
    if source is not None:
        finding.source_type = ContentType.objects.get_for_model(source)
        finding.source_id = source.pk
    finding._change_reason = history_reason(
        gettext_noop("found it; %(name)s to fix it by %(date)s"), name=display_name(responsible),
        date=deadline.isoformat())
    finding._history_user = by
    saved = insert_once(finding, user=by, owner_field="found_by_id", submit_token=submit_token,
                        number_prefix=NUMBER_PREFIX, now=now)
    if saved is not finding:
        return saved
    for content in cleaned:
        FindingPhoto.objects.create(finding=finding, kind=FindingPhoto.Kind.FOUND, image=content, uploaded_by=by,
                                    uploaded_at=now)
    return finding


@transaction.atomic
def finding_fix(*, finding_id, by, note, photos=(), photo_required=True, expected_version=None):
    """The responsible person (or a holder of fix_finding) records what was done, with photos of the fix.

    photo_required: the area's caller may make the photo optional (a fix that shows in no picture)."""
    finding = _lock(finding_id, expected_version, by=by)
    if not can_fix(by, finding):
        raise PermissionDenied(_("Only the person responsible for it, or someone who records fixes, can do this."))
    if not finding.can_fix:
        _refuse(finding, _("marked fixed"))
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("Say what was done.")
    if photo_required and not photos:
        errors["photos"] = _("Add at least one photo of the fix.")
    if errors:
        raise ValidationError(errors)
    cleaned = _clean_photos(photos)
    now = timezone.now()
    finding.status = Status.FIXED
    finding.fix_note = note
    finding.fixed_by = by
    finding.fixed_at = now
    save_with_history(finding, by, history_reason(gettext_noop("fixed it: %(note)s"), note=note[:200]))
    for content in cleaned:
        FindingPhoto.objects.create(finding=finding, kind=FindingPhoto.Kind.FIXED, image=content, uploaded_by=by,
                                    uploaded_at=now)
    return finding


@transaction.atomic
def finding_verify(*, finding_id, by, ok, comment="", expected_version=None):
    """Re-check a fix (复查): passed closes the finding; not passed (with a comment) sends it back to be fixed."""
    require(by, VERIFY)
    finding = _lock(finding_id, expected_version, by=by)
    if not finding.can_verify:
        _refuse(finding, _("verified"))
    if finding.fixed_by_id == by.pk:
        raise ValidationError(_("You recorded this fix yourself, so someone else must verify it: a fix is "
                                "checked by a second person."), code="own_fix")
    comment = (comment or "").strip()
    finding.verified_by = by
    finding.verified_at = timezone.now()
    finding.verify_comment = comment
    if ok:
        finding.status = Status.VERIFIED
        reason = (history_reason(gettext_noop("verified the fix: %(comment)s"), comment=comment[:200]) if comment
                  else history_reason(gettext_noop("verified the fix")))
    else:
        if not comment:
            raise ValidationError({"comment": _("Say what is still wrong, so it can be fixed.")})
        finding.status = Status.REOPENED
        finding.reopen_count += 1
        reason = history_reason(gettext_noop("did not pass the fix: %(comment)s"), comment=comment[:200])
    return save_with_history(finding, by, reason)


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; it is kept in the finding's history.")})
    return reason


@transaction.atomic
def finding_reassign(*, finding_id, by, responsible, reason, expected_version=None):
    """Give the fix to another person (with a reason), before it is fixed."""
    require(by, VERIFY)
    finding = _lock(finding_id, expected_version, by=by)
    if not finding.can_reassign:
        _refuse(finding, _("reassigned"))
    _check_responsible(responsible)
    if responsible.pk == finding.responsible_id:
        raise ValidationError({"responsible": _("%(name)s is already responsible for it.")
                               % {"name": display_name(responsible)}})
    reason = _reason(reason)
    finding.responsible = responsible
    return save_with_history(finding, by, history_reason(
        gettext_noop("made %(name)s responsible: %(reason)s"), name=display_name(responsible), reason=reason[:200]))


@transaction.atomic
def finding_extend(*, finding_id, by, deadline: datetime.date, reason, expected_version=None):
    """Move the deadline later (with a reason), before it is fixed."""
    require(by, VERIFY)
    finding = _lock(finding_id, expected_version, by=by)
    if not finding.can_extend:
        _refuse(finding, _("given more time"))
    _check_deadline(deadline)
    if deadline <= finding.deadline:
        raise ValidationError({"deadline": _("The new deadline must be later than %(date)s.")
                               % {"date": finding.deadline.isoformat()}})
    reason = _reason(reason)
    old = finding.deadline
    finding.deadline = deadline
    return save_with_history(finding, by, history_reason(
        gettext_noop("moved the deadline from %(old)s to %(new)s: %(reason)s"), old=old.isoformat(),
        new=deadline.isoformat(), reason=reason[:200]))
