"""The canteen's demo, one module per area, in the order they build on each other: the kitchen's staff and
suppliers first, then the menus, whose dishes the meals' samples are taken of, then the inspections."""
from . import inspections, meals, menus, staff, suppliers

AREAS = [staff.AREA, suppliers.AREA, menus.AREA, meals.AREA, inspections.AREA]
