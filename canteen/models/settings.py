"""The canteen's settings: what the school's rules fix (留样 grams and hours, refrigerator range, deadlines)."""
import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import ModuleSettings

from .common import MealKind


class CanteenSettings(ModuleSettings):
    """What the school decides for its canteen (one record, changed by the principal, with history)."""

    serves_breakfast = models.BooleanField(_("serves breakfast"), default=False)
    serves_lunch = models.BooleanField(_("serves lunch"), default=True)
    serves_dinner = models.BooleanField(_("serves dinner"), default=False)
    breakfast_ends = models.TimeField(_("breakfast ends at"), default=datetime.time(7, 50))
    lunch_ends = models.TimeField(_("lunch ends at"), default=datetime.time(12, 40))
    dinner_ends = models.TimeField(_("dinner ends at"), default=datetime.time(18, 0))
    sample_min_grams = models.PositiveIntegerField(
        _("minimum sample weight (g)"), default=125, validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("学校食品安全与营养健康管理规定: at least 125 g of every dish; some schools require 200 g."))
    sample_hours = models.PositiveIntegerField(
        _("samples are kept for (hours)"), default=48, validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("A sample cannot be discarded earlier (the rule: at least 48 hours)."))
    fridge_min_c = models.DecimalField(_("sample refrigerator, lowest (°C)"), max_digits=4, decimal_places=1,
                                       default=0)
    fridge_max_c = models.DecimalField(_("sample refrigerator, highest (°C)"), max_digits=4, decimal_places=1,
                                       default=8, help_text=_("0–8 °C by default; some schools state 2–8 °C."))
    disinfection_within_minutes = models.PositiveIntegerField(
        _("tableware disinfected within (minutes after the meal ends)"), default=90)
    certificate_warning_days = models.PositiveIntegerField(
        _("warn this many days before a certificate or licence expires"), default=30)
    accompanied_meal = models.CharField(
        _("the meal a school leader accompanies every day"), max_length=10, choices=MealKind.choices,
        default=MealKind.LUNCH)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("canteen settings")
        verbose_name_plural = _("canteen settings")

    def __str__(self):
        return str(_("Canteen settings"))

    def served_meals(self):
        """The meal kinds the canteen serves, in the day's order."""
        return [kind for kind, on in ((MealKind.BREAKFAST, self.serves_breakfast), (MealKind.LUNCH, self.serves_lunch),
                                      (MealKind.DINNER, self.serves_dinner)) if on]

    def meal_ends(self, kind):
        return {MealKind.BREAKFAST: self.breakfast_ends, MealKind.LUNCH: self.lunch_ends,
                MealKind.DINNER: self.dinner_ends}[kind]
