"""URLs of the safety module's vehicles area (namespace "safety")."""
from django.urls import path

from ..views import vehicles as views

urlpatterns = [
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("vehicles/add/", views.vehicle_add, name="vehicle_add"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("vehicles/drivers/add/", views.driver_add, name="driver_add"),
    path("vehicles/drivers/<int:pk>/", views.driver_detail, name="driver_detail"),
    path("vehicles/drivers/<int:pk>/edit/", views.driver_edit, name="driver_edit"),
    path("vehicles/routes/add/", views.route_add, name="route_add"),
    path("vehicles/routes/<int:pk>/", views.route_detail, name="route_detail"),
    path("vehicles/routes/<int:pk>/edit/", views.route_edit, name="route_edit"),
    path("vehicles/check/", views.trip_check, name="trip_check"),
    path("vehicles/checks/", views.trip_check_list, name="trip_check_list"),
    path("vehicles/checks/<int:pk>/", views.trip_check_detail, name="trip_check_detail"),
]
