"""The assets module's settings: repair targets, the fixed-asset threshold, write-off and print limits."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import ModuleSettings

__all__ = ["AssetSettings"]


class AssetSettings(ModuleSettings):
    """What the school decides for repairs, the register, write-offs and printing (one record)."""

    repair_target_urgent_hours = models.PositiveIntegerField(
        _("target time for urgent repairs (hours)"), default=8,
        help_text=_("An urgent fault should be fixed within this many hours (8 = the same working day)."),
    )
    repair_target_normal_hours = models.PositiveIntegerField(
        _("target time for normal repairs (hours)"), default=72,
        help_text=_("72 hours = 3 days."),
    )
    repair_target_low_hours = models.PositiveIntegerField(
        _("target time for low-urgency repairs (hours)"), default=240,
        help_text=_("240 hours = 10 days."),
    )
    fixed_asset_threshold = models.DecimalField(
        _("fixed-asset threshold (yuan)"), max_digits=12, decimal_places=2, default=1000,
        help_text=_("Items at or above this unit price are fixed assets (事业单位财务规则: 1,000 yuan)."))
    write_off_principal_limit = models.DecimalField(
        _("write-offs above this value also need the principal (yuan)"), max_digits=12, decimal_places=2,
        default=5000)
    print_approval_pages = models.PositiveIntegerField(
        _("print jobs above this many pages need approval"), default=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assets and repairs settings")
        verbose_name_plural = _("assets and repairs settings")

    def __str__(self):
        return str(_("Assets and repairs settings"))
