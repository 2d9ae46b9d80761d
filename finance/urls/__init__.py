"""URLs of finance: one module per area, all under the "finance" namespace."""
from django.urls import include, path

from . import fees, procurement, purchases

app_name = "finance"

urlpatterns = []
urlpatterns += [path("", include(procurement.urlpatterns))]
urlpatterns += [path("", include(fees.urlpatterns))]
urlpatterns += [path("purchases/", include(purchases.urlpatterns))]
