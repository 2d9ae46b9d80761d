"""The shared core: the school, its terms, departments and places."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SchoolProfile(models.Model):
    """The one school this installation serves: school-wide facts only. Each module keeps its own
    settings in a ModuleSettings record (its limits and targets), so a new module never migrates this."""

    name = models.CharField(_("school name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    principal_name = models.CharField(_("principal"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school profile")
        verbose_name_plural = _("school profile")

    def __str__(self):
        return self.name

    @classmethod
    def get(cls):
        """The school's profile, created with defaults the first time it is asked for."""
        profile = cls.objects.order_by("pk").first()
        if profile is None:
            profile = cls.objects.create(name=str(_("Our school")))
        return profile


class ModuleSettings(models.Model):
    """A module's settings: one record, created with its defaults the first time it is asked for.

    A module subclasses it (adding its fields and `history = HistoricalRecords()`), names the model in
    its AppConfig's `settings_model`, and registers it in the admin, where the school edits it."""

    class Meta:
        abstract = True

    @classmethod
    def get(cls):
        """The settings record, created with defaults the first time it is asked for."""
        record = cls._default_manager.order_by("pk").first()
        if record is None:
            record = cls._default_manager.create()
        return record


class TermQuerySet(models.QuerySet):
    def current(self, today=None):
        """The term that contains today, else the latest that has started, else the first to come."""
        today = today or timezone.localdate()
        term = self.filter(start__lte=today, end__gte=today).order_by("-start").first()
        if term is None:
            term = self.filter(start__lte=today).order_by("-start").first()
        if term is None:
            term = self.order_by("start").first()
        return term


class Term(models.Model):
    """A school term (学期): the period every figure of the term summary covers."""

    name = models.CharField(_("name"), max_length=60, unique=True, help_text=_("e.g. 2026–2027学年第一学期"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="term_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def datetime_range(self):
        """Aware datetimes from the first day's midnight to the midnight after the last day."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end


class Department(models.Model):
    """A department, office or grade group that reports and requests things."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Building(models.Model):
    """A building, or the grounds as a whole, that rooms belong to."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.name


class Location(models.Model):
    """A room or place inside a building: where a fault is, where an asset stands."""

    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        OFFICE = "office", _("Office")
        LIBRARY = "library", _("Library")
        LAB = "lab", _("Laboratory")
        MUSIC = "music", _("Music room")
        ART = "art", _("Art room")
        MULTIMEDIA = "multimedia", _("Multimedia room")
        COMPUTER = "computer", _("Computer room")
        CANTEEN = "canteen", _("Canteen")
        OUTDOOR = "outdoor", _("Outdoor")
        OTHER = "other", _("Other")

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="locations")
    name = models.CharField(_("room"), max_length=60)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["building__sort_order", "building__name", "floor", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="location_unique_name_in_building"),
        ]

    def __str__(self):
        return f"{self.building.name} · {self.name}"
