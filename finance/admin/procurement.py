"""Admin of invoices and the ledger, with their history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Invoice, LedgerEntry


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    list_display = ["number", "request", "issued_on", "amount", "status", "voucher_number", "paid_at"]
    list_filter = ["status", "issued_on"]
    search_fields = ["number", "voucher_number", "request__number", "request__title", "request__vendor"]
    list_select_related = ["request"]
    raw_id_fields = ["request", "handler", "receiver", "auditor", "paid_by", "recorded_by"]
    date_hierarchy = "issued_on"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "direction", "category", "amount", "description", "budget_line", "voucher_number"]
    list_filter = ["direction", "category", "budget_line", "date"]
    search_fields = ["description", "voucher_number", "invoice__number"]
    list_select_related = ["budget_line"]
    raw_id_fields = ["invoice", "created_by"]
    date_hierarchy = "date"
