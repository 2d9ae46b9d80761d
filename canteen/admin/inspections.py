"""Admin of the canteen's inspections area (registers its models): checklists are kept through their pages
(their rules are the services'), inspections and their results are read-only here."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models.inspections import Checklist, Inspection, InspectionResult


@admin.register(Checklist)
class ChecklistAdmin(ServiceRecordAdmin):
    list_display = ["title", "frequency", "inspector", "only_in_term", "active"]
    list_filter = ["active", "frequency"]
    search_fields = ["title"]
    list_select_related = ["inspector"]


class InspectionResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    can_delete = False
    fields = ["item", "passed", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["due_date", "checklist", "status", "inspector", "done_by", "done_at"]
    list_filter = ["status", "checklist"]
    search_fields = ["checklist__title", "note"]
    list_select_related = ["checklist", "inspector", "done_by"]
    inlines = [InspectionResultInline]
    correctable = ("note",)


@admin.register(InspectionResult)
class InspectionResultAdmin(ServiceRecordAdmin):
    list_display = ["inspection", "item", "passed", "note"]
    list_filter = ["passed"]
    search_fields = ["item", "note", "inspection__checklist__title"]
    list_select_related = ["inspection__checklist"]
    correctable = ("note",)
