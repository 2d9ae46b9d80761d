from django.urls import path

from ..views import documents
from ..views import register as views

urlpatterns = [
    path("", views.asset_list, name="asset_list"),
    path("new/", views.asset_create, name="asset_create"),
    path("import/", views.asset_import, name="asset_import"),
    path("template.xlsx", views.asset_template, name="asset_template"),
    path("export.xlsx", views.asset_export, name="asset_export"),
    path("labels.pdf", views.asset_labels, name="asset_labels"),
    # the same documents made in the background (POST: starts a job, goes to its page)
    path("register.pdf", documents.register_pdf, name="asset_register_pdf"),
    path("export/", documents.register_xlsx, name="asset_export_job"),
    path("labels/", documents.labels, name="asset_labels_job"),
    path("<int:pk>/", views.asset_detail, name="asset_detail"),
    path("<int:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("<int:pk>/report-fault/", views.asset_report_fault, name="asset_report_fault"),
]
