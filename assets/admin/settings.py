from django.contrib import admin

from logistics.admin import ModuleSettingsAdmin

from ..models import AssetSettings


@admin.register(AssetSettings)
class AssetSettingsAdmin(ModuleSettingsAdmin):
    list_display = ["__str__", "repair_target_urgent_hours", "repair_target_normal_hours", "repair_target_low_hours",
                    "fixed_asset_threshold", "write_off_principal_limit", "print_approval_pages"]
