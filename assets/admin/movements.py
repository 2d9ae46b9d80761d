from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import AssetLoan, DamageRecord, WriteOff, WriteOffPhoto


@admin.register(AssetLoan)
class AssetLoanAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["asset", "quantity", "borrower", "borrower_name", "lent_on", "due_on", "status",
                    "returned_on", "return_condition"]
    list_filter = ["status", "return_condition", "due_on", "lent_on"]
    search_fields = ["asset__tag", "asset__name", "borrower__username", "borrower__first_name", "borrower_name",
                     "purpose"]
    list_select_related = ["asset", "borrower"]
    raw_id_fields = ["asset", "borrower"]
    # Lending and returns go through the loan pages (they check what is available and move the
    # asset's status); the admin corrects text only.
    readonly_fields = ["asset", "quantity", "borrower", "lent_on", "due_on", "status", "lent_by", "returned_on",
                       "returned_to", "return_condition", "version"]

    def has_add_permission(self, request):
        return False


@admin.register(DamageRecord)
class DamageRecordAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["asset", "occurred_on", "responsible", "assessed_amount", "status", "receipt_number"]
    list_filter = ["status", "occurred_on"]
    search_fields = ["asset__tag", "asset__name", "responsible", "description", "receipt_number"]
    list_select_related = ["asset"]
    # What happened and who answers for it are recorded, assessed and settled on the damage pages.
    readonly_fields = ["asset", "occurred_on", "responsible", "status", "assessed_amount", "recorded_by",
                       "recorded_at", "settled_by", "settled_at", "receipt_number", "waive_reason", "version"]

    def has_add_permission(self, request):
        return False


class WriteOffPhotoInline(admin.TabularInline):
    model = WriteOffPhoto
    extra = 0
    fields = ["image", "width", "height", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # photos come through the request form, which checks and re-encodes them


@admin.register(WriteOff)
class WriteOffAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["asset", "quantity", "value", "needs_principal", "status", "requested_by", "requested_at"]
    list_filter = ["status", "needs_principal"]
    search_fields = ["asset__tag", "asset__name", "reason", "decision_note", "requested_by__username",
                     "requested_by__first_name"]
    list_select_related = ["asset", "requested_by"]
    # Decisions are the head's and the principal's, on the write-off's page, with their rules.
    readonly_fields = ["asset", "quantity", "value", "needs_principal", "status", "requested_by", "requested_at",
                       "head_decided_by", "head_decided_at", "principal_decided_by", "principal_decided_at",
                       "decision_note", "version"]
    inlines = [WriteOffPhotoInline]

    def has_add_permission(self, request):
        return False


@admin.register(WriteOffPhoto)
class WriteOffPhotoAdmin(SimpleHistoryAdmin):
    list_display = ["write_off", "width", "height", "uploaded_by", "uploaded_at"]
    list_select_related = ["write_off__asset", "uploaded_by"]
    search_fields = ["write_off__asset__tag"]
    readonly_fields = ["write_off", "image", "width", "height", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False
