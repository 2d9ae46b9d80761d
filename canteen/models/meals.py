"""Menus, the meals served, their food samples (留样), tableware disinfection and accompanied meals (陪餐)."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import MealKind


class MenuWeek(models.Model):
    """A week's menu (Monday to Sunday), published to parents by an unguessable link."""

    week_start = models.DateField(_("week starting (Monday)"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    public_key = models.UUIDField(_("public link key"), default=uuid.uuid4, unique=True, editable=False)
    published = models.BooleanField(_("shown to parents"), default=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d}"


class MenuDish(models.Model):
    """A dish on the menu of one meal of one day; a meal's samples are taken of its dishes."""

    week = models.ForeignKey(MenuWeek, verbose_name=_("weekly menu"), on_delete=models.CASCADE, related_name="dishes")
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    name = models.CharField(_("dish"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "meal", "position", "pk"]
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        constraints = [models.UniqueConstraint(fields=["day", "meal", "name"], name="menu_dish_once_per_meal")]

    def __str__(self):
        return self.name


class Meal(models.Model):
    """A meal served on a day: what its samples, disinfection and accompanied meal belong to.

    Made when its first log is recorded (or from the day's page); served=False records a meal not served
    that day (an outing, a holiday), so nothing is missing for it."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    served = models.BooleanField(_("served"), default=True)
    diners = models.PositiveIntegerField(_("diners"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "kind"]
        verbose_name = _("meal")
        verbose_name_plural = _("meals")
        constraints = [models.UniqueConstraint(fields=["date", "kind"], name="meal_once_per_day")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class Sample(models.Model):
    """A food sample (留样) of one dish of a meal: at least the set weight, kept refrigerated for the set
    hours, then discarded by one person and reviewed by another (审核人), never the one who took it."""

    meal = models.ForeignKey(Meal, verbose_name=_("meal"), on_delete=models.PROTECT, related_name="samples")
    dish = models.CharField(_("dish"), max_length=60)
    grams = models.PositiveIntegerField(_("weight (g)"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT,
                                 related_name="+")
    taken_at = models.DateTimeField(_("taken at"))
    fridge = models.CharField(_("refrigerator"), max_length=40, blank=True)
    fridge_c = models.DecimalField(_("refrigerator temperature (°C)"), max_digits=4, decimal_places=1)
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("discarded by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by (审核人)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meal__date", "meal__kind", "pk"]
        verbose_name = _("food sample")
        verbose_name_plural = _("food samples")
        constraints = [models.UniqueConstraint(fields=["meal", "dish"], name="sample_once_per_dish")]

    def __str__(self):
        return f"{self.meal} · {self.dish}"


class Disinfection(models.Model):
    """Tableware or surfaces disinfected after a meal: what, how, how hot or how strong, how long, who."""

    class Target(models.TextChoices):
        TABLEWARE = "tableware", _("Tableware (bowls, plates, chopsticks)")
        UTENSILS = "utensils", _("Kitchen utensils and containers")
        BOARDS = "boards", _("Knives and cutting boards")
        SURFACES = "surfaces", _("Work surfaces and tables")
        OTHER = "other", _("Other")

    class Method(models.TextChoices):
        STEAM = "steam", _("Steam")
        BOILING = "boiling", _("Boiling")
        CABINET = "cabinet", _("Heat disinfection cabinet")
        CHEMICAL = "chemical", _("Chemical (chlorine solution)")
        UV = "uv", _("Ultraviolet")

    meal = models.ForeignKey(Meal, verbose_name=_("meal"), on_delete=models.PROTECT, related_name="disinfections")
    target = models.CharField(_("what"), max_length=12, choices=Target.choices, default=Target.TABLEWARE)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.CABINET)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    concentration_mg_l = models.PositiveIntegerField(_("concentration (mg/L effective chlorine)"), null=True,
                                                     blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT,
                                related_name="+")
    done_at = models.DateTimeField(_("done at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_at"]
        verbose_name = _("disinfection")
        verbose_name_plural = _("disinfections")

    def __str__(self):
        return f"{self.meal} · {self.get_target_display()}"


class AccompaniedMeal(models.Model):
    """A school leader (or a parent) eating with the pupils (陪餐), with a rating and comments."""

    class Companion(models.TextChoices):
        LEADER = "leader", _("School leader")
        PARENT = "parent", _("Parent")
        OTHER = "other", _("Other")

    meal = models.ForeignKey(Meal, verbose_name=_("meal"), on_delete=models.PROTECT, related_name="accompanied")
    companion = models.CharField(_("who"), max_length=10, choices=Companion.choices, default=Companion.LEADER)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("school leader"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=40, blank=True, help_text=_("A parent's or visitor's name."))
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), choices=[(n, str(n)) for n in range(1, 6)])
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meal__date"]
        verbose_name = _("accompanied meal")
        verbose_name_plural = _("accompanied meals")

    def __str__(self):
        return f"{self.meal} · {self.name or self.person}"
