"""The home page ("what waits for me") and the health check."""
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import dashboard
from .freshness import stamp
from .models import Term
from .nav import menu_for


@login_required
def home(request):
    """Each role sees first what waits for it, gathered from every module (logistics.modules), then how the
    term stands for its roles (logistics.dashboard)."""
    now = timezone.now()
    ctas = [item for item in menu_for(request) if item["cta"]]
    term = Term.objects.current()
    # What the records look like now, read once: everything cached below is fresh for this stamp.
    current = stamp()
    sections, panels, summary_state = dashboard.home_sections(request.user, now, term, current=current)
    return render(request, "logistics/home.html", {
        "sections": sections,
        "panels": panels,
        "calls_to_action": ctas,
        "term": term,
        "dashboard": dashboard.dashboard(request.user, term, current=current),
        "summary_state": summary_state,
        "now": now,
    })


@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise. For the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database error means "take me out of rotation"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
