"""What every canteen area shares: the meals of a day, and where uploaded files go."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.files import random_upload_path


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


MEAL_ORDER = {MealKind.BREAKFAST: 0, MealKind.LUNCH: 1, MealKind.DINNER: 2}


def certificate_path(instance, filename):
    return random_upload_path("canteen/certificates", filename)


def supplier_document_path(instance, filename):
    return random_upload_path("canteen/suppliers", filename)


def delivery_photo_path(instance, filename):
    return random_upload_path("canteen/deliveries", filename)
