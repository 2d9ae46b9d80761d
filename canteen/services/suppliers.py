"""Suppliers and the check of every delivery (索证索票, 进货查验).

A supplier is kept with its licence (kind, number, expiry) and other certificates; a delivery is recorded
when it arrives, item by item, accepted or rejected with a reason. A delivery from a supplier whose licence
has expired on the delivery's day, or who no longer supplies the canteen, is refused: the canteen renews the
licence record first. Each service is one transaction that locks its row, checks the move and leaves a
history sentence (logistics.history)."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics import images
from logistics.files import CleanDocument, clean_document
from logistics.history import history_reason
from logistics.services import find_duplicate, insert_once, lock, require, save_with_history

from ..models import Delivery, DeliveryItem, DeliveryPhoto, Supplier, SupplierDocument

MAX_PHOTOS = 6
MAX_ITEMS = 40
# The fields of a recorded delivery, and of its items, that a correction may change: the words, never the
# supplier, the day, the quantities or the result.
CORRECTABLE = ("invoice_ref", "note", "reject_reason")
ITEM_CORRECTABLE = ("name", "spec", "unit", "batch", "shelf_life", "quarantine_cert")
SUPPLIER_FIELDS = ("name", "address", "contact", "phone", "goods", "licence_kind", "licence_number",
                   "licence_expires")


def _day(value):
    return formats.date_format(value, "Y-m-d")


def _text(value):
    return (value or "").strip()


# --- suppliers -----------------------------------------------------------------------------------

def _clean_supplier(data, *, pk=None):
    """The supplier's fields stripped and checked: name, licence number and expiry are required."""
    data = {name: (_text(data.get(name)) if name != "licence_expires" else data.get(name))
            for name in SUPPLIER_FIELDS}
    errors = {}
    if not data["name"]:
        errors["name"] = _("Enter the supplier's name.")
    elif Supplier.objects.filter(name=data["name"]).exclude(pk=pk).exists():
        errors["name"] = _("%(name)s is already on the list of suppliers.") % {"name": data["name"]}
    if not data["licence_number"]:
        errors["licence_number"] = _("Enter the licence number: a supplier is kept with its licence (索证).")
    if not data["licence_expires"]:
        errors["licence_expires"] = _("Enter the date the licence is valid until.")
    if data["licence_kind"] not in Supplier.LicenceKind.values:
        data["licence_kind"] = Supplier.LicenceKind.FOOD_TRADE
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def supplier_add(*, by, name, licence_number, licence_expires, licence_kind=Supplier.LicenceKind.FOOD_TRADE,
                 address="", contact="", phone="", goods=""):
    """Put a supplier on the canteen's list with a licence valid today."""
    require(by, "canteen.add_supplier")
    data = _clean_supplier({"name": name, "address": address, "contact": contact, "phone": phone, "goods": goods,
                            "licence_kind": licence_kind, "licence_number": licence_number,
                            "licence_expires": licence_expires})
    today = timezone.localdate()
    if data["licence_expires"] < today:
        raise ValidationError({"licence_expires": _(
            "This licence expired on %(date)s: a supplier is added with a valid licence. Ask the supplier for "
            "the renewed licence and enter its dates.") % {"date": _day(data["licence_expires"])}})
    supplier = Supplier(**data)
    supplier._change_reason = history_reason(gettext_noop("added as a supplier, licence valid until %(date)s"),
                                             date=data["licence_expires"].isoformat())
    supplier._history_user = by
    supplier.save(force_insert=True)
    return supplier


@transaction.atomic
def supplier_edit(*, supplier_id, by, expected_version=None, **fields):
    """Change a supplier's details; a new licence expiry is a renewal and says so in the history."""
    require(by, "canteen.change_supplier")
    supplier = lock(Supplier, supplier_id, expected_version, by=by)
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise TypeError(f"supplier_edit() got unexpected fields {sorted(unknown)}")
    data = _clean_supplier({**{f: getattr(supplier, f) for f in SUPPLIER_FIELDS}, **fields}, pk=supplier.pk)
    changed = [f for f in SUPPLIER_FIELDS if data[f] != getattr(supplier, f)]
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    renewed = "licence_expires" in changed and data["licence_expires"] > supplier.licence_expires
    for name in changed:
        setattr(supplier, name, data[name])
    if renewed:
        reason = history_reason(gettext_noop("licence renewed: valid until %(date)s"),
                                date=data["licence_expires"].isoformat())
    else:
        reason = history_reason(gettext_noop("details changed"))
    return save_with_history(supplier, by, reason)


