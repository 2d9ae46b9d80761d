"""Admin of the school vehicles (registers its models): vehicles, drivers and routes are kept through their pages
(with history); here they are read, their scans attached; pre-trip checks are read-only."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from logistics.admin import ServiceRecordAdmin

from ..models.vehicles import Driver, Route, TripCheck, Vehicle


class _Kept(SimpleHistoryAdmin):
    """Kept on the pages; the admin may attach the scan of the papers, and bumps the version so an open page
    notices the change."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Vehicle)
class VehicleAdmin(_Kept):
    list_display = ["plate", "description", "seats", "inspection_expires", "insurance_expires", "active"]
    list_filter = ["active"]
    search_fields = ["plate", "description", "operator"]


@admin.register(Driver)
class DriverAdmin(_Kept):
    list_display = ["name", "phone", "licence_class", "licence_expires", "school_agreement_until",
                    "parent_agreement_until", "active"]
    list_filter = ["active"]
    search_fields = ["name", "phone", "licence_number"]
    autocomplete_fields = ["user"]


@admin.register(Route)
class RouteAdmin(_Kept):
    list_display = ["name", "vehicle", "driver", "classes", "pupils", "active"]
    list_filter = ["active"]
    search_fields = ["name", "classes", "stops"]
    list_select_related = ["vehicle", "driver"]
    autocomplete_fields = ["escort"]


@admin.register(TripCheck)
class TripCheckAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["day", "vehicle", "driver", "fit", "checked_by", "checked_at"]
    list_filter = ["fit", "vehicle"]
    list_select_related = ["vehicle", "driver", "checked_by"]
    correctable = ("note",)
