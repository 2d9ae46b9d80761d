"""School vehicles and pick-up arrangements (校车与接送): vehicles with their inspection and insurance,
drivers with their licence and agreements, routes with the pupils' classes, and a pre-trip check per vehicle
per day. Nothing expired may go on a trip: a check cannot be marked fit while the vehicle's inspection or
insurance, or the driver's licence or agreements, have run out."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .common import vehicle_document_path


class Vehicle(models.Model):
    plate = models.CharField(_("plate number"), max_length=20, unique=True)
    description = models.CharField(_("make and model"), max_length=80, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    operator = models.CharField(_("owner or operator"), max_length=120, blank=True,
                                help_text=_("The school, or the company the school contracts."))
    inspection_expires = models.DateField(_("annual inspection valid until"))
    insurance_expires = models.DateField(_("insurance valid until"))
    document = models.FileField(_("papers (scan)"), upload_to=vehicle_document_path, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plate"]
        verbose_name = _("school vehicle")
        verbose_name_plural = _("school vehicles")

    def __str__(self):
        return self.plate

    def get_absolute_url(self):
        return reverse("safety:vehicle_detail", args=[self.pk])


class Driver(models.Model):
    name = models.CharField(_("name"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    licence_number = models.CharField(_("driving licence number"), max_length=30, blank=True)
    licence_class = models.CharField(_("licence class"), max_length=10, blank=True, help_text=_("E.g. A1, B1."))
    licence_expires = models.DateField(_("driving licence valid until"))
    school_agreement_until = models.DateField(_("agreement with the school valid until"), null=True, blank=True)
    parent_agreement_until = models.DateField(
        _("agreement with the parents valid until"), null=True, blank=True,
        help_text=_("The safety agreement signed with the parents of the pupils carried."))
    document = models.FileField(_("papers (scan)"), upload_to=vehicle_document_path, blank=True)
    active = models.BooleanField(_("drives for the school"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("safety:driver_detail", args=[self.pk])


class Route(models.Model):
    """A pick-up route: its vehicle and driver, stops, times and the pupils' classes on it."""

    name = models.CharField(_("route"), max_length=80)
    vehicle = models.ForeignKey(Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="routes")
    driver = models.ForeignKey(Driver, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="routes")
    escort = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher escorting"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    stops = models.TextField(_("stops"), blank=True, help_text=_("One stop per line, in order."))
    morning_departs = models.TimeField(_("morning departure"), null=True, blank=True)
    afternoon_departs = models.TimeField(_("afternoon departure"), null=True, blank=True)
    classes = models.CharField(_("pupils' classes"), max_length=300, help_text=_("E.g. 一(2)班、二(1)班."))
    pupils = models.PositiveSmallIntegerField(_("pupils carried"), default=0)
    active = models.BooleanField(_("running"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pick-up route")
        verbose_name_plural = _("pick-up routes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("safety:route_detail", args=[self.pk])


class TripCheck(models.Model):
    """The pre-trip check of one vehicle on one day (出车前检查): each item checked, the driver, fit or not."""

    vehicle = models.ForeignKey(Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT,
                                related_name="trip_checks")
    day = models.DateField(_("date"), db_index=True)
    driver = models.ForeignKey(Driver, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("items checked"), default=dict,
                             help_text=_("{item: true when in order}: brakes, lights, tyres, doors, extinguisher, "
                                         "first-aid kit, seat belts, the driver fit to drive."))
    fit = models.BooleanField(_("fit for the trip"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("trip check", "checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(pgettext_lazy("trip check", "checked at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "vehicle__plate"]
        verbose_name = _("pre-trip check")
        verbose_name_plural = _("pre-trip checks")
        constraints = [models.UniqueConstraint(fields=["vehicle", "day"], name="safety_trip_check_once")]

    def __str__(self):
        return f"{self.vehicle} {self.day:%Y-%m-%d}"
