"""The record of a background job (logistics.jobs): what was asked, by whom, how far it got, and its file."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def job_file_path(job, filename):
    """jobs/YYYY/MM/<random>.<ext>: the address of one file says nothing about another's; the name the user
    downloads is kept apart (Job.filename)."""
    ext = filename[filename.rfind("."):].lower() if "." in filename else ""
    return f"jobs/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class JobQuerySet(models.QuerySet):
    def of(self, user):
        """The jobs a user started (the only ones they see, superusers included: "My files")."""
        return self.filter(owner=user)

    def active(self):
        return self.filter(status__in=Job.ACTIVE)


class Job(models.Model):
    """One piece of long work a user started: a kind declared by a module, its parameters, its progress and,
    when done, its file (private: served only to its owner and to superusers)."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "Waiting to start")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        DONE = "done", pgettext_lazy("job status", "Ready")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=60)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE,
                              related_name="jobs")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # sha256 of kind and parameters as canonical JSON: the same work asked again while it runs is that job
    key = models.CharField(_("key"), max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=10, blank=True,
                                help_text=_("The language the file is made in: the one the user was reading."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created")]
        constraints = [
            # A second click while the first job is queued or running finds that job (services.job_start).
            models.UniqueConstraint(fields=["owner", "kind", "key"], condition=Q(status__in=["queued", "running"]),
                                    name="job_one_active_per_request"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def can_download(self, user):
        return self.is_done and bool(self.file) and (user.pk == self.owner_id or user.is_superuser)
