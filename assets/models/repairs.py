"""Repairs (维修申报) and the recurring checks that find faults before teachers do."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import Location
from logistics.schedules import Recurrence


class RepairCategory(models.TextChoices):
    LIGHTING = "lighting", _("Lighting and electrical")
    PLUMBING = "plumbing", _("Water and plumbing")
    DOORS = "doors", _("Doors, windows and locks")
    FURNITURE = "furniture", _("Furniture")
    IT = "it", _("IT and multimedia (班班通)")
    BUILDING = "building", _("Building")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class RepairRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=RepairRequest.OPEN_STATUSES)

    def overdue(self, now=None):
        """Open requests whose target time has passed."""
        return self.filter(status__in=RepairRequest.UNFIXED_STATUSES, due_at__lt=now or timezone.now())

    def visible_to(self, user):
        """What a user may read: everything with the view permission, otherwise their own reports."""
        if user.has_perm("assets.view_repairrequest"):
            return self
        return self.filter(reporter=user)


class RepairRequest(models.Model):
    """A fault someone reported, and the work that fixed it."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses in which the fault is not yet fixed: they count toward "overdue".
    UNFIXED_STATUSES = (Status.REPORTED, Status.ASSIGNED, Status.IN_PROGRESS)
    OPEN_STATUSES = UNFIXED_STATUSES + (Status.DONE,)
    CLOSED_STATUSES = (Status.CONFIRMED, Status.REJECTED, Status.CANCELLED)

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=RepairCategory.choices)
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT,
                                 related_name="repair_requests")
    title = models.CharField(_("what is wrong"), max_length=120,
                             help_text=_("In a few words, e.g. “Two ceiling lamps flicker”."))
    description = models.TextField(_("details"), blank=True,
                                   help_text=_("Where exactly, since when, anything that helps the worker."))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED,
                              db_index=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                 on_delete=models.PROTECT, related_name="repair_requests")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("target time"), help_text=_("Reported time plus the urgency's target."))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="repair_assignments")
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    parts_used = models.CharField(_("parts used"), max_length=300, blank=True)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    # A repair opened for a hazard (or another finding) of the kernel's found → fixed → verified tracking:
    # the repair's page links to it, and the finding's page lists its repairs (assets.links).
    finding = models.ForeignKey("logistics.Finding", verbose_name=_("opened for finding"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="repairs")
    minutes_spent = models.PositiveIntegerField(_("time spent (minutes)"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True,
                              help_text=_("Why it was rejected, cancelled or reopened (the latest reason)."))
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    asset = models.ForeignKey("Asset", verbose_name=_("asset"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="repair_requests")
    check_task = models.ForeignKey("CheckTask", verbose_name=_("found during check"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="repair_requests")
    # Guards against a second click on "submit": the form carries one token per page load.
    submit_token = models.UUIDField(_("submission token"), unique=True, default=uuid.uuid4, editable=False)
    # Raised by every state change, so a decision made on a stale page is noticed.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    objects = RepairRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        permissions = [
            ("assign_repairrequest", _("Can assign and reject repair requests")),
            ("work_repairrequest", _("Can take and carry out repair requests")),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="repair_status_due")]

    def __str__(self):
        return f"{self.number} {self.title}"

    # Guards shared by services and templates -------------------------------------------
    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.status in self.UNFIXED_STATUSES and self.due_at < timezone.now()

    @property
    def can_assign(self):
        return self.status in (self.Status.REPORTED, self.Status.ASSIGNED)

    @property
    def can_take(self):
        return self.status == self.Status.REPORTED

    @property
    def can_start(self):
        return self.status == self.Status.ASSIGNED

    @property
    def can_complete(self):
        return self.status in (self.Status.ASSIGNED, self.Status.IN_PROGRESS)

    @property
    def can_confirm(self):
        return self.status == self.Status.DONE

    can_reopen = can_confirm

    @property
    def can_reject(self):
        return self.status in (self.Status.REPORTED, self.Status.ASSIGNED)

    @property
    def can_cancel(self):
        return self.status == self.Status.REPORTED

    @property
    def time_to_fix(self):
        """From report to completion, for completed work."""
        if self.completed_at:
            return self.completed_at - self.reported_at
        return None

    @property
    def done_within_target(self):
        return self.completed_at is not None and self.completed_at <= self.due_at


def repair_photo_path(instance, filename):
    today = timezone.localdate()
    return f"repairs/{today:%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class RepairPhoto(models.Model):
    """A photo of the fault, re-encoded on upload (nothing hidden in the original survives)."""

    request = models.ForeignKey(RepairRequest, verbose_name=_("repair request"), on_delete=models.CASCADE,
                                related_name="photos")
    image = models.ImageField(_("photo"), upload_to=repair_photo_path, width_field="width",
                              height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("repair photo")
        verbose_name_plural = _("repair photos")

    def __str__(self):
        return f"{self.request.number} #{self.pk}"


class CheckSchedule(Recurrence):
    """A recurring check, e.g. classroom lighting every Tuesday and Thursday afternoon.

    When it falls due is the kernel's recurrence (logistics.schedules); a due day makes one CheckTask."""

    title = models.CharField(_("what to check"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=RepairCategory.choices)
    instructions = models.TextField(_("instructions"), blank=True)
    locations = models.ManyToManyField(Location, verbose_name=_("where"), related_name="check_schedules")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="check_schedules")
    history = HistoricalRecords(m2m_fields=[locations])

    class Meta:
        ordering = ["title"]
        verbose_name = _("check schedule")
        verbose_name_plural = _("check schedules")

    def __str__(self):
        return self.title

    def create_task(self, day):
        """(the day's CheckTask, created), given to the schedule's assignee."""
        return CheckTask.objects.get_or_create(schedule=self, due_date=day,
                                               defaults={"assignee_id": self.assignee_id})


class CheckTask(models.Model):
    """One day's occurrence of a check schedule, completed with findings."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    schedule = models.ForeignKey(CheckSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT,
                                 related_name="tasks")
    due_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="check_tasks")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    all_ok = models.BooleanField(_("all in order"), null=True)
    findings = models.TextField(_("findings"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_date", "schedule__title"]
        verbose_name = _("check task")
        verbose_name_plural = _("check tasks")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_date"], name="one_check_task_per_day"),
        ]

    def __str__(self):
        return f"{self.schedule.title} {self.due_date}"

    @property
    def can_complete(self):
        return self.status == self.Status.OPEN

    @property
    def is_late(self):
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()