@transaction.atomic
def supplier_deactivate(*, supplier_id, by, reason="", expected_version=None):
    """Mark a supplier as no longer supplying the canteen: no delivery from them can be recorded."""
    require(by, "canteen.change_supplier")
    supplier = lock(Supplier, supplier_id, expected_version, by=by)
    if not supplier.active:
        raise ValidationError(_("%(name)s is already marked as no longer supplying us.") % {"name": supplier.name},
                              code="not_allowed")
    supplier.active = False
    reason = _text(reason)
    text = (history_reason(gettext_noop("no longer supplies the canteen: %(reason)s"), reason=reason[:200])
            if reason else history_reason(gettext_noop("no longer supplies the canteen")))
    return save_with_history(supplier, by, text)


@transaction.atomic
def supplier_reactivate(*, supplier_id, by, expected_version=None):
    """Take a former supplier back on; their licence must be valid today."""
    require(by, "canteen.change_supplier")
    supplier = lock(Supplier, supplier_id, expected_version, by=by)
    if supplier.active:
        raise ValidationError(_("%(name)s already supplies the canteen.") % {"name": supplier.name},
                              code="not_allowed")
    if not supplier.licence_valid_on(timezone.localdate()):
        raise ValidationError(_(
            "The licence of %(name)s expired on %(date)s. Enter the renewed licence (Change) before taking them "
            "back on.") % {"name": supplier.name, "date": _day(supplier.licence_expires)}, code="licence")
    supplier.active = True
    return save_with_history(supplier, by, history_reason(gettext_noop("supplies the canteen again")))


@transaction.atomic
def supplier_document_add(*, supplier_id, by, title, file, expires=None):
    """Keep a certificate of a supplier on file (a PDF or a photo); the supplier's history says so."""
    require(by, "canteen.add_supplierdocument")
    title = _text(title)
    if not title:
        raise ValidationError({"title": _("Say what the document is, e.g. 食品经营许可证 or 检验报告.")})
    if not file:
        raise ValidationError({"file": _("Choose the file: a PDF or a photo of the document.")})
    content = file if isinstance(file, CleanDocument) else clean_document(file)
    supplier = lock(Supplier, supplier_id)
    now = timezone.now()
    document = SupplierDocument(supplier=supplier, title=title[:100], expires=expires, uploaded_by=by,
                                uploaded_at=now)
    document.file.save(content.name, content, save=False)
    document._change_reason = history_reason(gettext_noop("added"))
    document._history_user = by
    document.save()
    if expires:
        reason = history_reason(gettext_noop("document added: %(title)s, valid until %(date)s"),
                                title=document.title, date=expires.isoformat())
    else:
        reason = history_reason(gettext_noop("document added: %(title)s"), title=document.title)
    save_with_history(supplier, by, reason, bump=False)
    return document


# --- deliveries ----------------------------------------------------------------------------------

class ItemError(ValidationError):
    """A delivery item's error: names its row (from 0) and field, so a page can show it on that row."""

    def __init__(self, message, *, row, field=None, code=None):
        super().__init__(message, code=code)
        self.row, self.field = row, field


def _quantity(value):
    try:
        quantity = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    return quantity if quantity is not None and quantity.is_finite() else None


