"""Safety inspections (安全检查): a checklist of items grouped by area, on the kernel's recurring schedules
(the term-start full check, daily, weekly on chosen weekdays, monthly spot checks), each assigned to a
person. Doing one: every item passed, failed or not applicable, with a note and a photo; a failed item
raises a hazard, a finding in the kernel's found → fixed → verified tracking (its source is the result)."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from logistics.schedules import Recurrence

from .common import inspection_photo_path


class CheckArea(models.TextChoices):
    """The areas a school's safety checklist is grouped by (RULES.md: a typical checklist)."""
    BUILDINGS = "buildings", _("Buildings")
    FIRE = "fire", _("Fire equipment")
    ELECTRICS = "electrics", _("Electrics")
    CCTV = "cctv", _("CCTV and alarms")
    GROUNDS = "grounds", _("Grounds")
    SPORTS = "sports", _("Sports equipment")
    NOTICEBOARDS = "noticeboards", _("Noticeboards and signs")
    PIPES = "pipes", _("Pipes, electrical boxes and manhole covers")
    GATES = "gates", _("Gates, walls and toilets")
    TREES = "trees", _("Trees")
    SPECIAL_ROOMS = "special_rooms", _("Special rooms")
    CANTEEN = "canteen", _("Canteen")
    OTHER = "other", _("Other")


class InspectionPlan(Recurrence):
    """A checklist and when it is done, by whom (e.g. 开学前安全大检查 on the first day of term; 每周安全巡查
    on Mondays; 每月抽查 on the 15th)."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full check")
        ROUTINE = "routine", _("Routine patrol")
        SPOT = "spot", _("Spot check")

    title = models.CharField(_("checklist"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Raised by every edit, so a change made on a stale page is noticed.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("safety checklist")
        verbose_name_plural = _("safety checklists")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("safety:plan_detail", args=[self.pk])

    def create_task(self, day):
        """(the day's Inspection, created): the kernel's generate_due_tasks calls it."""
        return Inspection.objects.get_or_create(plan=self, due_date=day,
                                                defaults={"inspector_id": self.inspector_id})


class PlanItem(models.Model):
    """One thing to check, in an area of the checklist (检查项目 / 检查内容)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("checklist"), on_delete=models.CASCADE,
                             related_name="items")
    area = models.CharField(pgettext_lazy("safety check", "area"), max_length=20, choices=CheckArea.choices)
    text = models.CharField(_("what to check"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return f"{self.get_area_display()} · {self.text}"


class Inspection(models.Model):
    """One due (or ad-hoc) inspection of a checklist, by its inspector."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("checklist"), on_delete=models.PROTECT,
                             related_name="inspections")
    due_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_date", "plan__title"]
        verbose_name = _("safety inspection")
        verbose_name_plural = _("safety inspections")
        constraints = [models.UniqueConstraint(fields=["plan", "due_date"], name="safety_inspection_once")]
        # The list's order (those to do first, newest day first): a page is read from it, not sorted from years of
        # daily patrols ("open" sorts after "done", so -status puts them first).
        indexes = [models.Index(fields=["-status", "-due_date", "plan", "id"], name="safety_inspection_order")]

    def __str__(self):
        return f"{self.plan} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("safety:inspection_detail", args=[self.pk])

    # Guards shared by services and templates -------------------------------------------
    @property
    def can_record(self):
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self):
        """Still to do after its day."""
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class InspectionResult(models.Model):
    """One item of an inspection: passed, failed (with what was found, and the hazard it raised) or not
    applicable (检查结果)."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NA = "na", _("Not applicable")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="results")
    area = models.CharField(pgettext_lazy("safety check", "area"), max_length=20, choices=CheckArea.choices)
    item = models.CharField(pgettext_lazy("safety check", "item"), max_length=200)
    outcome = models.CharField(pgettext_lazy("safety check", "result"), max_length=4, choices=Outcome.choices)
    note = models.CharField(_("what was found"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to=inspection_photo_path, blank=True)
    finding = models.OneToOneField("logistics.Finding", verbose_name=_("hazard"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self):
        # Read on a finding's page ("found in"): which inspection, which item.
        return f"{self.inspection} · {self.item}"

    def get_absolute_url(self):
        return f"{reverse('safety:inspection_detail', args=[self.inspection_id])}#result-{self.pk}"
