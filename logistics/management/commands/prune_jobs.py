"""`manage.py prune_jobs [--days N]`: delete background jobs that finished more than N days ago, with their
files (settings.JOB_FILES_DAYS by default). Run it from cron, e.g. nightly."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from logistics.jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete finished background jobs and their files older than --days (default settings.JOB_FILES_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = settings.JOB_FILES_DAYS if days is None else days
        count = jobs_prune(older_than=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"Deleted {count} finished job(s) older than {days} day(s).")
