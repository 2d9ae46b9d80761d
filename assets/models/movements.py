"""Loans and returns (借还), damage and compensation (公物损坏赔偿), write-off (报损/报废)."""
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.services import display_name

from .register import Asset


class AssetLoan(models.Model):
    """Who borrowed what and until when; returned with its condition."""

    class Status(models.TextChoices):
        OUT = "out", _("On loan")
        RETURNED = "returned", _("Returned")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        DAMAGED = "damaged", _("Damaged")
        LOST = "lost", _("Lost")

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="loans")
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("borrower"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="asset_loans")
    borrower_name = models.CharField(_("borrower (if not a user)"), max_length=60, blank=True,
                                     help_text=_("E.g. a class, a parent committee, another school."))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lent by"), on_delete=models.PROTECT,
                                related_name="+")
    lent_on = models.DateField(_("lent on"), default=timezone.localdate)
    due_on = models.DateField(_("due back on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OUT)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("returned to"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    return_condition = models.CharField(_("condition on return"), max_length=10, choices=Condition.choices,
                                        blank=True)
    return_note = models.CharField(_("note on return"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-lent_on", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self):
        return f"{self.asset} → {self.borrower_display}"

    @property
    def borrower_display(self):
        if self.borrower_id:
            return display_name(self.borrower)
        return self.borrower_name

    @property
    def is_overdue(self):
        return self.status == self.Status.OUT and self.due_on < timezone.localdate()

    @property
    def can_return(self):
        return self.status == self.Status.OUT


class DamageRecord(models.Model):
    """Damage to school property, who is responsible, and the compensation assessed, paid or waived."""

    class Status(models.TextChoices):
        ASSESSED = "assessed", _("Assessed, awaiting payment")
        PAID = "paid", _("Paid")
        WAIVED = "waived", _("Waived")

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="damages")
    occurred_on = models.DateField(_("happened on"), default=timezone.localdate)
    description = models.TextField(_("what happened"))
    responsible = models.CharField(_("responsible person"), max_length=100,
                                   help_text=_("E.g. a pupil and class (三(2)班 张某), a member of staff, unknown."))
    assessed_amount = models.DecimalField(_("compensation assessed (yuan)"), max_digits=12, decimal_places=2,
                                          validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSESSED)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    waive_reason = models.CharField(_("why waived"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("settled by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("damage record")
        verbose_name_plural = _("damage records")

    def __str__(self):
        return f"{self.asset} · {self.occurred_on}"

    @property
    def can_settle(self):
        """Assessed damage is paid or waived once."""
        return self.status == self.Status.ASSESSED


class WriteOff(models.Model):
    """A request to write off (报损/报废) an asset: the head approves, and above a limit the principal too."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting the head of logistics")
        HEAD_APPROVED = "head_approved", _("Awaiting the principal")
        APPROVED = "approved", _("Approved, written off")
        REJECTED = "rejected", _("Rejected")

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="write_offs")
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    reason = models.TextField(_("reason"))
    value = models.DecimalField(_("book value (yuan)"), max_digits=14, decimal_places=2,
                                help_text=_("Unit price × quantity when requested."))
    needs_principal = models.BooleanField(_("needs the principal"), default=False)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    head_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head of logistics"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    head_decided_at = models.DateTimeField(_("head decided at"), null=True, blank=True)
    principal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("principal"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="+")
    principal_decided_at = models.DateTimeField(_("principal decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        permissions = [
            ("decide_writeoff", _("Can approve write-offs as head of logistics")),
            ("decide_writeoff_principal", _("Can approve write-offs above the limit as principal")),
        ]

    def __str__(self):
        return f"{self.asset} × {self.quantity}"

    @property
    def is_principal_step(self):
        """The head has approved; the principal decides now."""
        return self.status == self.Status.HEAD_APPROVED

    def is_requester(self, user):
        return self.requested_by_id == user.pk


def write_off_photo_path(instance, filename):
    return f"writeoffs/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class WriteOffPhoto(models.Model):
    write_off = models.ForeignKey(WriteOff, verbose_name=_("write-off"), on_delete=models.CASCADE,
                                  related_name="photos")
    image = models.ImageField(_("photo"), upload_to=write_off_photo_path, width_field="width",
                              height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("write-off photo")
        verbose_name_plural = _("write-off photos")

    def __str__(self):
        return f"{self.write_off} #{self.pk}"


__all__ = ["AssetLoan", "DamageRecord", "WriteOff", "WriteOffPhoto", "write_off_photo_path"]
