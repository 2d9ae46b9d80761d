"""URLs of the canteen's menus (menus/, a week by any of its dates: menus/2026-03-02/), and the public menu page
for parents (/menu/<key>/)."""
from django.urls import path, re_path

from ..views import menus as views

_WEEK = r"^menus/(?P<day>\d{4}-\d{2}-\d{2})/"

urlpatterns = [
    path("menus/", views.menu_list, name="menu_list"),
    re_path(_WEEK + r"$", views.menu_week, name="menu_week"),
    re_path(_WEEK + r"copy/$", views.menu_copy, name="menu_copy"),
    re_path(_WEEK + r"publish/$", views.menu_publish, name="menu_publish"),
    re_path(_WEEK + r"unpublish/$", views.menu_unpublish, name="menu_unpublish"),
    re_path(_WEEK + r"new-link/$", views.menu_new_link, name="menu_new_link"),
    re_path(_WEEK + r"print\.pdf$", views.menu_print, name="menu_print"),
]
public_urlpatterns = [
    path("menu/<uuid:key>/", views.menu_public, name="menu_public"),
]
