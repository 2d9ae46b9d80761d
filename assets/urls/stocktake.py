from django.urls import path

from ..views import stocktake as views

urlpatterns = [
    path("", views.stocktake_list, name="stocktake_list"),
    path("new/", views.stocktake_open, name="stocktake_open"),
    path("<int:pk>/", views.stocktake_detail, name="stocktake_detail"),
    path("<int:pk>/close/", views.stocktake_close, name="stocktake_close"),
    path("rooms/<int:pk>/", views.stocktake_room, name="stocktake_room"),
    path("rooms/<int:pk>/sign/", views.stocktake_room_sign, name="stocktake_room_sign"),
    path("rooms/<int:pk>/print/", views.stocktake_room_print, name="stocktake_room_print"),
]
