"""URLs of the canteen's meals area: a meal's page (/canteen/meals/2026-11-30/lunch/) and its moves, the
samples due for discard, the logs and the printed sample log (留样记录表)."""
import datetime

from django.urls import path, register_converter

from ..views import meals as views


class MealDateConverter:
    """A day in a URL as 2026-11-30; a date that does not exist is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as e:
            raise ValueError(value) from e

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(MealDateConverter, "mealdate")

urlpatterns = [
    path("meals/<mealdate:date>/<str:kind>/", views.meal_detail, name="meal_detail"),
    path("meals/<mealdate:date>/<str:kind>/sample/", views.meal_sample_take, name="meal_sample_take"),
    path("meals/<mealdate:date>/<str:kind>/disinfection/", views.meal_disinfection, name="meal_disinfection"),
    path("meals/<mealdate:date>/<str:kind>/accompanied/", views.meal_accompanied, name="meal_accompanied"),
    path("meals/<mealdate:date>/<str:kind>/not-served/", views.meal_not_served, name="meal_not_served"),
    path("meals/<mealdate:date>/<str:kind>/served/", views.meal_served, name="meal_served"),
    path("samples/", views.sample_log, name="sample_log"),
    path("samples/print/", views.sample_log_print, name="sample_log_print"),
    path("samples/discard/", views.sample_discard_due, name="sample_discard_due"),
    path("samples/<int:pk>/discard/", views.sample_discard, name="sample_discard"),
    path("disinfection/", views.disinfection_log, name="disinfection_log"),
    path("accompanied/", views.accompanied_list, name="accompanied_list"),
]
