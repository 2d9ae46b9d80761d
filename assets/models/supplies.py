"""Consumable supplies (物品领用): stock in, issue on request and need, term-start distribution,
and print/copy requests (文印)."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from logistics.models import Department, Location, Term


class SupplyItem(models.Model):
    """A consumable kept in stock, counted in whole units."""

    class Kind(models.TextChoices):
        TEXTBOOK = "textbook", _("Textbooks and workbooks")
        OFFICE = "office", _("Office supplies")
        CLEANING = "cleaning", _("Cleaning supplies")
        PAPER = "paper", _("Paper")
        TONER = "toner", _("Toner and ink")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    unit = models.CharField(_("unit"), max_length=10, default="个", help_text=_("本, 包, 箱, 支, 个 …"))
    stock = models.IntegerField(_("in stock"), default=0, editable=False)
    low_stock_threshold = models.PositiveIntegerField(_("warn below"), default=0,
                                                      help_text=_("Show a low-stock warning below this quantity."))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        constraints = [
            models.UniqueConstraint(fields=["name", "spec"], name="supply_item_unique_name_spec"),
            # Stock never goes below zero, whatever two people do at once.
            models.CheckConstraint(condition=Q(stock__gte=0), name="supply_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.name} {self.spec}".strip()

    @property
    def is_low(self):
        return self.stock < self.low_stock_threshold


class StockMovement(models.Model):
    """Every change of stock, in or out, with the balance after it: the item's ledger."""

    class Kind(models.TextChoices):
        IN = "in", _("Stock in")
        ISSUE = "issue", _("Issued on requisition")
        DISTRIBUTION = "distribution", _("Term-start distribution")
        ADJUST = "adjust", _("Adjustment")

    item = models.ForeignKey(SupplyItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    change = models.IntegerField(_("change"))
    balance = models.IntegerField(_("balance after"))
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, verbose_name=_("class or room"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("who moved the stock", "by"),
                           on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")

    def __str__(self):
        return f"{self.item} {self.change:+d}"


class Requisition(models.Model):
    """A class's or office's request for supplies, with a reason; logistics issues what is needed."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ISSUED = "issued", _("Issued")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="requisitions")
    location = models.ForeignKey(Location, verbose_name=_("class or room"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="requisitions")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="requisitions")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued or rejected by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # One per form shown, so a double click or a resent form cannot make a second requisition.
    submit_token = models.UUIDField(_("submission token"), unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        permissions = [("issue_requisition", _("Can issue supplies on requisitions"))]

    def __str__(self):
        return self.number

    @property
    def can_issue(self):
        return self.status == self.Status.SUBMITTED

    can_reject = can_cancel = can_issue

    @property
    def place(self):
        """Who it is for: the class or room, else the department."""
        return self.location.name if self.location_id else str(self.department or "")


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, verbose_name=_("requisition"), on_delete=models.CASCADE,
                                    related_name="lines")
    item = models.ForeignKey(SupplyItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity_requested = models.PositiveIntegerField(_("requested"), validators=[MinValueValidator(1)])
    quantity_issued = models.PositiveIntegerField(_("issued"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        constraints = [
            models.UniqueConstraint(fields=["requisition", "item"], name="one_line_per_item"),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity_requested}"


class Distribution(models.Model):
    """A term-start bulk issue (textbooks, workbooks, supplies) to classes, with a sign-for sheet."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    title = models.CharField(_("title"), max_length=100)
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="distributions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submit_token = models.UUIDField(_("submission token"), unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self):
        return self.title

    @property
    def can_issue(self):
        return self.status == self.Status.DRAFT

    can_change = can_issue


class DistributionLine(models.Model):
    distribution = models.ForeignKey(Distribution, verbose_name=_("distribution"), on_delete=models.CASCADE,
                                     related_name="lines")
    location = models.ForeignKey(Location, verbose_name=_("class or room"), on_delete=models.PROTECT,
                                 related_name="+")
    item = models.ForeignKey(SupplyItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["location__building__sort_order", "location__floor", "location__name", "item__name"]
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")
        constraints = [
            models.UniqueConstraint(fields=["distribution", "location", "item"], name="one_distribution_line"),
        ]

    def __str__(self):
        return f"{self.location} · {self.item} × {self.quantity}"


class PrintRequest(models.Model):
    """A print or copy job (文印) for a department; large jobs need the head's approval first."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved, to print")
        DONE = "done", pgettext_lazy("print request status", "Printed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="print_requests")
    title = models.CharField(_("what to print"), max_length=120)
    pages = models.PositiveIntegerField(_("pages per copy"), validators=[MinValueValidator(1)])
    copies = models.PositiveIntegerField(_("copies"), validators=[MinValueValidator(1)])
    double_sided = models.BooleanField(_("double-sided"), default=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="print_requests")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("printed by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submit_token = models.UUIDField(_("submission token"), unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("print request")
        verbose_name_plural = _("print requests")
        permissions = [
            ("approve_printrequest", _("Can approve large print jobs")),
            ("do_printrequest", _("Can carry out print jobs")),
        ]

    def __str__(self):
        return self.title

    @property
    def can_approve(self):
        return self.status == self.Status.SUBMITTED

    can_reject = can_approve

    @property
    def can_print(self):
        return self.status == self.Status.APPROVED

    @property
    def can_cancel(self):
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)

    @property
    def total_pages(self):
        return self.pages * self.copies

    @property
    def sheets(self):
        """Sheets of paper used: double-sided prints use half (rounded up) per copy."""
        per_copy = (self.pages + 1) // 2 if self.double_sided else self.pages
        return per_copy * self.copies


__all__ = ["Distribution", "DistributionLine", "PrintRequest", "Requisition", "RequisitionLine", "StockMovement",
           "SupplyItem"]
