"""Pages of background jobs: a job's page (progress bar, then its file or why it failed), its status as JSON for
the page's small script, the download, and "My files". Starting a job is the module's view's business: it checks
its own rights, then calls start_response."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..modules import job_kinds
from ..web import paginate
from .models import Job
from .services import error_text, job_start

# While a job runs its page reloads itself this often (seconds) when the script is off.
REFRESH_SECONDS = 3


def _get_job_for_user(request, pk):
    """The job if this user started it (superusers: any); 404 otherwise, so ids cannot be probed."""
    qs = Job.objects.all() if request.user.is_superuser else Job.objects.of(request.user)
    return get_object_or_404(qs, pk=pk)


def _label(job, kinds=None):
    spec = (kinds if kinds is not None else job_kinds()).get(job.kind)
    return spec.label if spec else job.kind


def start_response(request, kind, parameters):
    """Start (or find, on a second click) the job and go to its page. For a module's POST view, after its own
    permission check (job_start checks the kind's permission again: PermissionDenied, a 403)."""
    job, created = job_start(user=request.user, kind=kind, parameters=parameters,
                             language=getattr(request, "LANGUAGE_CODE", None))
    if not created:
        messages.info(request, _("This file is already being made: here is its progress."))
    return redirect("jobs:detail", pk=job.pk)


def _status(job):
    return {
        "status": job.status, "status_display": str(job.get_status_display()), "done": job.done, "total": job.total,
        # the page's count as the page first showed it ("3 of 10" / "3 / 10"), for its script to keep
        "count_display": _("%(done)s of %(total)s") % {"done": number_format(job.done, force_grouping=True),
                                                       "total": number_format(job.total, force_grouping=True)},
        "percent": job.percent, "error": error_text(job) if job.status == Job.Status.FAILED else "",
        "download_url": reverse("jobs:download", args=[job.pk]) if job.is_done and job.file else "",
        "filename": job.filename,
    }


@login_required
@never_cache
def job_detail(request, pk):
    job = _get_job_for_user(request, pk)
    return render(request, "logistics/job_detail.html", {
        "job": job, "label": _label(job), "status": _status(job), "refresh": REFRESH_SECONDS if job.is_active else 0,
    })


@login_required
@never_cache
def job_status(request, pk):
    return JsonResponse(_status(_get_job_for_user(request, pk)))


@login_required
def job_download(request, pk):
    job = _get_job_for_user(request, pk)
    if not job.can_download(request.user):
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_list(request):
    """My files: the jobs this user started, newest first."""
    page = paginate(request, Job.objects.of(request.user))
    kinds = job_kinds()
    for job in page.object_list:
        job.label = _label(job, kinds)
        job.error_text = error_text(job) if job.status == Job.Status.FAILED else ""
    return render(request, "logistics/job_list.html", {
        "page": page, "refresh": REFRESH_SECONDS if any(j.is_active for j in page.object_list) else 0,
    })
