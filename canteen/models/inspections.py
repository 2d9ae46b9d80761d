"""The canteen management group's inspections from a checklist, daily or weekly on the kernel's recurring
schedules. A failed item becomes a finding in the kernel's found → fixed → verified tracking (its source is
the result), so the canteen and safety share one way of seeing a problem through."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.schedules import Recurrence


class Checklist(Recurrence):
    """What the group checks and how often (e.g. 食堂每日检查, 每周食品安全自查)."""

    title = models.CharField(_("checklist"), max_length=80)
    items = models.JSONField(_("items to check"), default=list,
                             help_text=_("One line per item, e.g. 留样是否齐全、冷藏温度是否正常."))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Raised by every edit, so a change made on a stale page is noticed.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("canteen checklist")
        verbose_name_plural = _("canteen checklists")

    def __str__(self):
        return self.title

    def create_task(self, day):
        """(the day's Inspection, created): the kernel's generate_due_tasks calls it."""
        return Inspection.objects.get_or_create(checklist=self, due_date=day,
                                                defaults={"inspector_id": self.inspector_id})


class Inspection(models.Model):
    """One due inspection of a checklist: each item passed or failed (a failed one raises a finding)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                  related_name="inspections")
    due_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_date", "checklist__title"]
        verbose_name = _("canteen inspection")
        verbose_name_plural = _("canteen inspections")
        constraints = [models.UniqueConstraint(fields=["checklist", "due_date"], name="canteen_inspection_once")]

    def __str__(self):
        return f"{self.checklist} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("canteen:inspection_detail", args=[self.pk])

    # Guards shared by services and templates -------------------------------------------
    @property
    def can_record(self):
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self):
        """Still to do after its day."""
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class InspectionResult(models.Model):
    """One item of an inspection: passed, or failed with what was found (and its finding)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="results")
    item = models.CharField(_("item"), max_length=120)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("what was found"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self):
        # Read on a finding's page ("found in"): which inspection, which item.
        return f"{self.inspection} · {self.item}"

    def get_absolute_url(self):
        return f"{reverse('canteen:inspection_detail', args=[self.inspection_id])}#result-{self.pk}"
