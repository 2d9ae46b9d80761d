"""The safety module's demo, one module per area, in the order they build on each other: the plans and the
roster first, then vehicles and pledges, then the inspections whose failed items raise hazards, and the
hazards reported by hand (one opening a repair)."""
from . import duty, hazards, inspections, plans, pledges, vehicles

AREAS = [a.AREA for a in (plans, duty, vehicles, pledges, inspections, hazards) if a.AREA is not None]
