"""Admin of the canteen's suppliers area (registers its models). Suppliers and deliveries are made and moved by
their services (a licence checked, a delivery refused): read here; a supplier's contact details may be corrected."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from logistics.admin import ServiceRecordAdmin

from ..models import Delivery, DeliveryItem, DeliveryPhoto, Supplier, SupplierDocument


class SupplierDocumentInline(admin.TabularInline):
    model = SupplierDocument
    extra = 0
    fields = ["title", "expires", "uploaded_by", "uploaded_at"]
    readonly_fields = ["title", "expires", "uploaded_by", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supplier)
class SupplierAdmin(ServiceRecordAdmin):
    list_display = ["name", "goods", "licence_kind", "licence_number", "licence_expires", "active"]
    list_filter = ["active", "licence_kind"]
    search_fields = ["name", "goods", "licence_number", "contact"]
    date_hierarchy = "licence_expires"
    correctable = ("address", "contact", "phone", "goods")
    inlines = [SupplierDocumentInline]


@admin.register(SupplierDocument)
class SupplierDocumentAdmin(ServiceRecordAdmin):
    list_display = ["title", "supplier", "expires", "uploaded_by", "uploaded_at"]
    list_filter = ["supplier"]
    search_fields = ["title", "supplier__name"]
    list_select_related = ["supplier", "uploaded_by"]


class DeliveryItemInline(admin.TabularInline):
    model = DeliveryItem
    extra = 0
    fields = ["name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life", "is_meat",
              "quarantine_cert"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["number", "date", "supplier", "status", "invoice_ref", "checked_by"]
    list_filter = ["status", "supplier"]
    search_fields = ["number", "invoice_ref", "supplier__name", "items__name"]
    list_select_related = ["supplier", "checked_by"]
    inlines = [DeliveryItemInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliveryPhoto)
class DeliveryPhotoAdmin(SimpleHistoryAdmin):
    list_display = ["delivery", "uploaded_by", "uploaded_at"]
    list_select_related = ["delivery", "uploaded_by"]
    readonly_fields = ["delivery", "image", "width", "height", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False
