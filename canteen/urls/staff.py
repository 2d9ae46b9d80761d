"""URLs of the canteen's staff area: the staff and their health certificates, the morning check."""
from django.urls import path

from ..views import staff as views

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/certificate/", views.staff_photo, name="staff_photo"),
    path("staff/<int:pk>/leave/", views.staff_leave, name="staff_leave"),
    path("staff/<int:pk>/return/", views.staff_return, name="staff_return"),
    path("checks/", views.checks_today, name="checks_today"),
    path("checks/record/", views.check_record, name="check_record"),
    path("checks/all-normal/", views.checks_all_normal, name="checks_all_normal"),
    path("checks/<int:year>/<int:month>/", views.check_grid, name="check_grid"),
    path("checks/<int:year>/<int:month>/print/", views.check_grid_print, name="check_grid_print"),
]
