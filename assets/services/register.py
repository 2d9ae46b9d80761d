"""State changes of the asset register (校产): categories, registering an asset, correcting it, and
importing a checked batch from Excel. Each is one transaction; each asset change leaves a history entry
that reads as a sentence (stored untranslated, shown in the reader's language)."""
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from logistics.history import history_reason
from logistics.services import NUMBER_ATTEMPTS, display_name, lock, next_number, parse_money, require, save_with_history

from ..models import Asset, AssetCategory, FundingSource, validate_category_code

Status = Asset.Status

TAG_PREFIX = "ZC"
TAG_RE = re.compile(r"^ZC-(\d{4})-(\d{5})$")
# Statuses a person may set by hand; the others follow their own records (a loan, a write-off, a loss).
EDITABLE_STATUSES = (Status.IN_USE, Status.IDLE, Status.UNDER_REPAIR, Status.DAMAGED)
MAX_PRICE = Decimal("9999999999.99")
MAX_QUANTITY = 10_000_000

# Fields a person may correct through asset_update.
UPDATABLE_FIELDS = (
    "name", "spec", "brand", "category", "location", "custodian", "department", "funding_source", "acquired_on",
    "unit_price", "quantity", "unit", "status", "serial_number", "invoice_number", "notes",
)


# --- helpers ---------------------------------------------------------------------------------

def tag_prefix(year):
    return f"{TAG_PREFIX}-{year}-"


def _next_tags(count, now):
    """The next count tags of the year (ZC-2026-00042 …), the year's last tag row-locked (see
    logistics.services.next_number)."""
    prefix, _sep, first = next_number(Asset, TAG_PREFIX, now, field="tag").rpartition("-")
    return [f"{prefix}-{seq:05d}" for seq in range(int(first), int(first) + count)]


PRICE_ERRORS = {
    "invalid": _lazy("Enter the unit price as a number, e.g. 3499.00."),
    "min_value": _lazy("The unit price cannot be negative."),
    "max_value": _lazy("The unit price is too large."),
}


def _clean_price(value):
    try:
        return parse_money(value, allow_zero=True, maximum=MAX_PRICE)
    except ValidationError as e:
        raise ValidationError({"unit_price": PRICE_ERRORS.get(e.code, e.messages[0])}) from None


def _clean_quantity(value):
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("Enter the quantity as a whole number.")}) from None
    if quantity < 1:
        raise ValidationError({"quantity": _("The quantity is at least 1.")})
    if quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": _("The quantity is too large.")})
    return quantity


