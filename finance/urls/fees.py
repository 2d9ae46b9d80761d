"""URLs of fees collected on behalf (fees/, and the public notice under notice/) and student aid (aid/)."""
from django.urls import path

from ..views import fees as views

urlpatterns = [
    path("fees/", views.fee_list, name="fee_list"),
    path("fees/new/", views.fee_new, name="fee_new"),
    path("fees/<int:pk>/", views.fee_detail, name="fee_detail"),
    path("fees/<int:pk>/edit/", views.fee_edit, name="fee_edit"),
    path("fees/<int:pk>/classes/", views.fee_classes, name="fee_classes"),
    path("fees/<int:pk>/spending/", views.fee_spending_add, name="fee_spending_add"),
    path("fees/<int:pk>/publish/", views.fee_publish, name="fee_publish"),
    path("fees/<int:pk>/settle/", views.fee_settle, name="fee_settle"),
    path("fees/<int:pk>/notice.pdf", views.fee_notice_pdf, name="fee_notice_pdf"),
    path("notice/<str:token>/", views.fee_public, name="fee_public"),
    path("aid/", views.aid_list, name="aid_list"),
    path("aid/new/", views.aid_new, name="aid_new"),
    path("aid/publication.pdf", views.aid_publication_pdf, name="aid_publication_pdf"),
    path("aid/publish/", views.aid_publish, name="aid_publish"),
    path("aid-notice/<str:token>/", views.aid_public, name="aid_public"),
    path("aid/<int:pk>/", views.aid_detail, name="aid_detail"),
    path("aid/<int:pk>/decide/", views.aid_decide, name="aid_decide"),
    path("aid/<int:pk>/pay/", views.aid_pay, name="aid_pay"),
]
