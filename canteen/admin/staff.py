"""Admin of the canteen's staff area (registers its models): the staff list is kept through its pages (the
certificate photo is checked there); morning checks are read-only here, their rules are the services'."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models.staff import CanteenStaff, MorningCheck


@admin.register(CanteenStaff)
class CanteenStaffAdmin(ServiceRecordAdmin):
    list_display = ["name", "post", "certificate_number", "certificate_expires", "last_checkup", "active"]
    list_filter = ["active", "post"]
    search_fields = ["name", "certificate_number", "phone"]
    date_hierarchy = "certificate_expires"
    correctable = ("phone", "certificate_issuer")


@admin.register(MorningCheck)
class MorningCheckAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["date", "staff", "codes", "temperature_c", "fit", "checked_by"]
    list_filter = ["fit", "date"]
    search_fields = ["staff__name"]
    list_select_related = ["staff", "checked_by"]
    correctable = ("note",)
