"""URLs of the safety module's plans area (namespace "safety"): emergency plans and their versions, drills and
their follow-up actions."""
from django.urls import path

from ..views import plans as views

urlpatterns = [
    path("plans/", views.plan_list, name="emergencyplan_list"),
    path("plans/new/", views.plan_add, name="emergencyplan_add"),
    path("plans/<int:pk>/", views.plan_detail, name="emergencyplan_detail"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="emergencyplan_revise"),
    path("plans/<int:pk>/retire/", views.plan_retire, name="emergencyplan_retire"),
    path("plans/<int:pk>/reinstate/", views.plan_reinstate, name="emergencyplan_reinstate"),
    path("plans/<int:pk>/document/", views.plan_document, name="emergencyplan_document"),
    path("plans/<int:pk>/document/<int:history_id>/", views.plan_document, name="emergencyplan_document_version"),
    path("drills/", views.drill_list, name="drill_list"),
    path("drills/new/", views.drill_add, name="drill_add"),
    path("drills/<int:pk>/", views.drill_detail, name="drill_detail"),
    path("drills/<int:pk>/follow-ups/new/", views.drill_follow_up_add, name="drill_follow_up_add"),
    path("drills/<int:pk>/photos/<int:photo_id>/", views.drill_photo, name="drill_photo"),
]
