"""The project's urls.py as a school adding the module would write it: one include more."""
from django.urls import include, path

from logistics.urls import handler403  # noqa: F401
from logistics.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("tests.plugin_module.urls")), *project_urlpatterns]
