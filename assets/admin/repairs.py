from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import CheckSchedule, CheckTask, RepairPhoto, RepairRequest


class RepairPhotoInline(admin.TabularInline):
    model = RepairPhoto
    extra = 0
    fields = ["image", "width", "height", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # photos come through the report form, which checks and re-encodes them


@admin.register(RepairRequest)
class RepairRequestAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["number", "title", "category", "location", "urgency", "status", "reporter", "assignee",
                    "reported_at", "due_at"]
    list_filter = ["status", "category", "urgency", "location__building", "assignee"]
    search_fields = ["number", "title", "description", "work_done", "reporter__username",
                     "reporter__first_name"]
    list_select_related = ["location__building", "reporter", "assignee"]
    raw_id_fields = ["reporter", "assignee", "check_task"]
    # State is changed by the services (with their rules); the admin may correct text only.
    readonly_fields = ["number", "status", "urgency", "reporter", "reported_at", "due_at", "assignee", "assigned_at",
                       "started_at", "completed_at", "closed_at", "cost", "minutes_spent", "reopen_count", "version",
                       "check_task"]
    inlines = [RepairPhotoInline]

    def has_add_permission(self, request):
        return False  # reports go through the report page, which numbers them and checks photos


@admin.register(RepairPhoto)
class RepairPhotoAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["request", "width", "height", "uploaded_by", "uploaded_at"]
    list_select_related = ["request", "uploaded_by"]
    search_fields = ["request__number"]
    readonly_fields = ["request", "image", "width", "height", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


class CheckScheduleForm(forms.ModelForm):
    """Weekdays as boxes to tick, not JSON to type."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"), choices=CheckSchedule.WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CheckSchedule
        fields = ["title", "category", "instructions", "locations", "frequency", "weekdays", "day_of_month",
                  "part_of_day", "assignee", "only_in_term", "active"]


@admin.register(CheckSchedule)
class CheckScheduleAdmin(SimpleHistoryAdmin):
    form = CheckScheduleForm
    list_display = ["title", "category", "frequency", "weekdays", "day_of_month", "part_of_day", "assignee",
                    "only_in_term", "active"]
    list_filter = ["category", "frequency", "active"]
    search_fields = ["title", "instructions"]
    filter_horizontal = ["locations"]
    list_select_related = ["assignee"]


@admin.register(CheckTask)
class CheckTaskAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["schedule", "due_date", "status", "assignee", "completed_by", "all_ok"]
    list_filter = ["status", "schedule", "all_ok"]
    search_fields = ["schedule__title", "findings"]
    list_select_related = ["schedule", "assignee", "completed_by"]
    # Tasks are made from their schedules and done on the check's page; who does one may be changed here.
    readonly_fields = ["schedule", "due_date", "status", "completed_by", "completed_at", "all_ok", "findings",
                       "version"]

    def has_add_permission(self, request):
        return False