def _check_common(*, name, location, custodian, acquired_on, today):
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the asset a name.")
    if location is not None and not location.active:
        errors["location"] = _("That place is no longer in use; choose another.")
    if custodian is not None and not custodian.is_active:
        errors["custodian"] = _("%(name)s no longer works here; choose someone else.") % {
            "name": display_name(custodian)}
    if acquired_on and acquired_on > today:
        errors["acquired_on"] = _("The acquisition date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _check_serial_free(serial, exclude_pk=None):
    if not serial:
        return
    clash = Asset.objects.filter(serial_number=serial).exclude(pk=exclude_pk).values_list("tag", flat=True).first()
    if clash:
        raise ValidationError({"serial_number": _("Serial number %(sn)s is already registered as %(tag)s.")
                               % {"sn": serial, "tag": clash}})


# --- categories ------------------------------------------------------------------------------

@transaction.atomic
def asset_category_create(*, by, name, code="", is_fixed_asset=True):
    """Add a kind of asset, with its national classification code when known (GB/T 14885)."""
    require(by, "assets.add_assetcategory")
    name = (name or "").strip()
    code = (code or "").strip().upper()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    validate_category_code(code)
    if AssetCategory.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a category called %(name)s.") % {"name": name}})
    category = AssetCategory(name=name, code=code, is_fixed_asset=is_fixed_asset)
    return save_with_history(category, by, history_reason(gettext_noop("category added")), bump=False)


def find_category(text, categories=None):
    """The category meant by “A02010105”, “台式计算机” or “A02010105 台式计算机” (as exported), or None."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    categories = categories if categories is not None else list(AssetCategory.objects.all())
    first, _sep, rest = text.partition(" ")
    by_name = {c.name: c for c in categories}
    if rest and first.upper() in {c.code for c in categories if c.code}:
        named = by_name.get(rest)
        if named is not None and named.code == first.upper():
            return named
    if text in by_name:
        return by_name[text]
    with_code = [c for c in categories if c.code and c.code == text.upper()]
    if len(with_code) == 1:
        return with_code[0]
    return None


# --- assets ----------------------------------------------------------------------------------

@transaction.atomic
def asset_register(*, by, name, category, location, unit_price, quantity=1, unit="台", spec="", brand="",
                   custodian=None, department=None, funding_source=FundingSource.FISCAL, acquired_on=None,
                   serial_number="", invoice_number="", notes="", status=Status.IN_USE, now=None):
    """Register an asset (or a batch of identical items) and give it the next tag of the year."""
    require(by, "assets.add_asset")
    now = now or timezone.now()
    today = timezone.localdate()
    acquired_on = acquired_on or timezone.localdate(now)
    _check_common(name=name, location=location, custodian=custodian, acquired_on=acquired_on, today=today)
    unit_price = _clean_price(unit_price)
    quantity = _clean_quantity(quantity)
    if status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("A new asset is in use, idle, under repair or damaged.")})
    if funding_source not in FundingSource.values:
        raise ValidationError({"funding_source": _("Choose a funding source.")})
    serial_number = (serial_number or "").strip()
    _check_serial_free(serial_number)
    asset = Asset(
        name=name.strip(), spec=(spec or "").strip(), brand=(brand or "").strip(), category=category,
        location=location, custodian=custodian, department=department, funding_source=funding_source,
        acquired_on=acquired_on, unit_price=unit_price, quantity=quantity, unit=(unit or "").strip() or "台",
        status=status, serial_number=serial_number, invoice_number=(invoice_number or "").strip(),
        notes=(notes or "").strip(), created_at=now,
    )
    asset._change_reason = history_reason(gettext_noop("registered"))
    asset._history_user = by
    # Numbered like logistics.services.insert_once does, but on the tag field.
    for attempt in range(NUMBER_ATTEMPTS):
        [asset.tag] = _next_tags(1, now)
        try:
            with transaction.atomic():
                asset.save(force_insert=True)
            return asset
        except IntegrityError:
            # Another registration took this number a moment ago: take the next one.
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    return asset  # pragma: no cover


@transaction.atomic
def asset_update(*, asset_id, by, expected_version=None, **changes):
    """Correct an asset's details, or move it; the history says what changed. Returns the asset,
    with .changed_fields listing what was changed (empty when nothing was)."""
    require(by, "assets.change_asset")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"asset_update() got unexpected fields: {', '.join(sorted(unknown))}")
    asset = lock(Asset.objects.select_related("location__building"), asset_id, expected_version, _("asset"), by=by)
    if not asset.is_active:
        raise ValidationError(
            _("An asset that is “%(status)s” has left the register; it is kept as it was and cannot be edited.")
            % {"status": asset.get_status_display()}, code="not_allowed")
    if "unit_price" in changes:
        changes["unit_price"] = _clean_price(changes["unit_price"])
    if "quantity" in changes:
        changes["quantity"] = _clean_quantity(changes["quantity"])
    for text_field in ("name", "spec", "brand", "unit", "serial_number", "invoice_number", "notes"):
        if text_field in changes:
            changes[text_field] = (changes[text_field] or "").strip()
    if "unit" in changes and not changes["unit"]:
        changes["unit"] = asset.unit
    new_status = changes.get("status", asset.status)
    if new_status != asset.status:
        if asset.status == Status.ON_LOAN:
            raise ValidationError({"status": _("It is on loan: its status changes when it is returned.")})
        if new_status not in EDITABLE_STATUSES:
            raise ValidationError({"status": _("“%(status)s” is set by its own record (a loan, a write-off or a "
                                               "stocktake), not by editing.")
                                   % {"status": Status(new_status).label}})
    if "funding_source" in changes and changes["funding_source"] not in FundingSource.values:
        raise ValidationError({"funding_source": _("Choose a funding source.")})
    new_location = changes.get("location", asset.location)
    location_changed = new_location.pk != asset.location_id
    _check_common(
        name=changes.get("name", asset.name),
        location=new_location if location_changed else None,
        custodian=changes.get("custodian") if changes.get("custodian") and
        changes["custodian"].pk != asset.custodian_id else None,
        acquired_on=changes.get("acquired_on") if "acquired_on" in changes else None,
        today=timezone.localdate(),
    )
    if changes.get("serial_number") and changes["serial_number"] != asset.serial_number:
        _check_serial_free(changes["serial_number"], exclude_pk=asset.pk)
    changed = []
    old_location = asset.location
    for field, value in changes.items():
        if getattr(asset, field) != value:
            setattr(asset, field, value)
            changed.append(field)
    asset.changed_fields = changed
    if not changed:
        return asset
    if location_changed:
        reason = history_reason(gettext_noop("moved from %(old)s to %(new)s"), old=str(old_location),
                                new=str(new_location))
    else:
        reason = history_reason(gettext_noop("details corrected"))
    # Asset.save raises the version itself.
    return save_with_history(asset, by, reason, bump=False)


@transaction.atomic
def asset_import(*, by, rows, source="", now=None):
    """Register a whole checked batch at once (rows of Asset field values, e.g. from assets.excel):
    all or nothing. Rows without a tag get the next tags of the year. Returns the new assets."""
    require(by, "assets.add_asset")
    if not rows:
        raise ValidationError(_("The file has no assets in it."), code="empty")
    now = now or timezone.now()
    today = timezone.localdate()
    given_tags = [r["tag"] for r in rows if r.get("tag")]
    serials = [r["serial_number"] for r in rows if r.get("serial_number")]
    # Checked again here, inside the transaction: the file was read a moment ago.
    if len(set(given_tags)) != len(given_tags) or len(set(serials)) != len(serials):
        raise ValidationError(_("The same tag or serial number appears twice in the file."), code="duplicate")
    clash = _first_existing("tag", given_tags) or _first_existing("serial_number", serials)
    if clash:
        raise ValidationError(_("%(value)s is already in the register; nothing was imported.") % {"value": clash},
                              code="duplicate")
    objs = []
    for r in rows:
        asset = Asset(
            tag=r.get("tag") or "", name=r["name"].strip(), spec=r.get("spec", ""), brand=r.get("brand", ""),
            category=r["category"], location=r["location"], custodian=r.get("custodian"),
            department=r.get("department"), funding_source=r.get("funding_source") or FundingSource.FISCAL,
            acquired_on=r.get("acquired_on") or today, unit_price=_clean_price(r["unit_price"]),
            quantity=_clean_quantity(r.get("quantity") or 1), unit=r.get("unit") or "台",
            status=r.get("status") or Status.IN_USE, serial_number=r.get("serial_number", ""),
            invoice_number=r.get("invoice_number", ""), notes=r.get("notes", ""), created_at=now,
        )
        if asset.status not in EDITABLE_STATUSES:
            raise ValidationError(_("%(name)s: an imported asset is in use, idle, under repair or damaged.")
                                  % {"name": asset.name})
        if asset.acquired_on > today:
            raise ValidationError(_("%(name)s: the acquisition date cannot be in the future.") % {"name": asset.name})
        objs.append(asset)
    untagged = [a for a in objs if not a.tag]
    reason = history_reason(gettext_noop("imported from %(file)s"), file=source) if source \
        else history_reason(gettext_noop("imported from Excel"))
    for attempt in range(NUMBER_ATTEMPTS):
        for asset, tag in zip(untagged, _next_tags(len(untagged), now), strict=True):
            asset.tag = tag
        try:
            with transaction.atomic():
                created = bulk_create_with_history(objs, Asset, batch_size=500, default_user=by,
                                                   default_change_reason=reason, default_date=now)
            return created
        except IntegrityError:
            # Someone registered an asset meanwhile and took one of these numbers: number again.
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
            for asset in objs:
                asset.pk = None
                asset._state.adding = True
    return []  # pragma: no cover


def _first_existing(field, values, chunk=900):
    """The first of values already used in the register for field (in chunks: SQLite limits parameters)."""
    for i in range(0, len(values), chunk):
        found = Asset.objects.filter(**{f"{field}__in": values[i:i + chunk]}).values_list(field, flat=True).first()
        if found:
            return found
    return None


def tags_in_use(tags):
    """The subset of tags already in the register."""
    return _existing("tag", tags)


def serials_in_use(serials):
    """The subset of serial numbers already in the register, with their tags: {serial: tag}."""
    result = {}
    values = list(serials)
    for i in range(0, len(values), 900):
        result.update(Asset.objects.filter(serial_number__in=values[i:i + 900])
                      .values_list("serial_number", "tag"))
    return result


def _existing(field, values):
    values = list(values)
    found = set()
    for i in range(0, len(values), 900):
        found.update(Asset.objects.filter(**{f"{field}__in": values[i:i + 900]}).values_list(field, flat=True))
    return found


__all__ = [
    "EDITABLE_STATUSES", "TAG_RE", "asset_category_create", "asset_import", "asset_register", "asset_update",
    "find_category", "serials_in_use", "tag_prefix", "tags_in_use",
]
