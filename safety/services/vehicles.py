"""School vehicles and pick-up arrangements (校车与接送): the safety officer keeps the vehicles, drivers and routes;
before the first trip of a day each vehicle has its pre-trip check (出车前检查), by the safety officer or by its
driver. Nothing expired goes on a trip: a check is never fit while an item is not in order, the vehicle's annual
inspection or insurance has run out, or the driver's licence or agreements with the school and the parents have.

Each change is one transaction that locks its row first, checks the move, and leaves a history entry that
reads as a sentence.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics.history import history_reason
from logistics.services import display_name, lock, require, save_with_history

from ..models.vehicles import Driver, Route, TripCheck, Vehicle
from ..selectors import vehicles as selectors

# A check written up from the paper form a few days later is fine; a week later it is no longer a pre-trip check.
LATE_DAYS = 7
NOTE_LENGTH = TripCheck._meta.get_field("note").max_length

_KEEP = {
    # model: (permission to add, to change, gettext_noop created, changed, stopped, back in use)
    Vehicle: ("safety.add_vehicle", "safety.change_vehicle",
              gettext_noop("added the vehicle"), gettext_noop("changed the vehicle's details"),
              gettext_noop("took the vehicle out of use"), gettext_noop("put the vehicle back in use")),
    Driver: ("safety.add_driver", "safety.change_driver",
             gettext_noop("added the driver"), gettext_noop("changed the driver's details"),
             gettext_noop("recorded that the driver no longer drives for the school"),
             gettext_noop("recorded that the driver drives for the school again")),
    Route: ("safety.add_route", "safety.change_route",
            gettext_noop("added the route"), gettext_noop("changed the route"),
            gettext_noop("stopped the route"), gettext_noop("put the route back in use")),
}


def _what(model):
    return str(model._meta.verbose_name)


@transaction.atomic
def keep(model, *, by, data, pk=None, expected_version=None):
    """Add (pk None) or change a vehicle, driver or route from a form's cleaned data, with a history sentence.
    The model's own validation (a plate used twice…) runs first; a page opened before someone else's change is
    refused."""
    add_perm, change_perm, created, changed, stopped, resumed = _KEEP[model]
    if pk is None:
        require(by, add_perm)
        obj = model()
    else:
        require(by, change_perm)
        obj = lock(model, pk, expected_version, _what(model), by=by)
    was_active = obj.active if pk is not None else None
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["version"])
    if pk is None:
        reason = created
    elif was_active and not obj.active:
        reason = stopped
    elif obj.active and not was_active:
        reason = resumed
    else:
        reason = changed
    return save_with_history(obj, by, history_reason(reason), bump=pk is not None)


# --- the pre-trip check ---------------------------------------------------------------------------

def may_check(user, driver):
    """The safety officer (whoever holds safety.add_tripcheck), or the driver on their own user account."""
    return user.is_active and (user.has_perm(selectors.CHECK) or (driver is not None and driver.user_id == user.pk))


def expired_papers(vehicle, driver, day):
    """What has run out (or is missing) on day, as sentences naming it: the vehicle's inspection and insurance,
    the driver's licence and agreements."""
    problems = []
    for p in selectors.vehicle_papers(vehicle, day, 0):
        if p.state == "expired":
            problems.append(_("the %(paper)s of %(plate)s expired on %(date)s")
                            % {"paper": p.label, "plate": vehicle.plate, "date": p.until.isoformat()})
    for p in selectors.driver_papers(driver, day, 0):
        if p.state == "expired":
            problems.append(_("the %(paper)s of %(name)s expired on %(date)s")
                            % {"paper": p.label, "name": driver.name, "date": p.until.isoformat()})
        elif p.state == "missing":
            problems.append(_("%(name)s has no %(paper)s on record") % {"paper": p.label, "name": driver.name})
    return problems


def _clean_items(items):
    """{key: bool} for every item of the check, or errors by item (item_<key>)."""
    items = items or {}
    cleaned, errors = {}, {}
    for key, label in selectors.ITEMS:
        value = items.get(key)
        if not isinstance(value, bool):
            errors[f"item_{key}"] = _("“%(item)s”: in order or not?") % {"item": label}
        else:
            cleaned[key] = value
    unknown = set(items) - set(selectors.ITEM_LABELS)
    if unknown:
        errors["items"] = _("Unknown items: %(items)s; reload the page.") % {"items": ", ".join(sorted(unknown))}
    return cleaned, errors


