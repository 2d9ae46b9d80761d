"""Admin of budget lines (finance keeps them here) and a read-only view of purchase requests."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Approval, BudgetLine, PurchaseItem, PurchaseRequest, Quote


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["year", "name", "kind", "purpose", "amount", "active"]
    list_filter = ["year", "kind", "purpose", "active"]
    search_fields = ["name", "notes"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ItemInline(_ReadOnlyInline):
    model = PurchaseItem
    fields = ["name", "spec", "quantity", "unit", "estimated_unit_price", "kind"]


class QuoteInline(_ReadOnlyInline):
    model = Quote
    fields = ["vendor", "amount", "attachment", "added_by", "added_at"]


class ApprovalInline(_ReadOnlyInline):
    model = Approval
    fields = ["step", "decision", "by", "at", "comment"]


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(SimpleHistoryAdmin):
    """Read-only: requests move only through their pages, so every step has its Approval and history."""

    list_display = ["number", "title", "department", "status", "estimated_total", "budget_line", "created_at"]
    list_filter = ["status", "department", "budget_line"]
    search_fields = ["number", "title"]
    inlines = [ItemInline, QuoteInline, ApprovalInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
