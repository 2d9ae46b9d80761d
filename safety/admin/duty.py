"""Admin of the duty roster (registers its models): shifts are laid out and staffed through their pages (the
rules are the services'); here they are read, a note corrected; handover entries are read-only."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models.duty import DutyShift, HandoverEntry


@admin.register(DutyShift)
class DutyShiftAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["day", "kind", "starts", "ends", "leader"]
    list_filter = ["kind"]
    list_select_related = ["leader"]
    correctable = ("note",)


@admin.register(HandoverEntry)
class HandoverEntryAdmin(ServiceRecordAdmin):
    list_display = ["shift", "written_by", "written_at", "all_normal"]
    list_filter = ["all_normal"]
    search_fields = ["text"]
    list_select_related = ["shift", "written_by"]
