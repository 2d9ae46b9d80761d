from django.urls import path

from . import views

app_name = "findings"

urlpatterns = [
    path("", views.finding_list, name="list"),
    path("new/", views.finding_new, name="new"),
    path("<int:pk>/", views.finding_detail, name="detail"),
    path("<int:pk>/fix/", views.finding_fix, name="fix"),
    path("<int:pk>/verify/", views.finding_verify, name="verify"),
    path("<int:pk>/reassign/", views.finding_reassign, name="reassign"),
    path("<int:pk>/extend/", views.finding_extend, name="extend"),
    path("<int:pk>/photos/<int:photo_id>/", views.finding_photo, name="photo"),
    path("<int:pk>/notice.pdf", views.finding_notice, name="notice"),
]
