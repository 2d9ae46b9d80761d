"""URLs of the safety module: one module per area, all under the "safety" namespace (/safety/…)."""
from django.urls import include, path

from . import duty, hazards, inspections, plans, pledges, today, vehicles

app_name = "safety"

urlpatterns = [
    path("safety/", include(today.urlpatterns)),
    path("safety/", include(inspections.urlpatterns)),
    path("safety/", include(hazards.urlpatterns)),
    path("safety/", include(plans.urlpatterns)),
    path("safety/", include(duty.urlpatterns)),
    path("safety/", include(vehicles.urlpatterns)),
    path("safety/", include(pledges.urlpatterns)),
]
