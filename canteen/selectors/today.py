"""Reads for the canteen's day page and home sections that gather several areas (each area's own reads are in
its selectors module)."""
from django.apps import apps
from django.utils.module_loading import import_string


def current_meal(statuses, now):
    """The meal the kitchen is busy with: the first of the day's expected meals (on the menu or logged) whose
    disinfection time has not passed, else the day's last (None on a day with no meal)."""
    expected = [s for s in statuses if s.served and s.expected]
    for status in expected:
        if now < status.disinfection_due_at:
            return status
    return expected[-1] if expected else None


def inspections_waiting(user, day):
    """{"inspections": today's and earlier inspections still to do, "fix": canteen findings this user is to
    fix, "verify": canteen findings this user may verify} (empty when the inspections area is absent)."""
    result = {"inspections": [], "fix": [], "verify": []}
    try:
        status = import_string("canteen.selectors.inspections.inspections_due")
    except ImportError:
        status = None
    if status is not None and user.has_perm("canteen.view_inspection"):
        result["inspections"] = list(status(day)[:10])
    from logistics.findings.selectors import findings_for

    label = apps.get_containing_app_config(__name__).label
    mine = findings_for(user, area=label)
    result["fix"], result["verify"] = list(mine["fix"][:10]), list(mine["verify"][:10])
    return result
