"""Suppliers with their licences and certificates (索证), and the check of every delivery (进货查验, 索票)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import delivery_photo_path, supplier_document_path


class Supplier(models.Model):
    """A food supplier. A delivery from a supplier whose licence has expired is refused."""

    class LicenceKind(models.TextChoices):
        FOOD_TRADE = "food_trade", _("Food trade licence (食品经营许可证)")
        FOOD_PRODUCTION = "food_production", _("Food production licence (食品生产许可证)")
        BUSINESS = "business", _("Business licence (营业执照)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    goods = models.CharField(_("what they supply"), max_length=120, blank=True,
                             help_text=_("e.g. 蔬菜, 肉类, 米面粮油"))
    licence_kind = models.CharField(_("licence"), max_length=16, choices=LicenceKind.choices,
                                    default=LicenceKind.FOOD_TRADE)
    licence_number = models.CharField(_("licence number"), max_length=60)
    licence_expires = models.DateField(_("licence valid until"))
    active = models.BooleanField(_("supplies us now"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name

    def licence_valid_on(self, day):
        return self.licence_expires >= day


class SupplierDocument(models.Model):
    """A certificate of a supplier kept on file (licence scan, inspection report, quarantine permit)."""

    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE,
                                 related_name="documents")
    title = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to=supplier_document_path)
    expires = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["supplier", "title"]
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")

    def __str__(self):
        return f"{self.supplier} · {self.title}"


class Delivery(models.Model):
    """A delivery checked on arrival (进货查验): accepted, or rejected with a reason."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    date = models.DateField(_("delivered on"))
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT,
                                 related_name="deliveries")
    invoice_ref = models.CharField(_("invoice or delivery note number"), max_length=60, blank=True)
    status = models.CharField(_("result"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    reject_reason = models.CharField(_("why rejected"), max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return self.number


class DeliveryItem(models.Model):
    """One line of a delivery, with what the record needs: batch or production date, shelf life, and for meat
    the quarantine certificate number."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE,
                                 related_name="items")
    name = models.CharField(_("item"), max_length=60)
    spec = models.CharField(_("specification"), max_length=60, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, default="kg")
    production_date = models.DateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=30, blank=True, help_text=_("e.g. 12个月, 3天"))
    is_meat = models.BooleanField(_("meat or poultry"), default=False)
    quarantine_cert = models.CharField(_("quarantine certificate number"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivered item")
        verbose_name_plural = _("delivered items")

    def __str__(self):
        return self.name


class DeliveryPhoto(models.Model):
    """A photo of a delivery's certificates or invoice (索证索票), re-encoded on upload."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE,
                                 related_name="photos")
    image = models.ImageField(_("photo"), upload_to=delivery_photo_path, width_field="width",
                              height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery photo")
        verbose_name_plural = _("delivery photos")

    def __str__(self):
        return f"{self.delivery} #{self.pk}"