def _already(existing):
    return _("The pre-trip check of %(plate)s on %(date)s was already recorded by %(name)s at %(time)s.") % {
        "plate": existing.vehicle.plate, "date": existing.day.isoformat(), "name": display_name(existing.checked_by),
        "time": f"{timezone.localtime(existing.checked_at):%H:%M}"}


@transaction.atomic
def trip_check_record(*, by, vehicle_id, driver_id, items, fit, note="", day=None, now=None):
    """Record the pre-trip check of a vehicle on a day (today by default): each item in order or not, the driver,
    fit for the trip or not. Fit is refused while any item is not in order or anything of the vehicle's or the
    driver's has expired on that day (the message names what). One check per vehicle per day: the same check sent
    twice returns the first (marked was_duplicate), another one is refused."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = day or today
    vehicle = lock(Vehicle, vehicle_id)
    driver = Driver.objects.select_related("user").get(pk=driver_id)
    if not may_check(by, driver):
        raise PermissionDenied(_("Only the safety officer, or the driver on their own account, records a pre-trip "
                                 "check."))
    if day > today:
        raise ValidationError({"day": _("A pre-trip check is recorded on the day of the trip, not before.")})
    if day < today - datetime.timedelta(days=LATE_DAYS):
        raise ValidationError({"day": _("More than %(n)s days ago: too late to record it as a pre-trip check.")
                               % {"n": LATE_DAYS}})
    cleaned, errors = _clean_items(items)
    existing = TripCheck.objects.select_related("vehicle", "checked_by").filter(vehicle=vehicle, day=day).first()
    if existing is not None:
        if (existing.checked_by_id == by.pk and existing.driver_id == driver.pk and existing.items == cleaned
                and existing.fit == bool(fit)):
            existing.was_duplicate = True
            return existing
        raise ValidationError(_already(existing), code="duplicate")
    if not vehicle.active:
        raise ValidationError({"vehicle": _("%(plate)s is out of use.") % {"plate": vehicle.plate}})
    if not driver.active:
        raise ValidationError({"driver": _("%(name)s no longer drives for the school.") % {"name": driver.name}})
    note = " ".join((note or "").split())
    if len(note) > NOTE_LENGTH:
        errors["note"] = _("At most %(n)s characters.") % {"n": NOTE_LENGTH}
    if errors:
        raise ValidationError(errors)
    not_ok = [str(selectors.ITEM_LABELS[k]) for k, ok in cleaned.items() if not ok]
    if fit:
        if not_ok:
            raise ValidationError({"fit": ValidationError(
                _("Not fit for the trip: not in order — %(items)s.")
                % {"items": pgettext("between list items", ", ").join(not_ok)}, code="not_fit")})
        expired = expired_papers(vehicle, driver, day)
        if expired:
            raise ValidationError({"fit": ValidationError(
                _("Not fit for the trip: %(what)s.") % {"what": pgettext("between sentences", "; ").join(expired)},
                code="expired")})
    elif not note:
        raise ValidationError({"note": _("Say why it is not fit, and what is done about it.")})
    check = TripCheck(vehicle=vehicle, day=day, driver=driver, items=cleaned, fit=bool(fit), note=note,
                      checked_by=by, checked_at=now)
    if fit:
        reason = history_reason(gettext_noop("checked before the trip: fit, driver %(driver)s"), driver=driver.name)
    else:
        reason = history_reason(gettext_noop("checked before the trip: not fit (%(why)s)"),
                                why=", ".join(not_ok) or note[:100])
    try:
        with transaction.atomic():
            save_with_history(check, by, reason, bump=False)
    except IntegrityError:  # recorded by someone else a moment ago
        existing = TripCheck.objects.select_related("vehicle", "checked_by").get(vehicle=vehicle, day=day)
        raise ValidationError(_already(existing), code="duplicate") from None
    return check
