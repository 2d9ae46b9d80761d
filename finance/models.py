"""The school's money: budget lines, purchase requests and their approval, quotes, orders,
acceptance, invoices with three sign-offs, the ledger, fees collected on behalf, and student aid."""
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.files import random_upload_path
from logistics.models import Department, Location, Term
from logistics.services import format_money

from .module_settings import AidDecider

MONEY = {"max_digits": 12, "decimal_places": 2}


# Attached documents are stored under random names (checked by logistics.files, served by the finance views).
def meeting_file_path(instance, filename):
    return random_upload_path("finance/meetings", filename)


def quote_file_path(instance, filename):
    return random_upload_path("finance/quotes", filename)


def invoice_file_path(instance, filename):
    return random_upload_path("finance/invoices", filename)


class Purpose(models.TextChoices):
    """What money is for: an earmarked budget line pays only for its purpose (专款专用)."""

    TEACHING = "teaching", _("Teaching equipment")
    BOOKS = "books", _("Books and textbooks")
    IT = "it", _("IT and multimedia")
    MAINTENANCE = "maintenance", _("Maintenance and repairs")
    SAFETY = "safety", _("Safety")
    CANTEEN = "canteen", _("Canteen")
    OFFICE = "office", _("Office and daily running")
    GREENING = "greening", _("Grounds and greening")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """A line of the year's budget, with its funding source; earmarked lines serve one purpose."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public funds (公用经费)")
        EARMARKED = "earmarked", _("Earmarked (专项)")
        SELF = "self", _("School's own funds (自筹)")
        OTHER = "other", _("Other")

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("funding source"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, blank=True,
                               help_text=_("For earmarked lines: the only purpose they may pay for."))
    amount = models.DecimalField(_("budget (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="budget_line_unique_name_per_year"),
            models.CheckConstraint(condition=~Q(kind="earmarked") | ~Q(purpose=""),
                                   name="earmarked_line_has_purpose"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    @property
    def is_earmarked(self):
        return self.kind == self.Kind.EARMARKED


class PurchaseRequest(models.Model):
    """A department's request to buy, routed for approval by amount, then ordered, accepted and paid."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_HEAD = "awaiting_head", _("Awaiting the head of logistics")
        AWAITING_PRINCIPAL = "awaiting_principal", _("Awaiting the principal")
        AWAITING_MEETING = "awaiting_meeting", _("Awaiting the school-affairs meeting")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved, to order")
        ORDERED = "ordered", _("Ordered")
        ACCEPTED = "accepted", _("Goods accepted")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    AWAITING = (Status.AWAITING_HEAD, Status.AWAITING_PRINCIPAL, Status.AWAITING_MEETING)
    # Approved money not yet paid counts as committed on its budget line.
    COMMITTED = (Status.APPROVED, Status.ORDERED, Status.ACCEPTED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # Quotes are gathered before the first approval.
    QUOTE_STATUSES = (Status.DRAFT, Status.RETURNED, Status.AWAITING_HEAD)
    # The steps of a route (Approval.Step values), in the order they come, and the status waiting for each.
    STEPS = ("head", "principal", "meeting")
    STEP_STATUS = {"head": Status.AWAITING_HEAD, "principal": Status.AWAITING_PRINCIPAL,
                   "meeting": Status.AWAITING_MEETING}
    STEP_PERM = {"head": "finance.approve_as_head", "principal": "finance.approve_as_principal",
                 "meeting": "finance.record_meeting"}

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="purchase_requests")
    title = models.CharField(_("what to buy"), max_length=120)
    reason = models.TextField(_("reason"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.TEACHING)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="purchase_requests")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="purchase_requests")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    estimated_total = models.DecimalField(_("estimated total (yuan)"), default=0, **MONEY)
    # Quotes (货比三家) and the choice among them.
    chosen_quote = models.ForeignKey("Quote", verbose_name=_("chosen quote"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    choice_reason = models.CharField(_("why not the cheapest"), max_length=300, blank=True)
    # The school-affairs meeting (校务会) resolution for large sums.
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_minute = models.CharField(_("minute reference"), max_length=60, blank=True)
    meeting_attachment = models.FileField(_("minutes (file)"), upload_to=meeting_file_path, blank=True)
    overspend_warning = models.CharField(_("overspend warning"), max_length=300, blank=True)
    # Ordering (双人采购 above a limit).
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    purchaser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("purchaser"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    second_purchaser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("second purchaser"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    order_total = models.DecimalField(_("order total (yuan)"), null=True, blank=True, **MONEY)
    # Acceptance (验收) by someone who did not buy.
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_total = models.DecimalField(_("accepted total (yuan)"), null=True, blank=True, **MONEY)
    # The approval route, fixed when the request is submitted from the limits of that day, so a later
    # change of the limits does not re-route a request in flight.
    route = models.JSONField(_("approval route"), default=list, blank=True,
                             help_text=_("The steps that decide this request, fixed when it was submitted."))
    submit_token = models.UUIDField(_("submission token"), unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        permissions = [
            ("approve_as_head", _("Can approve purchases as head of logistics")),
            ("approve_as_principal", _("Can approve purchases as principal")),
            ("record_meeting", _("Can record a school-affairs meeting resolution")),
            ("order_purchase", _("Can order and accept purchases")),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    # Guards shared by services and templates -------------------------------------------
    @property
    def is_awaiting(self):
        return self.status in self.AWAITING

    def is_requester(self, user):
        return self.requested_by_id == user.pk

    @property
    def can_edit(self):
        """A draft or a returned request can be changed and (re)submitted by its requester."""
        return self.status in self.EDITABLE

    can_submit = can_edit

    def may_edit(self, user):
        return self.can_edit and self.is_requester(user)

    @property
    def can_cancel(self):
        return self.status in self.EDITABLE + self.AWAITING

    def may_cancel(self, user):
        return self.can_cancel and self.is_requester(user)

    @property
    def can_quote(self):
        return self.status in self.QUOTE_STATUSES

    def keeps_quotes(self, user):
        """The requester and logistics gather quotes."""
        return self.is_requester(user) or (user.is_active and user.has_perm("finance.add_quote"))

    def may_quote(self, user):
        return self.can_quote and self.keeps_quotes(user)

    @property
    def current_step(self):
        """The step (an Approval.Step value) waiting for a decision, or None."""
        for step, status in self.STEP_STATUS.items():
            if self.status == status:
                return step
        return None

    def may_decide(self, user):
        """Whether this user may decide the current step: the step's role, never on one's own request."""
        step = self.current_step
        return bool(step and user.is_active and user.has_perm(self.STEP_PERM[step]) and not self.is_requester(user))

    # What an approval or a submission still lacks: messages, empty when the move can succeed. The
    # services refuse with the same messages, so a page offers only the moves that will work.
    QUOTES_NEEDED = 3

    def needs_quotes(self, profile):
        """Three quotes from three vendors (货比三家) are needed above the school's limit."""
        return self.estimated_total > profile.quotes_required_above

    def quote_gaps(self, profile):
        """What the quotes lack before the head may approve (uses prefetched quotes when there are)."""
        if not self.needs_quotes(profile):
            return []
        n = len(self.quotes.all())
        if n < self.QUOTES_NEEDED:
            return [gettext("Above %(limit)s three quotes from three vendors are needed before approval; "
                            "this request has %(n)s.") % {"limit": format_money(profile.quotes_required_above), "n": n}]
        if self.chosen_quote_id is None:
            return [gettext("Choose one of the quotes first.")]
        return []

    def submit_gaps(self, profile):
        """What is missing before the request can be sent: a budget line, items, the quotes."""
        gaps = []
        if self.budget_line_id is None:
            gaps.append(gettext("Choose the budget line that pays for it before submitting."))
        if not self.items.exists():
            gaps.append(gettext("Add at least one item."))
        return gaps + self.quote_gaps(profile)

    def approved_earlier_by(self, user):
        """Whether user approved an earlier step since the request was (last) submitted."""
        return any(a.by_id == user.pk and a.decision == Approval.Decision.APPROVED
                   and (self.submitted_at is None or a.at >= self.submitted_at) for a in self.approvals.all())

    def approve_gaps(self, user, profile, remaining=None):
        """Why this user's approval of the current step would be refused ([] when it would succeed);
        remaining: the budget line's money left, when known."""
        step = self.current_step
        if step is None or step == "meeting":
            return []  # nothing to approve, or the meeting's resolution is recorded instead
        gaps = self.quote_gaps(profile) if step == "head" else []
        if self.approved_earlier_by(user):
            gaps.append(gettext("You already approved an earlier step of this request; "
                                "the next step is someone else's."))
        if (remaining is not None and not profile.allow_overspend and self.budget_line_id
                and self.estimated_total > remaining):
            gaps.append(gettext("“%(line)s” has %(remaining)s left; this request needs %(total)s.")
                        % {"line": self.budget_line.name, "remaining": format_money(remaining),
                           "total": format_money(self.estimated_total)})
        return gaps

    def status_after(self, step):
        """The status once step approves: the next step of the request's fixed route, or approved."""
        later = self.route[self.route.index(step) + 1:] if step in self.route else []
        return self.STEP_STATUS[later[0]] if later else self.Status.APPROVED

    @property
    def route_labels(self):
        return [str(Approval.Step(step).label) for step in self.route]

    @staticmethod
    def history_value(field, value):
        """How a history shows a value (logistics.history): the route by its steps' names; None: as usual."""
        if field == "route" and isinstance(value, list):
            return " → ".join(str(Approval.Step(s).label) if s in Approval.Step.values else str(s) for s in value)
        return None

    @property
    def can_order(self):
        return self.status == self.Status.APPROVED

    def quoted_unit_prices(self, items):
        """{item pk: unit price} from the chosen quote: a quote gives a total, spread over the items in
        proportion to their estimate (by quantity when nothing was estimated); {} without a chosen quote."""
        quote = self.chosen_quote
        items = list(items)
        if quote is None or not items:
            return {}
        estimate = sum((i.estimated_unit_price * i.quantity for i in items), Decimal(0))
        cent = Decimal("0.01")
        if estimate:
            return {i.pk: (i.estimated_unit_price * quote.amount / estimate).quantize(cent) for i in items}
        quantity = sum(i.quantity for i in items)
        return {i.pk: (quote.amount / quantity).quantize(cent) for i in items}

    @property
    def has_order(self):
        """Approved or further on: its order page (to order, accept, and its invoices) applies."""
        return self.status in (self.Status.APPROVED, *self.COMMITTED, self.Status.PAID)

    def may_order(self, user):
        return self.can_order and user.is_active and user.has_perm("finance.order_purchase")

    def bought_by(self, user):
        """Whether user was one of the purchasers (who then may not accept the goods)."""
        return user.pk is not None and user.pk in (self.purchaser_id, self.second_purchaser_id)

    @property
    def can_accept(self):
        return self.status == self.Status.ORDERED

    def may_accept(self, user):
        return (self.can_accept and user.is_active and user.has_perm("finance.order_purchase")
                and not self.bought_by(user))

    @property
    def can_invoice(self):
        return self.status in (self.Status.ORDERED, self.Status.ACCEPTED)

    def may_invoice(self, user):
        return self.can_invoice and user.is_active and user.has_perm("finance.add_invoice")

    @property
    def goods_accepted(self):
        """Invoices of a request are paid only once its goods are accepted (验收)."""
        return self.status in (self.Status.ACCEPTED, self.Status.PAID)

    @property
    def expected_amount(self):
        """What an invoice for this request should come to: the accepted total, else the order total."""
        return self.accepted_total if self.accepted_total is not None else self.order_total


class PurchaseItem(models.Model):
    """A line of a purchase request; on acceptance it becomes an asset, stock, or nothing (a service)."""

    class Kind(models.TextChoices):
        ASSET = "asset", _("Fixed asset (goes into the register)")
        SUPPLY = "supply", _("Supplies (go into stock)")
        SERVICE = "service", _("Service or work")

    request = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                related_name="items")
    name = models.CharField(_("item"), max_length=120)
    spec = models.CharField(_("specification"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, default="个")
    estimated_unit_price = models.DecimalField(_("estimated unit price (yuan)"),
                                               validators=[MinValueValidator(0)], **MONEY)
    actual_unit_price = models.DecimalField(_("actual unit price (yuan)"), null=True, blank=True, **MONEY)
    accepted_quantity = models.PositiveIntegerField(_("accepted quantity"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ASSET)
    asset_category = models.ForeignKey("assets.AssetCategory", verbose_name=_("asset category"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, verbose_name=_("where it will be"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    supply_item = models.ForeignKey("assets.SupplyItem", verbose_name=_("supply item"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("purchase item")
        verbose_name_plural = _("purchase items")

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    @property
    def estimated_total(self):
        return self.estimated_unit_price * self.quantity


class Quote(models.Model):
    """A vendor's quote (货比三家)."""

    request = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                related_name="quotes")
    vendor = models.CharField(_("vendor"), max_length=120)
    amount = models.DecimalField(_("quoted total (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    attachment = models.FileField(_("quote (file)"), upload_to=quote_file_path, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["amount", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [models.UniqueConstraint(fields=["request", "vendor"], name="one_quote_per_vendor")]

    def __str__(self):
        return f"{self.vendor} {format_money(self.amount)}"


class Approval(models.Model):
    """One decision on a purchase request: who, at which step, what, when, and why."""

    class Step(models.TextChoices):
        HEAD = "head", _("Head of logistics")
        PRINCIPAL = "principal", _("Principal (一支笔)")
        MEETING = "meeting", _("School-affairs meeting (校务会)")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for changes")

    request = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                related_name="approvals")
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("approver", "by"),
                           on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self):
        return f"{self.request.number} {self.get_step_display()} {self.get_decision_display()}"


class Invoice(models.Model):
    """An invoice for a purchase: paid only after handler, receiver and auditor — three people — sign."""

    class Status(models.TextChoices):
        AWAITING_SIGNATURES = "signing", _("Awaiting signatures")
        SIGNED = "signed", _("Signed, to pay")
        PAID = "paid", _("Paid")

    request = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.PROTECT,
                                related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40)
    issued_on = models.DateField(_("invoice date"))
    amount = models.DecimalField(_("amount (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    attachment = models.FileField(_("invoice (file)"), upload_to=invoice_file_path, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.AWAITING_SIGNATURES)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler (经手人)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    handler_signed_at = models.DateTimeField(_("handler signed at"), null=True, blank=True)
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("receiver (验收人)"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    receiver_signed_at = models.DateTimeField(_("receiver signed at"), null=True, blank=True)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("auditor (审核人)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    auditor_signed_at = models.DateTimeField(_("auditor signed at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("paid by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [("pay_invoice", _("Can mark invoices paid"))]
        constraints = [models.UniqueConstraint(fields=["number"], name="invoice_number_unique")]

    def __str__(self):
        return self.number

    # Guards shared by services and templates -------------------------------------------
    SIGN_ROLES = ("handler", "receiver", "auditor")

    @property
    def amount_differs(self):
        """True when the invoice does not match what was accepted (flagged, not blocked)."""
        expected = self.request.expected_amount
        return expected is not None and self.amount != expected

    @property
    def can_sign(self):
        return self.status == self.Status.AWAITING_SIGNATURES

    def signed_by(self, user):
        return user.pk is not None and user.pk in (self.handler_id, self.receiver_id, self.auditor_id)

    @staticmethod
    def role_may_sign(user, role):
        """Whether this user's role lets them sign an invoice as handler, receiver or auditor."""
        if not user.is_active:
            return False
        if role == "handler":
            return user.has_perm("finance.add_invoice")
        if role == "receiver":
            return user.has_perm("finance.order_purchase")
        if role == "auditor":
            return (user.has_perm("finance.change_invoice") or user.has_perm("finance.approve_as_head")
                    or user.has_perm("finance.approve_as_principal"))
        return False

    def open_signatures(self, user):
        """The roles this user could sign now (none when they have signed already): three different people."""
        if not self.can_sign or self.signed_by(user):
            return []
        return [r for r in self.SIGN_ROLES if getattr(self, f"{r}_id") is None and self.role_may_sign(user, r)]

    @property
    def can_pay(self):
        return self.status == self.Status.SIGNED

    def may_pay(self, user):
        return self.can_pay and user.is_active and user.has_perm("finance.pay_invoice")


class LedgerEntry(models.Model):
    """An income or expense entry of the school's books (payments, funds received, fees)."""

    class Direction(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Category(models.TextChoices):
        FUNDS = "funds", _("Funds received")
        PURCHASE = "purchase", _("Purchase payment")
        OFFICE = "office", _("Office expenses")
        FEES = "fees", _("Fees collected on behalf")
        FEE_SPENT = "fee_spent", _("Fees spent")
        SERVICE = "service", _("Service charges")
        REFUND = "refund", _("Refunds")
        AID = "aid", _("Student aid paid")
        DAMAGES = "damages", _("Compensation received")
        OTHER = "other", _("Other")

    # Written by the service that moves the money (paying an invoice, collecting, spending or refunding a fee,
    # paying aid, receiving compensation), never entered by hand: that would count the money twice.
    POSTED = ("purchase", "fees", "fee_spent", "aid", "damages")

    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    direction = models.CharField(_("income or expense"), max_length=8, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    description = models.CharField(_("description"), max_length=200)
    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="ledger_entries")
    invoice = models.OneToOneField(Invoice, verbose_name=_("invoice"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="ledger_entry")
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.date} {self.get_direction_display()} {format_money(self.amount)}"


def _public_token():
    return uuid.uuid4().hex


class FeeItem(models.Model):
    """A fee collected on behalf (代收费) for a term, e.g. 作业本费 15 yuan per pupil."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="fee_items")
    name = models.CharField(_("fee"), max_length=60)
    amount_per_pupil = models.DecimalField(_("per pupil (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    description = models.TextField(_("what it pays for"), blank=True)
    policy = models.TextField(_("waivers and policy"), blank=True,
                              help_text=_("E.g. who is exempt; shown on the public notice."))
    public_token = models.CharField(_("public link key"), max_length=32, unique=True, default=_public_token,
                                    editable=False)
    published = models.BooleanField(_("published"), default=False)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("settled by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["public_token"])

    class Meta:
        ordering = ["-term__start", "name"]
        verbose_name = _("fee collected on behalf")
        verbose_name_plural = _("fees collected on behalf")
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="fee_unique_per_term")]

    def __str__(self):
        return f"{self.term} {self.name}"

    @property
    def is_settled(self):
        return self.settled_at is not None

    @property
    def can_change(self):
        """Its figures (fee, classes, spending) can be changed until it is settled; settling is final."""
        return self.settled_at is None

    can_settle = can_change


class FeeClass(models.Model):
    """One class's pupils and what was collected from them for a fee."""

    fee = models.ForeignKey(FeeItem, verbose_name=_("fee"), on_delete=models.CASCADE, related_name="classes")
    location = models.ForeignKey(Location, verbose_name=_("class"), on_delete=models.PROTECT, related_name="+")
    pupils = models.PositiveIntegerField(_("pupils"))
    exempt = models.PositiveIntegerField(_("exempt pupils"), default=0)
    collected = models.DecimalField(_("collected (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["location__building__sort_order", "location__floor", "location__name"]
        verbose_name = _("class collection")
        verbose_name_plural = _("class collections")
        constraints = [models.UniqueConstraint(fields=["fee", "location"], name="fee_class_unique")]

    def __str__(self):
        return f"{self.fee} · {self.location}"


class FeeSpending(models.Model):
    """What a fee's money was spent on."""

    fee = models.ForeignKey(FeeItem, verbose_name=_("fee"), on_delete=models.CASCADE, related_name="spendings")
    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.CharField(_("spent on"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("fee spending")
        verbose_name_plural = _("fee spendings")

    def __str__(self):
        return f"{self.fee} {self.description} {format_money(self.amount)}"


class AidQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of aid see every application; a class teacher sees the ones they sent."""
        if user.has_perm("finance.view_aidapplication"):
            return self
        if user.has_perm("finance.add_aidapplication"):
            return self.filter(submitted_by=user)
        return self.none()


class AidApplication(models.Model):
    """A pupil's application for aid (学生资助): a class teacher applies, the head or the principal (as the
    school chooses) decides, finance pays; published with a masked name."""

    class Category(models.TextChoices):
        HARDSHIP = "hardship", _("Family hardship")
        TWO_FREE_ONE_SUBSIDY = "lmyb", _("两免一补")
        DISABILITY = "disability", _("Disability")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="aid_applications")
    pupil_name = models.CharField(_("pupil"), max_length=30)
    location = models.ForeignKey(Location, verbose_name=_("class"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    reason = models.TextField(_("situation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # Who decides, fixed when the application is sent (FinanceSettings.aid_decider of that day).
    decider = models.CharField(_("decided by (role)"), max_length=10, choices=AidDecider.choices,
                               default=AidDecider.PRINCIPAL)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("paid by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = AidQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        permissions = [
            ("decide_aid_as_head", _("Can decide student aid as head of logistics")),
            ("decide_aid_as_principal", _("Can decide student aid as principal")),
            ("pay_aid", _("Can pay student aid")),
        ]

    def __str__(self):
        return f"{self.pupil_name} {self.get_category_display()}"

    # Guards shared by services and templates -------------------------------------------
    DECIDER_PERM = {AidDecider.HEAD: "finance.decide_aid_as_head",
                    AidDecider.PRINCIPAL: "finance.decide_aid_as_principal"}

    def entered_by(self, user):
        return self.submitted_by_id == user.pk

    @property
    def can_decide(self):
        return self.status == self.Status.SUBMITTED

    def role_decides(self, user):
        """Whether this user holds the role that decides this application (the head or the principal)."""
        return user.is_active and user.has_perm(self.DECIDER_PERM[self.decider])

    def may_decide(self, user):
        """The decider's role approves or rejects a submitted application, never one they applied for."""
        return self.can_decide and self.role_decides(user) and not self.entered_by(user)

    @property
    def can_pay(self):
        return self.status == self.Status.APPROVED

    def may_pay(self, user):
        """Finance pays approved aid; not the applicant, nor the person who decided it."""
        return (self.can_pay and user.is_active and user.has_perm("finance.pay_aid")
                and not self.entered_by(user) and self.decided_by_id != user.pk)

    @property
    def masked_name(self):
        """张三明 → 张*明, 李四 → 李*: never the full name in public."""
        name = self.pupil_name.strip()
        if len(name) <= 1:
            return name
        if len(name) == 2:
            return name[0] + "*"
        return name[0] + "*" * (len(name) - 2) + name[-1]


class AidPublication(models.Model):
    """A term's aid list put online (公示) by an unguessable link for the school days the school sets;
    it lists the aid decided by the time it was opened, with masked names, and closes by itself."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="aid_publications")
    public_token = models.CharField(_("public link key"), max_length=32, unique=True, default=_public_token,
                                    editable=False)
    opens_on = models.DateField(_("online from"))
    closes_on = models.DateField(_("online until"), help_text=_("The last day the list shows; then it is gone."))
    school_days = models.PositiveSmallIntegerField(_("school days"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["public_token"])

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("aid publication")
        verbose_name_plural = _("aid publications")

    def __str__(self):
        return f"{self.term} {self.opens_on}–{self.closes_on}"

    def is_open(self, today=None):
        """Online from its first day through its last; closed (404) before and after."""
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


from .module_settings import FinanceSettings  # noqa: E402,F401  (the module's settings record)
