"""What every safety area shares: the area its hazards carry in the kernel's findings, who receives a hazard
nobody was named for, and by when it must be fixed."""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from logistics import roles
from logistics.findings.services import finding_raise
from logistics.models import Finding

from ..models import SafetySettings

# The area of the safety module's findings (hazards, 隐患): its app label, as the kernel expects.
AREA = "safety"


def hazard_receiver():
    """Who is first responsible for a hazard nobody was named for: the settings' person if still active,
    otherwise the first active safety officer (None when the school has none)."""
    chosen = SafetySettings.get().hazard_receiver
    if chosen is not None and chosen.is_active:
        return chosen
    return (get_user_model().objects.filter(is_active=True, groups__name=roles.SAFETY)
            .order_by("pk").first())


def fix_deadline(severity, today=None):
    """The day a hazard of this severity must be fixed by, counted from today (the settings' days)."""
    settings = SafetySettings.get()
    days = settings.fix_days_serious if severity == Finding.Severity.SERIOUS else settings.fix_days_general
    return (today or timezone.localdate()) + datetime.timedelta(days=days)


def raise_hazard(**kwargs):
    """logistics.findings.services.finding_raise in the safety area (same keyword arguments, without area)."""
    return finding_raise(area=AREA, **kwargs)
