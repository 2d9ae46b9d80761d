"""The safety module's settings: who receives hazards reported by anyone, how long a fix may take, how far
ahead expiries and empty duty shifts are shown."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import ModuleSettings


class SafetySettings(ModuleSettings):
    """What the school decides for its safety work (one record, changed by the safety officer, with history)."""

    hazard_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("hazards reported by staff go to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The person first responsible for a hazard anyone reports; empty: the safety officer."))
    fix_days_general = models.PositiveIntegerField(
        _("days to fix a general hazard"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)])
    fix_days_serious = models.PositiveIntegerField(
        _("days to fix a serious hazard"), default=2, validators=[MinValueValidator(1), MaxValueValidator(365)])
    expiry_warning_days = models.PositiveIntegerField(
        _("warn this many days before a vehicle's or driver's papers expire"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    plan_review_warning_days = models.PositiveIntegerField(
        _("warn this many days before an emergency plan is due for review"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    duty_lookahead_days = models.PositiveIntegerField(
        _("show duty shifts with nobody on them this many days ahead"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")
        # Not tied to a record: anyone may report a hazard (it is raised as a finding in the kernel's tracking,
        # for the person who receives reports, see hazard_receiver).
        permissions = [("report_hazard", _("Can report a hazard"))]

    def __str__(self):
        return str(_("Safety settings"))
