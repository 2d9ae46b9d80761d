"""Reads for the canteen's day page and home sections that gather several areas (each area's own reads are in
its selectors module)."""
from logistics.findings.selectors import findings_for

from .inspections import AREA, inspections_due


def current_meal(statuses, now):
    """The meal the kitchen is busy with: the first of the day's expected meals (on the menu or logged) whose
    disinfection time has not passed, else the day's last (None on a day with no meal)."""
    expected = [s for s in statuses if s.served and s.expected]
    for status in expected:
        if now < status.disinfection_due_at:
            return status
    return expected[-1] if expected else None


def inspections_waiting(user, day):
    """{"inspections": inspections still to do whose day has come, "fix": canteen findings this user is to fix,
    "verify": canteen findings this user may verify (never their own fix)}."""
    result = {"inspections": [], "fix": [], "verify": []}
    if user.has_perm("canteen.change_inspection"):
        result["inspections"] = list(inspections_due(day)[:10])
    mine = findings_for(user, area=AREA)
    result["fix"], result["verify"] = list(mine["fix"][:10]), list(mine["verify"][:10])
    return result
