"""URLs of the assets app: one module per area, all under the "assets" namespace."""
from django.urls import include, path

from . import movements, register, repairs, stocktake, supplies

app_name = "assets"

urlpatterns = [
    path("repairs/", include(repairs.urlpatterns)),
    path("assets/", include(register.urlpatterns)),
    path("stocktakes/", include(stocktake.urlpatterns)),
    path("", include(movements.urlpatterns)),
    path("", include(supplies.urlpatterns)),
]
