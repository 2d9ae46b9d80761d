"""URLs of the canteen's suppliers area: suppliers and their certificates (索证), deliveries (进货查验)."""
from django.urls import path

from ..views import suppliers as views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_add, name="supplier_add"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("suppliers/<int:pk>/deactivate/", views.supplier_deactivate, name="supplier_deactivate"),
    path("suppliers/<int:pk>/reactivate/", views.supplier_reactivate, name="supplier_reactivate"),
    path("suppliers/<int:pk>/documents/new/", views.supplier_document_add, name="supplier_document_add"),
    path("suppliers/<int:pk>/documents/<int:document_id>/", views.supplier_document, name="supplier_document"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/new/", views.delivery_add, name="delivery_add"),
    path("deliveries/log.pdf", views.delivery_log_print, name="delivery_log_print"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/correct/", views.delivery_correct, name="delivery_correct"),
    path("deliveries/<int:pk>/photos/<int:photo_id>/", views.delivery_photo, name="delivery_photo"),
]
