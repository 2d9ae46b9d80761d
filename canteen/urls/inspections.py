"""URLs of the canteen's inspections area (under /canteen/, namespace "canteen")."""
from django.urls import path

from ..views import inspections as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/start/", views.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/record.pdf", views.inspection_print, name="inspection_print"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/add/", views.checklist_add, name="checklist_add"),
    path("checklists/<int:pk>/", views.checklist_edit, name="checklist_edit"),
]
