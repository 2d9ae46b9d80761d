"""Responsibility pledges (安全责任书): signed each school year with each department and class teacher; the
signed scan is kept."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import pledge_scan_path


class Pledge(models.Model):
    class Party(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        CLASS_TEACHER = "class_teacher", _("Class teacher")
        OTHER = "other", _("Other")

    year = models.PositiveSmallIntegerField(_("school year starting"), help_text=_("2026 for 2026–2027."))
    party = models.CharField(_("signed with"), max_length=20, choices=Party.choices)
    name = models.CharField(_("department or class"), max_length=80, help_text=_("E.g. 总务处, 三(2)班."))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person signing"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    scan = models.FileField(_("signed scan"), upload_to=pledge_scan_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "party", "name"]
        verbose_name = _("responsibility pledge")
        verbose_name_plural = _("responsibility pledges")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="safety_pledge_once")]

    def __str__(self):
        return f"{self.year} {self.name}"

    def get_absolute_url(self):
        return reverse("safety:pledge_detail", args=[self.pk])

    @property
    def is_signed(self):
        return self.signed_on is not None
