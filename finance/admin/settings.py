from django.contrib import admin

from logistics.admin import ModuleSettingsAdmin

from ..models import FinanceSettings


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(ModuleSettingsAdmin):
    list_display = ["__str__", "purchase_head_limit", "purchase_principal_limit", "quotes_required_above",
                    "dual_purchase_above", "allow_overspend"]
