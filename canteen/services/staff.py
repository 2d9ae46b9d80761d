"""The kitchen's staff, their health certificates (健康证) and the morning check (晨检).

Each change is one transaction that locks its row first, checks the move, and leaves a history entry that
reads as a sentence. The rule of the morning check (学校食品安全与营养健康管理规定; RULES.md): anyone with a
symptom (code 1–12, or a temperature of 37.3 °C or more) or without a valid health certificate on that day
works off kitchen duty, and cannot be recorded as fit.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics import images
from logistics.history import history_reason
from logistics.services import check_version, display_name, lock, require, save_with_history

from ..models.staff import FEVER, NORMAL, SYMPTOM_CODES, CanteenStaff, MorningCheck

# 37.3 °C and above is a fever (the usual line of school morning checks).
FEVER_FROM = Decimal("37.3")
# A reading outside this range is a typing or thermometer mistake, not a person.
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("42.5"))


# --- staff ----------------------------------------------------------------------------------------

def _staff_what():
    return pgettext("record", "staff member")


def _clean_staff_fields(*, name, post, user, last_checkup, certificate_expires, staff=None):
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the name.")
    if post not in CanteenStaff.Post.values:
        errors["post"] = _("Choose the post.")
    if last_checkup and last_checkup > timezone.localdate():
        errors["last_checkup"] = _("The yearly check-up cannot be in the future.")
    if certificate_expires and certificate_expires.year < 2000:
        errors["certificate_expires"] = _("Check the date the certificate is valid until.")
    if user is not None:
        if not user.is_active:
            errors["user"] = _("That user account is switched off.")
        else:
            taken = CanteenStaff.objects.filter(user=user).exclude(pk=getattr(staff, "pk", None)).first()
            if taken is not None:
                errors["user"] = _("That user account already belongs to %(name)s.") % {"name": taken.name}
    if errors:
        raise ValidationError(errors)
    return name


def _photo(photo):
    if not photo:
        return None
    return photo if isinstance(photo, images.CleanPhoto) else images.clean_photo(photo)


@transaction.atomic
def staff_add(*, by, name, post, phone="", user=None, certificate_number="", certificate_issuer="",
              certificate_expires=None, certificate_photo=None, last_checkup=None):
    """Put someone on the kitchen's staff list with their health certificate. The same person sent twice
    (a double click: same name and certificate number) is saved once, returned marked was_duplicate."""
    require(by, "canteen.add_canteenstaff")
    name = _clean_staff_fields(name=name, post=post, user=user, last_checkup=last_checkup,
                               certificate_expires=certificate_expires)
    certificate_number = (certificate_number or "").strip()
    same = CanteenStaff.objects.select_for_update().filter(name=name, active=True).first()
    if same is not None:
        if same.certificate_number == certificate_number:
            same.was_duplicate = True
            return same
        raise ValidationError({"name": _(
            "%(name)s already works in the kitchen. If this is someone else, add a mark to tell them apart "
            "(e.g. %(name)s (2))." ) % {"name": name}})
    photo = _photo(certificate_photo)  # checked before anything is written
    staff = CanteenStaff(name=name, post=post, phone=(phone or "").strip(), user=user,
                         certificate_number=certificate_number, certificate_issuer=(certificate_issuer or "").strip(),
                         certificate_expires=certificate_expires, last_checkup=last_checkup)
    if photo is not None:
        staff.certificate_photo.save(photo.name, photo, save=False)
    return save_with_history(staff, by, history_reason(gettext_noop("added to the kitchen staff")))


@transaction.atomic
def staff_edit(*, staff_id, by, name, post, phone="", user=None, certificate_number="", certificate_issuer="",
               certificate_expires=None, certificate_photo=None, last_checkup=None, expected_version=None):
    """Change someone's details or their health certificate (a renewed one: new number, date and photo)."""
    require(by, "canteen.change_canteenstaff")
    staff = lock(CanteenStaff, staff_id, expected_version, _staff_what(), by=by)
    name = _clean_staff_fields(name=name, post=post, user=user, last_checkup=last_checkup,
                               certificate_expires=certificate_expires, staff=staff)
    photo = _photo(certificate_photo)
    renewed = (certificate_expires != staff.certificate_expires
               or (certificate_number or "").strip() != staff.certificate_number or photo is not None)
    staff.name, staff.post, staff.phone, staff.user = name, post, (phone or "").strip(), user
    staff.certificate_number = (certificate_number or "").strip()
    staff.certificate_issuer = (certificate_issuer or "").strip()
    staff.certificate_expires, staff.last_checkup = certificate_expires, last_checkup
    if photo is not None:
        staff.certificate_photo.save(photo.name, photo, save=False)
    if renewed and certificate_expires:
        reason = history_reason(gettext_noop("health certificate recorded, valid until %(date)s"),
                                date=certificate_expires.isoformat())
    else:
        reason = history_reason(gettext_noop("details changed"))
    return save_with_history(staff, by, reason)