def _clean_items(items, day, *, accepted):
    """The delivery's items checked against the record's rules; every problem named by its row.

    Each needs a name, a quantity above zero and a unit; a production date (not after the delivery) or a
    batch number; and, when accepted, a meat or poultry item its quarantine certificate number. A rejected
    delivery is recorded as it came: what it lacked may be why it was rejected."""
    cleaned, errors = [], []
    if not items:
        raise ValidationError({"items": _("Enter at least one item of the delivery.")})
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("At most %(n)s items per delivery.") % {"n": MAX_ITEMS}})
    for row, item in enumerate(items):
        name = _text(item.get("name"))[:60]
        label = {"n": row + 1, "name": name or "—"}

        def error(message, field, code, label=label, row=row):
            errors.append(ItemError(_("Item %(n)s (%(name)s): ") % label + message, row=row, field=field,
                                    code=code))

        if not name:
            error(_("enter what was delivered."), "name", "name")
        quantity = _quantity(item.get("quantity"))
        if quantity is None or quantity <= 0:
            error(_("the quantity must be more than zero."), "quantity", "quantity")
        elif quantity >= Decimal("100000000") or quantity != quantity.quantize(Decimal("0.01")):
            error(_("enter the quantity with at most two decimal places."), "quantity", "quantity")
        unit = _text(item.get("unit"))[:10]
        if not unit:
            error(_("enter the unit (kg, 箱, 袋 …)."), "unit", "unit")
        produced = item.get("production_date") or None
        batch = _text(item.get("batch"))[:40]
        if produced and produced > day:
            error(_("the production date %(date)s is after the delivery (%(day)s); check the label.")
                  % {"date": _day(produced), "day": _day(day)}, "production_date", "production_future")
        if accepted and not produced and not batch:
            error(_("enter the production date or the batch number from the label."), "production_date",
                  "production_or_batch")
        is_meat = bool(item.get("is_meat"))
        cert = _text(item.get("quarantine_cert"))[:60]
        if accepted and is_meat and not cert:
            error(_("meat and poultry are accepted only with the quarantine certificate (动物检疫合格证明); "
                    "enter its number, or reject the delivery."), "quarantine_cert", "quarantine")
        cleaned.append({"name": name, "spec": _text(item.get("spec"))[:60], "quantity": quantity, "unit": unit,
                        "production_date": produced, "batch": batch,
                        "shelf_life": _text(item.get("shelf_life"))[:30], "is_meat": is_meat,
                        "quarantine_cert": cert})
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


def licence_refusal(supplier, day):
    """Why no delivery from this supplier can be recorded on day, or "" when one can."""
    if not supplier.active:
        return _("%(name)s is marked as no longer supplying the canteen; a delivery from them cannot be "
                 "recorded. If they supply us again, take them back on from their page first.") % {
            "name": supplier.name}
    if not supplier.licence_valid_on(day):
        return _("The licence of %(name)s expired on %(date)s: a delivery from them cannot be accepted. Renew "
                 "the licence record first (the supplier's page, Change: the new licence's number and date), "
                 "then record the delivery.") % {"name": supplier.name, "date": _day(supplier.licence_expires)}
    return ""


@transaction.atomic
def delivery_record(*, by, supplier, date, items, invoice_ref="", accepted=True, reject_reason="", note="",
                    photos=(), submit_token=None, now=None):
    """Record the check of a delivery (进货查验) with its items, accepted or rejected with a reason, and the
    photos of its certificates and invoice (索证索票). A second submission of the same form returns the first."""
    require(by, "canteen.add_delivery")
    if (existing := find_duplicate(Delivery, submit_token, by, "checked_by_id")) is not None:
        return existing
    now = now or timezone.now()
    today = timezone.localdate(now)
    if date is None:
        raise ValidationError({"date": _("Enter the day of the delivery.")})
    if date > today:
        raise ValidationError({"date": _("The delivery day %(date)s is after today: record a delivery when it "
                                         "arrives.") % {"date": _day(date)}})
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if refusal := licence_refusal(supplier, date):
        raise ValidationError({"supplier": ValidationError(refusal, code="licence")})
    reject_reason = _text(reject_reason)
    if not accepted and not reject_reason:
        raise ValidationError({"reject_reason": _("Say why the delivery is rejected (e.g. 无检疫证明, 包装破损, "
                                                  "冻肉解冻后再冻).")})
    cleaned = _clean_items(list(items), date, accepted=accepted)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos per delivery.") % {"n": MAX_PHOTOS}})
    # Check and re-encode every photo before anything is written: all or nothing.
    clean_photos = [p if isinstance(p, images.CleanPhoto) else images.clean_photo(p) for p in photos]

    delivery = Delivery(date=date, supplier=supplier, invoice_ref=_text(invoice_ref)[:60],
                        status=Delivery.Status.ACCEPTED if accepted else Delivery.Status.REJECTED,
                        reject_reason="" if accepted else reject_reason[:200], note=_text(note)[:200],
                        checked_by=by, checked_at=now)
    if accepted:
        delivery._change_reason = history_reason(gettext_noop("checked and accepted (%(n)s items)"), n=len(cleaned))
    else:
        delivery._change_reason = history_reason(gettext_noop("checked and rejected: %(reason)s"),
                                                 reason=delivery.reject_reason)
    delivery._history_user = by
    saved = insert_once(delivery, user=by, owner_field="checked_by_id", submit_token=submit_token,
                        number_prefix="JH", now=now)
    if saved is not delivery:
        return saved
    for data in cleaned:
        item = DeliveryItem(delivery=delivery, **data)
        item._history_user = by
        item._change_reason = history_reason(gettext_noop("recorded"))
        item.save()
    for content in clean_photos:
        photo = DeliveryPhoto(delivery=delivery, image=content, uploaded_by=by, uploaded_at=now)
        photo._history_user = by
        photo.save()
    return delivery


