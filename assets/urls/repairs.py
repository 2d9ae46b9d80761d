from django.urls import path

from ..views import repairs as views

urlpatterns = [
    path("", views.repair_queue, name="repair_queue"),
    path("new/", views.repair_report, name="repair_report"),
    path("mine/", views.repair_mine, name="repair_mine"),
    path("<int:pk>/", views.repair_detail, name="repair_detail"),
    path("<int:pk>/assign/", views.repair_assign, name="repair_assign"),
    path("<int:pk>/take/", views.repair_take, name="repair_take"),
    path("<int:pk>/start/", views.repair_start, name="repair_start"),
    path("<int:pk>/complete/", views.repair_complete, name="repair_complete"),
    path("<int:pk>/confirm/", views.repair_confirm, name="repair_confirm"),
    path("<int:pk>/reopen/", views.repair_reopen, name="repair_reopen"),
    path("<int:pk>/reject/", views.repair_reject, name="repair_reject"),
    path("<int:pk>/cancel/", views.repair_cancel, name="repair_cancel"),
    path("<int:pk>/print/", views.repair_print, name="repair_print"),
    path("<int:pk>/photos/<int:photo_id>/", views.repair_photo, name="repair_photo"),
    path("checks/", views.schedule_list, name="schedule_list"),
    path("checks/<int:pk>/", views.check_task_detail, name="check_task_detail"),
]