@transaction.atomic
def staff_deactivate(*, staff_id, by, reason="", expected_version=None):
    """Someone has left the kitchen: off the lists and the morning check from now on (their records stay)."""
    require(by, "canteen.change_canteenstaff")
    staff = lock(CanteenStaff, staff_id, expected_version, _staff_what(), by=by)
    if not staff.active:
        raise ValidationError(_("%(name)s has already left the kitchen.") % {"name": staff.name}, code="not_allowed")
    staff.active = False
    reason = (reason or "").strip()
    text = (history_reason(gettext_noop("left the kitchen: %(reason)s"), reason=reason[:200]) if reason
            else history_reason(gettext_noop("left the kitchen")))
    return save_with_history(staff, by, text)


@transaction.atomic
def staff_reactivate(*, staff_id, by, expected_version=None):
    """Someone who had left works in the kitchen again."""
    require(by, "canteen.change_canteenstaff")
    staff = lock(CanteenStaff, staff_id, expected_version, _staff_what(), by=by)
    if staff.active:
        raise ValidationError(_("%(name)s works in the kitchen already.") % {"name": staff.name}, code="not_allowed")
    staff.active = True
    return save_with_history(staff, by, history_reason(gettext_noop("back in the kitchen")))


# --- the morning check ----------------------------------------------------------------------------

def parse_temperature(value):
    """A body temperature in °C with one decimal, or None; ValidationError on temperature_c when it cannot be one."""
    if value is None or str(value).strip() == "":
        return None
    try:
        temperature = Decimal(str(value).strip().replace("，", ".").replace(",", ".").rstrip("℃°C "))
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature_c": _("Enter the temperature in °C, e.g. 36.5.")}) from None
    if not temperature.is_finite() or not (TEMPERATURE_RANGE[0] <= temperature <= TEMPERATURE_RANGE[1]):
        raise ValidationError({"temperature_c": _(
            "%(value)s °C cannot be a person's temperature (%(low)s–%(high)s °C); measure again.")
            % {"value": value, "low": TEMPERATURE_RANGE[0], "high": TEMPERATURE_RANGE[1]}})
    return temperature.quantize(Decimal("0.1"))


def clean_symptoms(symptoms, temperature_c=None):
    """The codes as stored: sorted, each once, 0 alone (0 with a symptom is the symptom), and 1 (fever)
    added when the temperature is 37.3 °C or more."""
    try:
        codes = {int(c) for c in symptoms or ()}
    except (TypeError, ValueError):
        raise ValidationError({"symptoms": _("Unknown symptom code.")}) from None
    if codes - SYMPTOM_CODES:
        raise ValidationError({"symptoms": _("Unknown symptom code: %(codes)s.") % {
            "codes": ", ".join(str(c) for c in sorted(codes - SYMPTOM_CODES))}})
    if temperature_c is not None and temperature_c >= FEVER_FROM:
        codes.add(FEVER)
    codes.discard(NORMAL)
    return sorted(codes) or [NORMAL]


def _certificate_reason(staff, day):
    """The certificate's reason to keep someone off duty on day (stored untranslated), or ""."""
    if staff.certificate_expires is None:
        return history_reason(gettext_noop("no health certificate on record"))
    if staff.certificate_expires < day:
        return history_reason(gettext_noop("health certificate expired on %(date)s"),
                              date=staff.certificate_expires.isoformat())
    return ""


def check_outcome(staff, day, symptoms, temperature_c=None):
    """(codes, certificate reason) of a check: the person is fit only when codes == [0] and the reason is ""."""
    codes = clean_symptoms(symptoms, temperature_c)
    return codes, _certificate_reason(staff, day)


def _check_day(day):
    if day > timezone.localdate():
        raise ValidationError({"date": _("A morning check cannot be recorded for a day still to come (%(date)s).")
                               % {"date": day.isoformat()}})


