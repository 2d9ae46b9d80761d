"""URLs of the safety module's hazards area (namespace "safety")."""
from django.urls import path

from ..views import hazards as views

urlpatterns = [
    path("hazards/report/", views.hazard_report, name="hazard_report"),
]
