"""Admin of invoices and the ledger, with their history."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from logistics.admin import ServiceRecordAdmin

from ..models import Invoice, LedgerEntry


@admin.register(Invoice)
class InvoiceAdmin(ServiceRecordAdmin):
    """Recorded, signed and paid on the invoice's pages only (payment writes the ledger entry)."""

    exclude = ["attachment"]  # shown as a link to the app's own file page (it checks who may read it)

    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["number", "request", "issued_on", "amount", "status", "voucher_number", "paid_at"]
    list_filter = ["status", "issued_on"]
    search_fields = ["number", "voucher_number", "request__number", "request__title", "request__vendor"]
    list_select_related = ["request"]

    def get_readonly_fields(self, request, obj=None):
        return [*(f for f in super().get_readonly_fields(request, obj) if f != "attachment"), "file"]

    @admin.display(description=_("invoice (file)"))
    def file(self, obj):
        if not obj.attachment:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("finance:invoice_file", args=[obj.pk]),
                           _("Open the invoice file"))


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ServiceRecordAdmin):
    """Entered on the ledger's page or by the money's own move; the admin corrects the description only."""

    correctable = ["description"]
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["date", "direction", "category", "amount", "description", "budget_line", "voucher_number"]
    list_filter = ["direction", "category", "budget_line", "date"]
    search_fields = ["description", "voucher_number", "invoice__number"]
    list_select_related = ["budget_line"]
