"""URLs of the safety module's duty area (namespace "safety")."""
from django.urls import path

from ..views import duty as views

urlpatterns = [
    path("duty/", views.roster, name="duty_roster"),
    path("duty/print/", views.roster_print, name="duty_roster_print"),
    path("duty/lay-out/", views.lay_out, name="duty_lay_out"),
    path("duty/<int:pk>/", views.shift_detail, name="shift_detail"),
    path("duty/<int:pk>/assign/", views.shift_assign, name="shift_assign"),
    path("duty/<int:pk>/handover/", views.handover_write, name="handover_write"),
]