@transaction.atomic
def record_check(*, staff, date, by, symptoms=(NORMAL,), temperature_c=None, fit_requested=True, note="",
                 correction_reason="", expected_version=None):
    """Record one person's morning check on one day.

    fit_requested: True (record as fit: refused, with the reasons, when a symptom, a fever or the certificate
    says otherwise), False (record as off duty: the reasons, else the note, say why) or None (as the rules
    decide). One check per person per day: a second one is a correction, with a reason, from the version
    the page showed; the same check sent twice (a double click) is returned marked was_duplicate."""
    require(by, "canteen.add_morningcheck")
    staff = lock(CanteenStaff, getattr(staff, "pk", staff), None)
    if isinstance(date, datetime.datetime):
        date = timezone.localdate(date)
    _check_day(date)
    temperature_c = parse_temperature(temperature_c)
    note = (note or "").strip()[:200]
    correction_reason = (correction_reason or "").strip()
    codes, certificate = check_outcome(staff, date, symptoms, temperature_c)
    reasons = [code for code in codes if code != NORMAL]
    fit = not reasons and not certificate
    if fit_requested and not fit:
        why = MorningCheck(staff=staff, date=date, symptoms=codes, temperature_c=temperature_c, fit=False,
                           off_duty_reason=certificate).off_duty_text
        raise ValidationError(_("%(name)s cannot be recorded as fit for kitchen duty: %(reasons)s.")
                              % {"name": staff.name, "reasons": why}, code="not_fit")
    if fit_requested is False and fit:
        if not note:
            raise ValidationError({"note": _("Say why %(name)s is kept off kitchen duty.") % {"name": staff.name}})
        fit = False
    off_duty_reason = "" if fit else (certificate or (note if not reasons else ""))

    existing = MorningCheck.objects.select_for_update().filter(staff=staff, date=date).first()
    if existing is None:
        if not staff.active:
            raise ValidationError(_("%(name)s has left the kitchen; no morning check is recorded for them.")
                                  % {"name": staff.name}, code="not_allowed")
        check = MorningCheck(staff=staff, date=date, symptoms=codes, temperature_c=temperature_c, fit=fit,
                             off_duty_reason=off_duty_reason, note=note, checked_by=by, checked_at=timezone.now())
        if fit:
            reason = history_reason(gettext_noop("checked: fit for kitchen duty"))
        else:
            reason = history_reason(gettext_noop("checked: sent off kitchen duty (%(codes)s)"), codes=check.codes)
        check.version = 1
        check._change_reason, check._history_user = reason, by
        try:
            with transaction.atomic():
                check.save(force_insert=True)
        except IntegrityError:
            # Recorded a moment ago by another tap: a duplicate if it says the same, else the page was stale.
            existing = MorningCheck.objects.select_for_update().get(staff=staff, date=date)
        else:
            return check

    same = (existing.symptoms == codes and existing.temperature_c == temperature_c and existing.fit == fit
            and existing.note == note)
    if same and existing.checked_by_id == by.pk and not correction_reason:
        existing.was_duplicate = True
        return existing
    if not correction_reason:
        raise ValidationError(
            _("%(name)s was already checked on %(date)s (%(codes)s, by %(who)s at %(time)s). To change it, "
              "correct it and say why.")
            % {"name": staff.name, "date": date.isoformat(), "codes": existing.codes,
               "who": display_name(existing.checked_by),
               "time": timezone.localtime(existing.checked_at).strftime("%H:%M")},
            code="already_checked")
    require(by, "canteen.change_morningcheck")
    check_version(existing, expected_version, pgettext("record", "morning check"), by=by)
    if same:
        raise ValidationError(_("The correction changes nothing: the check already says this."), code="unchanged")
    existing.symptoms, existing.temperature_c, existing.fit = codes, temperature_c, fit
    existing.off_duty_reason, existing.note = off_duty_reason, note
    existing.checked_by, existing.checked_at = by, timezone.now()
    return save_with_history(existing, by, history_reason(gettext_noop("corrected (%(codes)s): %(reason)s"),
                                                          codes=existing.codes, reason=correction_reason[:200]))


@dataclass
class AllNormal:
    """What record_all_normal did: checks recorded, people refused (with why), people already checked."""

    recorded: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(staff, reason text)]
    already: list = field(default_factory=list)


@transaction.atomic
def record_all_normal(*, date, by, staff_pks):
    """The usual morning in one tap: everyone listed and not yet checked is recorded 0 (normal) and fit,
    except those whose health certificate is not valid that day, who are refused one by one and listed.

    staff_pks: the people the page showed (someone added since is not recorded unseen)."""
    require(by, "canteen.add_morningcheck")
    _check_day(date)
    people = list(CanteenStaff.objects.select_for_update().filter(pk__in=list(staff_pks), active=True)
                  .order_by("name", "pk"))
    checked = set(MorningCheck.objects.filter(date=date, staff__in=people).values_list("staff_id", flat=True))
    result = AllNormal()
    now = timezone.now()
    reason = history_reason(gettext_noop("checked: fit for kitchen duty (all normal)"))
    for staff in people:
        if staff.pk in checked:
            result.already.append(staff)
            continue
        certificate = _certificate_reason(staff, date)
        if certificate:
            why = MorningCheck(staff=staff, date=date, fit=False, off_duty_reason=certificate).off_duty_text
            result.refused.append((staff, why))
            continue
        check = MorningCheck(staff=staff, date=date, symptoms=[NORMAL], fit=True, checked_by=by, checked_at=now,
                             version=1)
        check._change_reason, check._history_user = reason, by
        try:
            with transaction.atomic():
                check.save(force_insert=True)
        except IntegrityError:  # checked from another phone a moment ago
            result.already.append(staff)
            continue
        result.recorded.append(check)
    return result
