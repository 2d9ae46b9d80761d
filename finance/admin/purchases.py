"""Admin of budget lines (finance keeps them here) and a read-only view of purchase requests."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
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
    fields = ["vendor", "amount", "file", "added_by", "added_at"]
    readonly_fields = ["file"]

    @admin.display(description=_("quote (file)"))
    def file(self, obj):
        if not obj.attachment:
            return "-"
        return format_html('<a href="{}">{}</a>',
                           reverse("finance:purchase_quote_file", args=[obj.request_id, obj.pk]), _("file"))


class ApprovalInline(_ReadOnlyInline):
    model = Approval
    fields = ["step", "decision", "by", "at", "comment"]


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(SimpleHistoryAdmin):
    """Read-only: requests move only through their pages, so every step has its Approval and history."""

    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["number", "title", "department", "status", "estimated_total", "budget_line", "created_at"]
    list_select_related = ["department", "budget_line"]
    list_filter = ["status", "department", "budget_line"]
    search_fields = ["number", "title"]
    inlines = [ItemInline, QuoteInline, ApprovalInline]
    exclude = ["meeting_attachment"]  # shown as a link to the app's own file page (it checks who may read it)
    readonly_fields = ["minutes_file"]

    @admin.display(description=_("minutes (file)"))
    def minutes_file(self, obj):
        if not obj.meeting_attachment:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("finance:purchase_meeting_file", args=[obj.pk]),
                           _("minutes"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
