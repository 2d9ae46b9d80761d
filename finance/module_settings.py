"""The finance module's settings: who approves purchases up to which amount, quotes, two purchasers."""
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import ModuleSettings


class AidDecider(models.TextChoices):
    """Who decides student aid: the school chooses the head of logistics or the principal."""

    PRINCIPAL = "principal", _("The principal")
    HEAD = "head", _("The head of logistics")


# The public aid list (公示) stays up at least this many school days.
AID_PUBLICATION_MIN_DAYS = 5


class FinanceSettings(ModuleSettings):
    """The school's purchase limits (one record). A request keeps the route of the day it was submitted."""

    purchase_head_limit = models.DecimalField(
        _("purchases up to this amount: the head of logistics approves (yuan)"), max_digits=12,
        decimal_places=2, default=2000)
    purchase_principal_limit = models.DecimalField(
        _("purchases up to this amount: also the principal; above it also the school-affairs meeting (yuan)"),
        max_digits=12, decimal_places=2, default=20000)
    quotes_required_above = models.DecimalField(
        _("three quotes needed above (yuan)"), max_digits=12, decimal_places=2, default=5000)
    dual_purchase_above = models.DecimalField(
        _("two purchasers needed above (yuan)"), max_digits=12, decimal_places=2, default=5000)
    allow_overspend = models.BooleanField(
        _("allow approving beyond a budget line (with a recorded warning)"), default=False)
    aid_decider = models.CharField(
        _("student aid is decided by"), max_length=10, choices=AidDecider.choices, default=AidDecider.PRINCIPAL,
        help_text=_("Class teachers apply, this person decides, finance pays. Applications already sent keep "
                    "the decider of the day they were sent."))
    aid_publication_days = models.PositiveSmallIntegerField(
        _("aid list published online for (school days)"), default=AID_PUBLICATION_MIN_DAYS,
        validators=[MinValueValidator(AID_PUBLICATION_MIN_DAYS)],
        help_text=_("At least five school days (weekdays inside a term); the link closes by itself after."))
    history = HistoricalRecords()

    class Meta:
        app_label = "finance"
        verbose_name = _("finance settings")
        verbose_name_plural = _("finance settings")

    def __str__(self):
        return str(_("Finance settings"))
