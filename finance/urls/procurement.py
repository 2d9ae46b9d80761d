"""URLs after approval: orders, invoices, the ledger, the monthly report and the finance hub."""
from django.urls import path

from ..views import procurement as views

urlpatterns = [
    path("finance/", views.home, name="home"),
    path("orders/<int:pk>/", views.order_record, name="order_record"),
    path("orders/<int:pk>/accept/", views.order_accept, name="order_accept"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/new/", views.invoice_new, name="invoice_new"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/file/", views.invoice_file, name="invoice_file"),
    path("invoices/<int:pk>/sign/", views.invoice_sign, name="invoice_sign"),
    path("invoices/<int:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.ledger_new, name="ledger_new"),
    path("ledger/<int:pk>/", views.ledger_entry, name="ledger_entry"),
    path("ledger/monthly/", views.monthly_report, name="monthly_report"),
    path("ledger/monthly.xlsx", views.monthly_report_xlsx, name="monthly_report_xlsx"),
    path("ledger/monthly.pdf", views.monthly_report_pdf, name="monthly_report_pdf"),
]
