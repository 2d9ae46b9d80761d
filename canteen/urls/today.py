"""The canteen's day page (/canteen/)."""
from django.urls import path

from ..views import today as views

urlpatterns = [
    path("", views.today, name="today"),
]
