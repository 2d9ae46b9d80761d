from django.urls import path

from . import views

app_name = "plugin_module"
urlpatterns = [path("library/", views.index, name="index")]
