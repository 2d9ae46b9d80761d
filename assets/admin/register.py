from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Asset, AssetCategory


@admin.register(AssetCategory)
class AssetCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_fixed_asset"]
    list_filter = ["is_fixed_asset"]
    search_fields = ["code", "name"]


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["tag", "name", "category", "location", "custodian", "quantity", "unit", "unit_price", "status",
                    "funding_source", "acquired_on"]
    list_filter = ["status", "category", "funding_source", "location__building", "department"]
    search_fields = ["tag", "name", "spec", "brand", "serial_number", "invoice_number"]
    list_select_related = ["category", "location__building", "custodian"]
    raw_id_fields = ["custodian"]
    # The tag is given by the register; statuses that follow a loan, a write-off or a stocktake, and the
    # value when an asset left, are set by those records' services.
    readonly_fields = ["tag", "created_at", "status", "disposed_on", "disposed_value", "version"]

    def has_add_permission(self, request):
        return False  # the register page numbers new assets and checks them (or the Excel import)
