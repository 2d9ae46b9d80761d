"""Admin of the safety settings: one record, with history."""
from django.contrib import admin

from logistics.admin import ModuleSettingsAdmin

from ..models import SafetySettings


@admin.register(SafetySettings)
class SafetySettingsAdmin(ModuleSettingsAdmin):
    list_display = ["__str__", "hazard_receiver", "fix_days_general", "fix_days_serious", "expiry_warning_days",
                    "duty_lookahead_days"]
    autocomplete_fields = ["hazard_receiver"]
