"""Admin of the canteen: one module per area, each registering its own models."""
from . import inspections, meals, menus, settings, staff, suppliers  # noqa: F401
