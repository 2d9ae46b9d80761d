"""The asset register (校产): categories and assets, one record per item or per batch."""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import Department, Location

# GB/T 14885-2022: "A" and four levels of two digits (A02010105); the 2010 edition used 7 digits.
CATEGORY_CODE_RE = re.compile(r"^A\d{2}(\d{2}){0,3}$|^\d{7}$")


def validate_category_code(value):
    if value and not CATEGORY_CODE_RE.match(value):
        raise ValidationError(
            _("A national classification code looks like A02010105 (GB/T 14885-2022) or 2010105 (2010 edition)."),
            code="code",
        )


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("Government funding (财政拨款)")
    SELF = "self", _("School's own funds (自筹)")
    DONATION = "donation", _("Donation (捐赠)")
    OTHER = "other", _("Other")


class AssetCategory(models.Model):
    """A kind of asset, optionally with its national classification code (GB/T 14885)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.CharField(_("classification code"), max_length=12, blank=True,
                            validators=[validate_category_code],
                            help_text=_("GB/T 14885-2022, e.g. A02010105 for desktop computers. Optional."))
    is_fixed_asset = models.BooleanField(
        _("fixed asset"), default=True,
        help_text=_("Untick for low-value items registered in batches (desks, books, sports equipment)."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "name"]
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class Asset(models.Model):
    """One registered item, or a batch of identical items counted together (45 sets of desks)."""

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        IDLE = "idle", _("Idle")
        ON_LOAN = "on_loan", _("On loan")
        UNDER_REPAIR = "under_repair", _("Under repair")
        DAMAGED = "damaged", _("Damaged")
        WRITTEN_OFF = "written_off", _("Written off")
        LOST = "lost", _("Lost")

    # Statuses that leave the active register (kept, with their value, for the year's report).
    INACTIVE_STATUSES = (Status.WRITTEN_OFF, Status.LOST)

    tag = models.CharField(_("asset tag"), max_length=20, unique=True, editable=False,
                           help_text=_("Given by the register, e.g. ZC-2026-00001."))
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("model / specification"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    category = models.ForeignKey(AssetCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="assets")
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT,
                                 related_name="assets")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("custodian (责任人)"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="custody_assets")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="assets")
    funding_source = models.CharField(_("funding source"), max_length=10, choices=FundingSource.choices,
                                      default=FundingSource.FISCAL)
    acquired_on = models.DateField(_("acquired on"), default=timezone.localdate)
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(0)])
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, default="台", help_text=_("台, 套, 张, 册, 盆 …"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_USE,
                              db_index=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    disposed_on = models.DateField(_("left the register on"), null=True, blank=True,
                                   help_text=_("Set when written off or recorded as lost."))
    disposed_value = models.DecimalField(_("value when it left (yuan)"), max_digits=14, decimal_places=2,
                                         null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Raised by every save, whichever service makes it (edit, loan, stocktake, write-off), so an edit
    # made on a page opened before another change is noticed instead of undoing that change.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tag"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        indexes = [
            models.Index(fields=["location", "status"], name="asset_location_status"),
            models.Index(fields=["category", "status"], name="asset_category_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="asset_price_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="asset_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.tag} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def total_value(self):
        return self.unit_price * self.quantity

    @property
    def is_active(self):
        return self.status not in self.INACTIVE_STATUSES


__all__ = ["CATEGORY_CODE_RE", "Asset", "AssetCategory", "FundingSource", "validate_category_code"]
