"""URLs of the safety module's hazards area (namespace "safety")."""
from django.urls import path

from ..views import hazards as views

urlpatterns = [
    path("hazards/", views.hazard_list, name="hazard_list"),
    path("hazards/report/", views.hazard_report, name="hazard_report"),
    path("hazards/<int:pk>/repair/", views.hazard_open_repair, name="hazard_open_repair"),
]
