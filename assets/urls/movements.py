"""URLs of loans, damage, write-offs and the year's asset-change report."""
from django.urls import path

from ..views import movements as views

urlpatterns = [
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/new/", views.loan_create, name="loan_create"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("damage/", views.damage_list, name="damage_list"),
    path("damage/new/", views.damage_create, name="damage_create"),
    path("damage/<int:pk>/", views.damage_detail, name="damage_detail"),
    path("damage/<int:pk>/settle/", views.damage_settle, name="damage_settle"),
    path("damage/<int:pk>/repaired/", views.damage_repaired, name="damage_repaired"),
    path("write-offs/", views.writeoff_list, name="writeoff_list"),
    path("write-offs/new/", views.writeoff_create, name="writeoff_create"),
    path("write-offs/<int:pk>/", views.writeoff_detail, name="writeoff_detail"),
    path("write-offs/<int:pk>/decide/", views.writeoff_decide, name="writeoff_decide"),
    path("write-offs/<int:pk>/photos/<int:photo_id>/", views.writeoff_photo, name="writeoff_photo"),
    path("asset-report/", views.asset_report, name="asset_report"),
    path("asset-report/xlsx/", views.asset_report_xlsx, name="asset_report_xlsx"),
    path("asset-report/pdf/", views.asset_report_pdf, name="asset_report_pdf"),
]
