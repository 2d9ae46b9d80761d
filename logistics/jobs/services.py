"""Starting, running and pruning background jobs. The kernel names no module: a job's kind is looked up in what
the installed modules declare (logistics.modules.job_kinds)."""
import datetime
import hashlib
import json
import logging
import time

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..modules import job_kinds
from .models import Job

logger = logging.getLogger(__name__)

# Said when the work stopped for a reason the user cannot act on (a bug): stored untranslated, shown translated.
UNEXPECTED = gettext_noop("The file could not be made because of an error in the app. Try again later; if it "
                          "happens again, tell the administrator (the error has been logged).")

STOPPED = gettext_noop("The work stopped before the file was made (the server was restarted). Start it again.")


class JobFailed(Exception):
    """Raised by a job's function with a sentence the user reads: why the file cannot be made."""


def job_key(kind, parameters):
    return hashlib.sha256(json.dumps([kind, parameters], sort_keys=True, default=str).encode()).hexdigest()


def job_start(*, user, kind, parameters, language=None):
    """The job that makes this file for this user: the same one still queued or running when the user asks again
    (a second click), else a new one on the queue. Returns (job, created). PermissionDenied when the kind is not
    declared by an installed module or the user may not start it."""
    spec = job_kinds().get(kind)
    if spec is None or (spec.perm and not user.has_perm(spec.perm)):
        raise PermissionDenied(_("You may not make this file."))
    parameters = json.loads(json.dumps(parameters, default=str))  # what the queue will hold, as JSON
    key = job_key(kind, parameters)
    existing = Job.objects.active().filter(owner=user, kind=kind, key=key).first()
    if existing and not _stale(existing):
        return existing, False
    try:
        with transaction.atomic():
            job = Job.objects.create(owner=user, kind=kind, parameters=parameters, key=key,
                                     language=language or translation.get_language() or "")
    except IntegrityError:  # two clicks at once: the other one made it
        return Job.objects.active().get(owner=user, kind=kind, key=key), False
    _enqueue(job)
    job.refresh_from_db()
    return job, True


# A job running this long lost its worker (stopped or killed): asking again starts a new one.
STALE_AFTER = datetime.timedelta(hours=2)


def _stale(job):
    """Mark a job whose worker died failed (and say so); True when it was."""
    since = job.started_at or job.created_at
    if since > timezone.now() - STALE_AFTER:
        return False
    Job.objects.filter(pk=job.pk, status=job.status).update(status=Job.Status.FAILED, error=STOPPED,
                                                             finished_at=timezone.now())
    return True


def _enqueue(job):
    from .tasks import run_job

    try:
        result = run_job.enqueue(job.pk)
    except Exception:
        logger.exception("Job %s could not be put on the queue", job.pk)
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, error=UNEXPECTED, finished_at=timezone.now())
        return
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


class Progress:
    """progress(done, total=None): how far a job got. Written to the job's row at most once every `every`
    seconds (and at the first call that gives a total), never once a row."""

    def __init__(self, job, every=1.0):
        self.job, self.every = job, every
        self.done, self.total = 0, job.total
        self.written_at = time.monotonic()
        self.writes = 0

    def __call__(self, done, total=None):
        self.done = done
        first_total = total is not None and total != self.total
        if total is not None:
            self.total = total
        now = time.monotonic()
        if first_total or now - self.written_at >= self.every:
            Job.objects.filter(pk=self.job.pk).update(done=min(self.done, self.total or self.done), total=self.total)
            self.written_at = now
            self.writes += 1


def job_run(job_id):
    """Run a queued job (the worker calls this through tasks.run_job): its kind's function, then the file saved
    and the job done, or the job failed with why. A job already taken by another worker is left alone."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING, started_at=now):
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    spec = job_kinds().get(job.kind)
    with translation.override(job.language or None):
        try:
            if spec is None:  # a kind no installed module declares (any more)
                raise JobFailed(_("This kind of file can no longer be made."))
            if spec.perm and not job.owner.has_perm(spec.perm):
                raise JobFailed(_("You may no longer make this file."))
            filename, content = import_string(spec.run)(job, Progress(job))
        except JobFailed as e:
            _fail(job, str(e))
            return job.status
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _fail(job, UNEXPECTED)
            return job.status
    job.refresh_from_db(fields=["done", "total"])
    job.file.save(filename, ContentFile(content), save=False)
    job.filename, job.size = filename[:120], len(content)
    job.status, job.finished_at = Job.Status.DONE, timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["file", "filename", "size", "status", "finished_at", "done", "total"])
    return job.status


def _fail(job, message):
    job.status, job.error, job.finished_at = Job.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def error_text(job):
    """Why a job failed, in the reader's language (the app's own message is stored untranslated)."""
    return _(job.error) if job.error in (UNEXPECTED, STOPPED) else job.error


def jobs_prune(*, older_than):
    """Delete finished jobs (and their files) that finished before older_than; returns how many."""
    old = Job.objects.filter(finished_at__lt=older_than).exclude(status__in=Job.ACTIVE)
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
