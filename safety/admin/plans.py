"""Admin of emergency plans and drills. Plans are kept and revised, and drills recorded, by their services (a
document checked, a version's history): read here; the words (a plan's summary and person in charge, a drill's
notes) may be corrected, with history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from logistics.admin import ServiceRecordAdmin

from ..models import Drill, DrillPhoto, EmergencyPlan


@admin.register(EmergencyPlan)
class EmergencyPlanAdmin(ServiceRecordAdmin):
    list_display = ["title", "kind", "version_label", "approved_on", "next_review", "owner", "active"]
    list_filter = ["active", "kind"]
    search_fields = ["title", "summary", "version_label"]
    date_hierarchy = "next_review"
    list_select_related = ["owner"]
    correctable = ("summary", "owner")

    def has_delete_permission(self, request, obj=None):
        return False


class DrillPhotoInline(admin.TabularInline):
    model = DrillPhoto
    extra = 0
    fields = ["image", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Drill)
class DrillAdmin(ServiceRecordAdmin):
    list_display = ["held_on", "title", "plan", "classes", "headcount", "evacuation_seconds", "recorded_by"]
    list_filter = ["plan__kind", "plan"]
    search_fields = ["title", "classes", "plan__title", "went_well", "to_improve"]
    date_hierarchy = "held_on"
    list_select_related = ["plan", "recorded_by"]
    correctable = ("classes", "went_well", "to_improve")
    inlines = [DrillPhotoInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DrillPhoto)
class DrillPhotoAdmin(SimpleHistoryAdmin):
    list_display = ["drill", "uploaded_by", "uploaded_at"]
    list_select_related = ["drill", "uploaded_by"]
    readonly_fields = ["drill", "image", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False
