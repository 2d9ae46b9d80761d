"""The safety module's records, one module per area."""
from .duty import DutyShift, HandoverEntry
from .inspections import CheckArea, Inspection, InspectionPlan, InspectionResult, PlanItem
from .plans import Drill, DrillPhoto, EmergencyPlan
from .pledges import Pledge
from .settings import SafetySettings
from .vehicles import Driver, Route, TripCheck, Vehicle

__all__ = [
    "DutyShift", "HandoverEntry", "CheckArea", "Inspection", "InspectionPlan", "InspectionResult", "PlanItem",
    "Drill", "DrillPhoto", "EmergencyPlan", "Pledge", "SafetySettings", "Driver", "Route", "TripCheck", "Vehicle",
]
