"""Admin of supplies, requisitions, distributions and print requests.

Stock is never typed in here: it changes only through movements written by the services (stock in,
issue, distribution), so the ledger and the balance always agree. Statuses are likewise left to the
services; the admin may correct descriptions and notes.
"""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Distribution,
    DistributionLine,
    PrintRequest,
    Requisition,
    RequisitionLine,
    StockMovement,
    SupplyItem,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupplyItem)
class SupplyItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "spec", "kind", "unit", "stock", "low_stock_threshold", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "spec"]
    readonly_fields = ["stock"]
    fields = ["name", "spec", "kind", "unit", "stock", "low_stock_threshold", "active"]


@admin.register(StockMovement)
class StockMovementAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["at", "item", "kind", "change", "balance", "unit_price", "supplier", "department", "location",
                    "reference", "by"]
    list_filter = ["kind", "item__kind", "department"]
    search_fields = ["item__name", "supplier", "reference", "note"]
    list_select_related = ["item", "department", "location__building", "by"]

    def has_add_permission(self, request):
        return False  # a movement changes stock: it is written by the stock-in and issue pages only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequisitionLineInline(ReadOnlyInline):
    model = RequisitionLine
    fields = ["item", "quantity_requested", "quantity_issued"]
    readonly_fields = fields


@admin.register(Requisition)
class RequisitionAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["number", "department", "location", "reason", "status", "requested_by", "requested_at",
                    "decided_by"]
    list_filter = ["status", "department"]
    search_fields = ["number", "reason", "requested_by__username", "requested_by__first_name"]
    list_select_related = ["department", "location__building", "requested_by", "decided_by"]
    readonly_fields = ["number", "status", "requested_by", "requested_at", "decided_by", "decided_at",
                       "decision_note", "version"]
    fields = ["number", "department", "location", "reason", "status", "requested_by", "requested_at",
              "decided_by", "decided_at", "decision_note", "version"]
    inlines = [RequisitionLineInline]

    def has_add_permission(self, request):
        return False  # requisitions are numbered and checked by the requisition page


class DistributionLineInline(ReadOnlyInline):
    model = DistributionLine
    fields = ["location", "item", "quantity"]
    readonly_fields = fields


@admin.register(Distribution)
class DistributionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "term", "status", "created_by", "created_at", "issued_by", "issued_at"]
    list_filter = ["status", "term"]
    search_fields = ["title"]
    list_select_related = ["term", "created_by", "issued_by"]
    readonly_fields = ["status", "created_by", "created_at", "issued_by", "issued_at", "version"]
    fields = ["title", "term", "status", "created_by", "created_at", "issued_by", "issued_at", "version"]
    inlines = [DistributionLineInline]

    def has_add_permission(self, request):
        return False


@admin.register(PrintRequest)
class PrintRequestAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["title", "department", "pages", "copies", "double_sided", "status", "requested_by",
                    "requested_at", "needed_by", "done_at"]
    list_filter = ["status", "department", "double_sided"]
    search_fields = ["title", "requested_by__username", "requested_by__first_name"]
    list_select_related = ["department", "requested_by"]
    readonly_fields = ["pages", "copies", "double_sided", "status", "requested_by", "requested_at", "approved_by",
                       "approved_at", "done_by", "done_at", "decision_note", "version"]
    fields = ["department", "title", "pages", "copies", "double_sided", "needed_by", "status", "requested_by",
              "requested_at", "approved_by", "approved_at", "done_by", "done_at", "decision_note", "version"]

    def has_add_permission(self, request):
        return False


# Lines are edited with their requisition or distribution; registered too so every model has its history
# page in the back office.
@admin.register(RequisitionLine)
class RequisitionLineAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["requisition", "item", "quantity_requested", "quantity_issued"]
    list_select_related = ["requisition", "item"]
    search_fields = ["requisition__number", "item__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DistributionLine)
class DistributionLineAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["distribution", "location", "item", "quantity"]
    list_select_related = ["distribution", "location__building", "item"]
    search_fields = ["distribution__title", "item__name", "location__name"]
    list_filter = ["distribution"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
