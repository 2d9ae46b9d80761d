"""Admin of the responsibility pledges. They are put on the list and signed by their services (the scan
checked): read here; the note may be corrected, with history."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models import Pledge


@admin.register(Pledge)
class PledgeAdmin(ServiceRecordAdmin):
    list_display = ["year", "name", "party", "signer", "signed_on"]
    list_filter = ["year", "party", ("signed_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "note", "signer__first_name", "signer__username"]
    list_select_related = ["signer"]
    correctable = ("note",)

    def has_delete_permission(self, request, obj=None):
        return False
