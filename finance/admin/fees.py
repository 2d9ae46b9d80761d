"""Admin of fees collected on behalf and student aid: read and correct with history kept."""
from django.contrib import admin

from logistics.admin import ParentsFilter, ServiceRecordAdmin

from ..models import AidApplication, FeeClass, FeeItem, FeeSpending


class _ReadOnlyInline(admin.TabularInline):
    """Classes and spending are entered on the fee's pages (money collected and spent goes to the ledger)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FeeClassInline(_ReadOnlyInline):
    model = FeeClass
    fields = ["location", "pupils", "exempt", "collected"]


class FeeSpendingInline(_ReadOnlyInline):
    model = FeeSpending
    fields = ["date", "description", "amount", "recorded_by"]


@admin.register(FeeItem)
class FeeItemAdmin(ServiceRecordAdmin):
    correctable = ["name", "description", "policy"]
    list_display = ["name", "term", "amount_per_pupil", "published", "settled_at"]
    list_filter = ["term", "published", ("settled_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "description"]
    list_select_related = ["term"]
    inlines = [FeeClassInline, FeeSpendingInline]


@admin.register(FeeClass)
class FeeClassAdmin(ServiceRecordAdmin):
    list_display = ["fee", "location", "pupils", "exempt", "collected"]
    list_filter = ["fee__term", "fee"]
    search_fields = ["fee__name", "location__name"]
    list_select_related = ["fee__term", "location__building"]


@admin.register(FeeSpending)
class FeeSpendingAdmin(ServiceRecordAdmin):
    correctable = ["description"]
    list_display = ["fee", "date", "description", "amount", "recorded_by"]
    list_filter = ["fee__term", "date"]
    search_fields = ["fee__name", "description"]
    list_select_related = ["fee__term", "recorded_by"]
    raw_id_fields = ["recorded_by"]


@admin.register(AidApplication)
class AidApplicationAdmin(ServiceRecordAdmin):
    correctable = ["pupil_name", "reason"]
    list_display = ["pupil_name", "location", "category", "amount", "status", "term", "submitted_at"]
    list_filter = ["term", "status", "category", ("location", ParentsFilter)]
    search_fields = ["pupil_name", "reason"]
    list_select_related = ["term", "location__building"]
