"""The canteen's day on one phone page: today's meals and their dishes, samples still to take, disinfection
still to log, the accompanied meal, the morning checks, samples due for discard, certificates and licences
expiring, the inspections and findings waiting — each a tap away from where it is done."""
import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone, translation

from logistics.freshness import fresh
from logistics.models import Term

from ..selectors import meals, staff, suppliers
from ..selectors.today import current_meal, inspections_waiting


@login_required
@permission_required("canteen.view_meal", raise_exception=True)
def today(request):
    now = timezone.now()
    day = timezone.localdate(now)
    data = fresh("canteen.today", translation.get_language(), today=True, timeout=60, compute=lambda: _day(day, now))
    return render(request, "canteen/today.html", {
        **data, "day": day, "now": now, "current": current_meal(data["meals"], now),
        "inspections": inspections_waiting(request.user, day),
        "can_log": request.user.has_perm("canteen.add_sample"),
        "yesterday": day - datetime.timedelta(days=1),
    })


def _day(day, now):
    """What the page shows for everyone: kept (logistics.freshness) until a record changes, a minute at most (what
    is due depends on the clock), in the reader's language; two queries instead of about twenty."""
    statuses = meals.day_status(day, now)
    checks = staff.checks_status(day)
    earlier = [s for s in meals.missing_after_meals(now, days=7) if s.date < day]
    return {
        "term": Term.objects.current(day), "meals": statuses, "checks": checks,
        "school_day": staff.is_school_day(day) or bool(checks.checked),
        "samples_due": list(meals.samples_due(now)[:50]),
        "certificates": list(staff.certificates_expiring(day)),
        "licences": list(suppliers.licences_expiring(day)),
        "earlier": earlier[:10],
    }
