"""Reads of suppliers and deliveries that several pages (the canteen's today page, the home sections, the
term summary) share, with their joins decided here."""
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Figure

from ..models import CanteenSettings, Delivery, DeliveryItem, Supplier, SupplierDocument

CHAPTER = "canteen"


@dataclass
class Expiring:
    """A supplier's licence or one of its documents that has expired or expires soon."""

    supplier: Supplier
    document: Any  # a SupplierDocument, or None for the licence itself
    title: str
    expires: datetime.date
    days_left: int  # negative: expired that many days ago

    @property
    def expired(self):
        return self.days_left < 0

    @property
    def is_licence(self):
        return self.document is None


def warning_days():
    return CanteenSettings.get().certificate_warning_days


def licence_state(supplier, today, days):
    """"expired", "expiring" (within days) or "valid" for a supplier's licence on today."""
    if supplier.licence_expires < today:
        return "expired"
    if supplier.licence_expires <= today + datetime.timedelta(days=days):
        return "expiring"
    return "valid"


def licences_expiring(today=None, days=None):
    """[Expiring] of the suppliers in use: licences and documents expired or expiring within `days` (the
    settings' certificate_warning_days by default), soonest first. Two queries (three with the settings)."""
    today = today or timezone.localdate()
    days = warning_days() if days is None else days
    limit = today + datetime.timedelta(days=days)
    found = [
        Expiring(s, None, str(s.get_licence_kind_display()), s.licence_expires, (s.licence_expires - today).days)
        for s in Supplier.objects.filter(active=True, licence_expires__lte=limit)
    ]
    found += [
        Expiring(d.supplier, d, d.title, d.expires, (d.expires - today).days)
        for d in SupplierDocument.objects.filter(supplier__active=True, expires__isnull=False, expires__lte=limit)
        .select_related("supplier")
    ]
    return sorted(found, key=lambda e: (e.expires, e.supplier.name, e.title))


def supplier_list(data=None, today=None, days=None):
    """Suppliers with their delivery counts, filtered by SupplierFilterForm's cleaned data."""
    today = today or timezone.localdate()
    days = warning_days() if days is None else days
    qs = Supplier.objects.annotate(delivery_count=Count("deliveries"))
    data = data or {}
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(goods__icontains=q) | Q(licence_number__icontains=q)
                       | Q(contact__icontains=q))
    state = data.get("state") or "active"
    if state == "active":
        qs = qs.filter(active=True)
    elif state == "inactive":
        qs = qs.filter(active=False)
    licence = data.get("licence")
    limit = today + datetime.timedelta(days=days)
    if licence == "expired":
        qs = qs.filter(licence_expires__lt=today)
    elif licence == "expiring":
        qs = qs.filter(licence_expires__gte=today, licence_expires__lte=limit)
    elif licence == "valid":
        qs = qs.filter(licence_expires__gte=today)
    return qs.order_by("-active", "name")


def delivery_list(data=None):
    """Deliveries with what a list row shows, newest first, filtered by DeliveryFilterForm's cleaned data."""
    qs = (Delivery.objects.select_related("supplier", "checked_by")
          .annotate(item_count=Count("items", distinct=True), photo_count=Count("photos", distinct=True))
          .order_by("-date", "-number"))
    data = data or {}
    if start := data.get("date_from"):
        qs = qs.filter(date__gte=start)
    if end := data.get("date_to"):
        qs = qs.filter(date__lte=end)
    if supplier := data.get("supplier"):
        qs = qs.filter(supplier=supplier)
    if status := data.get("status"):
        qs = qs.filter(status=status)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(invoice_ref__icontains=q) | Q(items__name__icontains=q)
                       | Q(reject_reason__icontains=q)).distinct()
    return qs


def deliveries_on(date):
    """The deliveries checked on a day, in the order they arrived, with supplier, checker and item count."""
    return (Delivery.objects.filter(date=date).select_related("supplier", "checked_by")
            .annotate(item_count=Count("items")).order_by("checked_at", "pk"))


def delivery_log(first, last):
    """The items of the deliveries from first to last (days), for the printed 进货查验记录: one row per item,
    in the order they arrived, with the delivery, its supplier and checker joined."""
    return list(DeliveryItem.objects.filter(delivery__date__gte=first, delivery__date__lte=last)
                .select_related("delivery__supplier", "delivery__checked_by")
                .order_by("delivery__date", "delivery__checked_at", "delivery__pk", "pk"))


def term_figures(term):
    """[Figure] of the term's deliveries (checked, rejected, meat with its quarantine certificate) and of the
    suppliers in use as they stand now: licence valid (expiring ones included), expiring within the warning
    days, expired (an open item). Four queries."""
    today = timezone.localdate()
    days = warning_days()
    deliveries = Delivery.objects.filter(date__gte=term.start, date__lte=term.end).aggregate(
        checked=Count("pk"), rejected=Count("pk", filter=Q(status=Delivery.Status.REJECTED)))
    # Meat accepted in the term, and how much of it came with its quarantine certificate number (a rejected
    # delivery is the check working, not a gap in it).
    meat = DeliveryItem.objects.filter(delivery__date__gte=term.start, delivery__date__lte=term.end,
                                       delivery__status=Delivery.Status.ACCEPTED, is_meat=True).aggregate(
        n=Count("pk"), certified=Count("pk", filter=~Q(quarantine_cert="")))
    limit = today + datetime.timedelta(days=days)
    suppliers = Supplier.objects.filter(active=True).aggregate(
        valid=Count("pk", filter=Q(licence_expires__gte=today)),
        expiring=Count("pk", filter=Q(licence_expires__gte=today, licence_expires__lte=limit)),
        expired=Count("pk", filter=Q(licence_expires__lt=today)))
    certified = round(100 * meat["certified"] / meat["n"]) if meat["n"] else None
    # On the canteen manager's dashboard: the licences to renew (the day's page lists them by name).
    home = (roles.CANTEEN,)
    return [
        Figure("deliveries.checked", _("deliveries checked on arrival"), deliveries["checked"], chapter=CHAPTER,
               order=60),
        Figure("deliveries.rejected", _("deliveries rejected"), deliveries["rejected"], chapter=CHAPTER, order=61),
        Figure("deliveries.meat_items", _("meat and poultry items accepted"), meat["n"], chapter=CHAPTER, order=62),
        Figure("deliveries.meat_certified_percent", _("meat and poultry accepted with a quarantine certificate"),
               certified, "%", chapter=CHAPTER, order=63),
        Figure("suppliers.valid", _("suppliers with a valid licence"), suppliers["valid"], chapter=CHAPTER,
               order=64),
        Figure("suppliers.expiring", _("supplier licences expiring soon"), suppliers["expiring"], chapter=CHAPTER,
               order=65, home=home),
        Figure("suppliers.expired", _("suppliers whose licence has expired"), suppliers["expired"],
               chapter=CHAPTER, order=66, carry=True, home=home),
    ]