@transaction.atomic
def delivery_correct(*, delivery_id, by, reason, expected_version=None, items=None, **fields):
    """Correct the words of a recorded delivery (invoice number, note, why rejected; its items' names,
    batches, shelf life, certificates) with a reason kept in its history. Quantities, dates, the supplier
    and the result stay as checked.

    items: {item id: {field: text}} for the items to correct."""
    require(by, "canteen.change_delivery")
    delivery = lock(Delivery.objects.select_related("supplier"), delivery_id, expected_version, by=by)
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(_("Only the words of a delivery can be corrected (not %(fields)s).")
                              % {"fields": ", ".join(sorted(unknown))}, code="not_correctable")
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    accepted = delivery.status == Delivery.Status.ACCEPTED
    changed = []
    for name, value in fields.items():
        if value is None:
            continue
        value = _text(value)[:Delivery._meta.get_field(name).max_length]
        if name == "reject_reason" and accepted:
            if value:
                raise ValidationError({"reject_reason": _("This delivery was accepted: it has no reason for a "
                                                          "rejection.")})
            continue
        if name == "reject_reason" and not value:
            raise ValidationError({"reject_reason": _("A rejected delivery keeps the reason it was rejected.")})
        if getattr(delivery, name) != value:
            setattr(delivery, name, value)
            changed.append(name)

    item_rows = list(delivery.items.select_for_update().order_by("pk"))
    by_id = {item.pk: item for item in item_rows}
    changed_items = []
    for item_id, values in (items or {}).items():
        item = by_id.get(int(item_id))
        if item is None:
            raise ValidationError(_("That item is not part of this delivery."), code="item")
        unknown = set(values) - set(ITEM_CORRECTABLE)
        if unknown:
            raise ValidationError(_("Only the words of an item can be corrected (not %(fields)s).")
                                  % {"fields": ", ".join(sorted(unknown))}, code="not_correctable")
        touched = False
        for name, value in values.items():
            if value is None:
                continue
            value = _text(value)[:DeliveryItem._meta.get_field(name).max_length]
            if getattr(item, name) != value:
                setattr(item, name, value)
                touched = True
        if touched:
            changed_items.append(item)
    if not changed and not changed_items:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    # The corrected items still meet the record's rules.
    _clean_items([{f: getattr(item, f) for f in ("name", "spec", "quantity", "unit", "production_date", "batch",
                                                  "shelf_life", "is_meat", "quarantine_cert")}
                  for item in item_rows], delivery.date, accepted=accepted)
    now = timezone.now()
    text = history_reason(gettext_noop("corrected: %(reason)s"), reason=reason[:200])
    for item in changed_items:
        item._history_date = now  # one moment: the delivery's page shows the items' changes in its entry
        save_with_history(item, by, text)
    delivery._history_date = now
    return save_with_history(delivery, by, text)
