"""URLs of the safety module's inspections area (under /safety/, namespace "safety")."""
from django.urls import path

from ..views import inspections as views

urlpatterns = [
    path("checklists/", views.plan_list, name="plan_list"),
    path("checklists/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("checklists/<int:pk>/start/", views.plan_start, name="plan_start"),
    path("checklists/<int:pk>/typical/", views.plan_typical, name="plan_typical"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/results/<int:result_id>/photo/", views.result_photo, name="result_photo"),
    path("inspections/<int:pk>/record.pdf", views.inspection_print, name="inspection_print"),
]
