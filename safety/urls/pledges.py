"""URLs of the safety module's pledges area (namespace "safety"): the year's responsibility pledges."""
from django.urls import path

from ..views import pledges as views

urlpatterns = [
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new-year/", views.pledge_year_create, name="pledge_year_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/sign/", views.pledge_sign, name="pledge_sign"),
    path("pledges/<int:pk>/remove/", views.pledge_remove, name="pledge_remove"),
    path("pledges/<int:pk>/scan/", views.pledge_scan, name="pledge_scan"),
]
