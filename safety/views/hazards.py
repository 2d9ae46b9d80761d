"""Hazards (being built)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def hazard_report(request):
    return HttpResponse("report")
