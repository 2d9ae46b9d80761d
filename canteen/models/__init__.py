"""The canteen's records, one module per area."""
from .common import MEAL_ORDER, MealKind
from .inspections import Checklist, Inspection, InspectionResult
from .meals import AccompaniedMeal, Disinfection, Meal, MenuDish, MenuWeek, Sample
from .settings import CanteenSettings
from .staff import NORMAL, SYMPTOMS, CanteenStaff, MorningCheck
from .suppliers import Delivery, DeliveryItem, DeliveryPhoto, Supplier, SupplierDocument

__all__ = [
    "MEAL_ORDER", "MealKind", "Checklist", "Inspection", "InspectionResult", "AccompaniedMeal", "Disinfection",
    "Meal", "MenuDish", "MenuWeek", "Sample", "CanteenSettings", "NORMAL", "SYMPTOMS", "CanteenStaff",
    "MorningCheck", "Delivery", "DeliveryItem", "DeliveryPhoto", "Supplier", "SupplierDocument",
]
