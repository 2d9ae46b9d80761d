"""The duty roster (值班护校): shifts across school days and holidays, the people on each, and the handover
log written during and at the end of a shift."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DutyShift(models.Model):
    """One shift on one day (e.g. the holiday day shift on 10-02, 08:00–17:00), with the people on it."""

    class Kind(models.TextChoices):
        DAY = "day", _("Day duty")
        NIGHT = "night", _("Night duty")
        HOLIDAY = "holiday", _("Holiday duty")

    day = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("shift"), max_length=10, choices=Kind.choices)
    starts = models.TimeField(_("starts at"))
    ends = models.TimeField(_("ends at"), help_text=_("Earlier than the start: the shift ends the next morning."))
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("on duty"), blank=True,
                                    related_name="duty_shifts")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader on duty"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["day", "starts", "kind"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="safety_duty_shift_once")]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("safety:shift_detail", args=[self.pk])

    @property
    def is_past(self):
        return self.day < timezone.localdate()


class HandoverEntry(models.Model):
    """What happened on a shift and what is handed over (交接班记录)."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("shift"), on_delete=models.CASCADE,
                              related_name="handovers")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"),
                                   on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    text = models.TextField(_("what happened, what is handed over"))
    all_normal = models.BooleanField(_("all normal"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("handover entry")
        verbose_name_plural = _("handover entries")

    def __str__(self):
        return f"{self.shift} · {self.written_at:%H:%M}"
