"""Admin of the safety module: one module per area, each registering its own models."""
from . import duty, hazards, inspections, plans, pledges, settings, vehicles  # noqa: F401
