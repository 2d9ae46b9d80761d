"""The safety hub (being built)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def today(request):
    return HttpResponse("safety")
