from django.contrib import admin

from logistics.admin import ModuleSettingsAdmin

from ..models import CanteenSettings


@admin.register(CanteenSettings)
class CanteenSettingsAdmin(ModuleSettingsAdmin):
    list_display = ["__str__", "sample_min_grams", "sample_hours", "fridge_min_c", "fridge_max_c",
                    "certificate_warning_days"]
