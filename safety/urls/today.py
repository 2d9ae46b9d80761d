"""URLs of the safety module's hub: the safety officer's day and the term's ledger (namespace "safety")."""
from django.urls import path

from ..views import today as views

urlpatterns = [
    path("", views.today, name="today"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.pdf", views.ledger_pdf, name="ledger_pdf"),
    path("ledger/pdf-job", views.ledger_pdf_job, name="ledger_pdf_job"),
]
