"""What the safety module puts on the home page (declared in SafetyConfig, see logistics.modules): each area's
sections, from its own module."""
from . import duty, hazards, inspections, plans, pledges, today, vehicles

AREAS = (today, inspections, hazards, plans, duty, vehicles, pledges)


def sections(user, now):
    return [section for area in AREAS for section in area.sections(user, now)]
