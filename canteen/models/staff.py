"""Canteen staff, their health certificates (健康证), and the morning check (晨检) before work each working day."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.history import reason_text

from .common import certificate_path

# The morning check's symptom codes (the usual monthly grid; RULES.md).
SYMPTOMS = [
    (0, _("0 normal")), (1, _("1 fever")), (2, _("2 nausea")), (3, _("3 vomiting")), (4, _("4 diarrhoea")),
    (5, _("5 abdominal pain")), (6, _("6 wound")), (7, _("7 burn")), (8, _("8 eczema")), (9, _("9 jaundice")),
    (10, _("10 sore throat")), (11, _("11 cough")), (12, _("12 other")),
]
NORMAL = 0
SYMPTOM_CODES = frozenset(code for code, _label in SYMPTOMS)
FEVER = 1


def symptom_name(code):
    """A symptom's name without its code ("fever"), in the reader's language."""
    label = str(dict(SYMPTOMS).get(code, code))
    head, _sep, rest = label.partition(" ")
    return rest if head.isdigit() and rest else label


def symptom_text(code, temperature_c=None):
    """A symptom as an off-duty reason reads: "fever (1)", "fever (1), 37.8 °C"."""
    text = pgettext("a symptom and its code", "%(name)s (%(code)s)") % {"name": symptom_name(code), "code": code}
    if code == FEVER and temperature_c is not None:
        text = gettext("%(symptom)s, %(temperature)s °C") % {"symptom": text, "temperature": temperature_c}
    return text


class CanteenStaff(models.Model):
    """Someone who works in the kitchen, with the health certificate they must hold to work there."""

    class Post(models.TextChoices):
        COOK = "cook", _("Cook")
        HELPER = "helper", _("Kitchen helper")
        SERVER = "server", _("Serving")
        BUYER = "buyer", _("Buyer / storekeeper")
        MANAGER = "manager", _("Canteen manager")

    name = models.CharField(_("name"), max_length=40)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="canteen_staff")
    post = models.CharField(_("post"), max_length=10, choices=Post.choices, default=Post.HELPER)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    certificate_number = models.CharField(_("health certificate number"), max_length=40, blank=True)
    certificate_issuer = models.CharField(_("issued by"), max_length=80, blank=True)
    certificate_expires = models.DateField(_("health certificate valid until"), null=True, blank=True)
    certificate_photo = models.ImageField(_("photo of the health certificate"), upload_to=certificate_path,
                                         blank=True)
    last_checkup = models.DateField(_("last yearly check-up"), null=True, blank=True)
    active = models.BooleanField(_("works here now"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("canteen staff member")
        verbose_name_plural = _("canteen staff")

    def __str__(self):
        return self.name

    def certificate_valid_on(self, day):
        return self.certificate_expires is not None and self.certificate_expires >= day

    def certificate_days_left(self, day):
        """Days from day until the certificate expires (0: its last day, negative: expired); None: none on record."""
        return None if self.certificate_expires is None else (self.certificate_expires - day).days


class MorningCheck(models.Model):
    """One person's morning check on one working day: symptom codes (0 = normal), temperature, fit for the
    kitchen or sent off duty. Someone with a symptom or without a valid certificate is never fit."""

    staff = models.ForeignKey(CanteenStaff, verbose_name=_("staff member"), on_delete=models.PROTECT,
                              related_name="checks")
    date = models.DateField(_("date"))
    symptoms = models.JSONField(_("symptom codes"), default=list, blank=True)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True,
                                        blank=True)
    fit = models.BooleanField(_("fit for kitchen duty"))
    off_duty_reason = models.CharField(_("why off duty"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "staff__name"]
        verbose_name = _("morning check")
        verbose_name_plural = _("morning checks")
        constraints = [models.UniqueConstraint(fields=["staff", "date"], name="morning_check_once_a_day")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.staff}"

    @property
    def codes(self):
        """The grid's cell: "0", or the symptom codes joined ("1,10")."""
        return ",".join(str(c) for c in (self.symptoms or [NORMAL]))

    @property
    def off_duty_reasons(self):
        """Why this person was kept off kitchen duty, in the reader's language: each symptom ("fever (1),
        37.8 °C"), then what off_duty_reason holds (the certificate, stored untranslated; or the manager's words)."""
        if self.fit:
            return []
        reasons = [symptom_text(code, self.temperature_c) for code in self.symptoms or [] if code != NORMAL]
        if self.off_duty_reason:
            reasons.append(reason_text(self.off_duty_reason))
        return reasons

    @property
    def off_duty_text(self):
        return pgettext("between list items", ", ").join(self.off_duty_reasons)

    @classmethod
    def history_value(cls, name, value):
        """The symptom codes read as their names in the timeline."""
        if name == "symptoms" and isinstance(value, list):
            return pgettext("between list items", ", ").join(str(dict(SYMPTOMS).get(c, c)) for c in value)
        return None
