"""Emergency plans (应急预案) with their document, version and next review, and the drills (演练) held on
them: who took part, how long the evacuation took, what went well, what to improve. A drill's follow-up
actions are findings in the kernel's found → fixed → verified tracking (their source is the drill)."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .common import drill_photo_path, plan_document_path


class EmergencyPlan(models.Model):
    """One emergency plan; a new version replaces the document and raises the version (history keeps the
    earlier ones)."""

    class Kind(models.TextChoices):
        FIRE = "fire", _("Fire")
        EVACUATION = "evacuation", _("Evacuation")
        FOOD_SAFETY = "food_safety", _("Food safety")
        ACTIVITIES = "activities", _("Student activities")
        NATURAL_DISASTER = "natural_disaster", _("Natural disasters")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version_label = models.CharField(_("version"), max_length=20, default="1.0",
                                     help_text=_("As printed on the plan, e.g. 2026版 or 1.2."))
    document = models.FileField(pgettext_lazy("emergency plan", "document"), upload_to=plan_document_path, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    next_review = models.DateField(_("next review by"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person in charge"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(_("summary"), blank=True)
    active = models.BooleanField(_("in force"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("safety:emergencyplan_detail", args=[self.pk])

    @property
    def review_overdue(self):
        return self.active and self.next_review < timezone.localdate()


class Drill(models.Model):
    """A drill held on a plan (e.g. 消防疏散演练), with its participants and how it went."""

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("emergency plan"), on_delete=models.PROTECT,
                             related_name="drills")
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("held on"), db_index=True)
    classes = models.CharField(_("classes taking part"), max_length=300,
                               help_text=_("E.g. 全校 or 一(1)班–三(4)班."))
    headcount = models.PositiveIntegerField(_("people taking part"))
    evacuation_seconds = models.PositiveIntegerField(_("evacuation time (seconds)"), null=True, blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("safety:drill_detail", args=[self.pk])


class DrillPhoto(models.Model):
    drill = models.ForeignKey(Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=drill_photo_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("drill photo")
        verbose_name_plural = _("drill photos")

    def __str__(self):
        return f"{self.drill} #{self.pk}"
