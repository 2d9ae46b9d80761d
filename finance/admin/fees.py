"""Admin of fees collected on behalf and student aid: read and correct with history kept."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import AidApplication, FeeClass, FeeItem, FeeSpending


class FeeClassInline(admin.TabularInline):
    model = FeeClass
    extra = 0
    fields = ["location", "pupils", "exempt", "collected"]


class FeeSpendingInline(admin.TabularInline):
    model = FeeSpending
    extra = 0
    fields = ["date", "description", "amount", "recorded_by"]
    raw_id_fields = ["recorded_by"]


@admin.register(FeeItem)
class FeeItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "term", "amount_per_pupil", "published", "settled_at"]
    list_filter = ["term", "published", ("settled_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "description"]
    list_select_related = ["term"]
    readonly_fields = ["public_token", "settled_at", "settled_by"]
    inlines = [FeeClassInline, FeeSpendingInline]


@admin.register(FeeClass)
class FeeClassAdmin(SimpleHistoryAdmin):
    list_display = ["fee", "location", "pupils", "exempt", "collected"]
    list_filter = ["fee__term", "fee"]
    search_fields = ["fee__name", "location__name"]
    list_select_related = ["fee__term", "location__building"]


@admin.register(FeeSpending)
class FeeSpendingAdmin(SimpleHistoryAdmin):
    list_display = ["fee", "date", "description", "amount", "recorded_by"]
    list_filter = ["fee__term", "date"]
    search_fields = ["fee__name", "description"]
    list_select_related = ["fee__term", "recorded_by"]
    raw_id_fields = ["recorded_by"]


@admin.register(AidApplication)
class AidApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["pupil_name", "location", "category", "amount", "status", "term", "submitted_at"]
    list_filter = ["term", "status", "category", "location"]
    search_fields = ["pupil_name", "reason"]
    list_select_related = ["term", "location__building"]
    raw_id_fields = ["submitted_by", "decided_by"]
    readonly_fields = ["version"]
