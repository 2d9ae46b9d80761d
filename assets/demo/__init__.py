"""Demo data of the assets app by area, in the order they depend on each other.

The kernel's DemoBuilder (logistics.demo) calls each area's seed(builder) after the school, people and places exist;
builder has .users (username -> User), .rooms (room name -> Location), .current_term, .today, .now, .rng.
Each seed must be idempotent: add nothing when its records are already there.
"""
from . import movements, register, repairs, stocktake, supplies

AREAS = [repairs, register, stocktake, movements, supplies]
