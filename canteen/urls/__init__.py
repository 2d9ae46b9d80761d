"""URLs of the canteen: one module per area, all under the "canteen" namespace (/canteen/…; the parents'
menu page under /menu/)."""
from django.urls import include, path

from . import inspections, meals, menus, staff, suppliers, today

app_name = "canteen"

urlpatterns = [
    path("canteen/", include(today.urlpatterns)),
    path("canteen/", include(meals.urlpatterns)),
    path("canteen/", include(menus.urlpatterns)),
    path("canteen/", include(staff.urlpatterns)),
    path("canteen/", include(suppliers.urlpatterns)),
    path("canteen/", include(inspections.urlpatterns)),
    path("", include(menus.public_urlpatterns)),
]
