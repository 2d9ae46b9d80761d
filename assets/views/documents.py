"""The register's long documents started from its page as background jobs (assets.documents makes them,
logistics.jobs runs them): the register as a PDF, the Excel export and the QR label sheet, each keeping the
register's filters. POST only: each click is one job (a second click while it runs finds the same one)."""
from django.contrib.auth.decorators import login_required, permission_required
from django.views.decorators.http import require_POST

from logistics.jobs.views import start_response

from ..documents import filter_parameters


def _parameters(request, **extra):
    # The QR codes and images need the site's address; the worker has no request to ask.
    return {"filters": filter_parameters(request), "base_url": request.build_absolute_uri("/"), **extra}


@require_POST
@login_required
@permission_required("assets.view_asset", raise_exception=True)
def register_pdf(request):
    return start_response(request, "assets.register_pdf", _parameters(request))


@require_POST
@login_required
@permission_required("assets.view_asset", raise_exception=True)
def register_xlsx(request):
    return start_response(request, "assets.register_xlsx", {"filters": filter_parameters(request)})


@require_POST
@login_required
@permission_required("assets.view_asset", raise_exception=True)
def labels(request):
    """Labels for the ticked assets ("ticked") or for the whole filtered list ("list")."""
    ids = sorted({int(i) for i in request.POST.getlist("ids") if i.isdigit()}) if request.POST.get("scope") != "list" \
        else []
    return start_response(request, "assets.labels_pdf", _parameters(request, ids=ids))
