"""`manage.py prune_login_records [--days N]`: delete the login records (logins and failed logins) older than N
days, settings.LOGIN_RECORDS_DAYS by default (0 keeps every record). Locks in force are left alone. Run it from
cron, e.g. nightly."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from logistics.accounts.records import login_records_prune


class Command(BaseCommand):
    help = ("Delete logins and failed logins older than --days (default settings.LOGIN_RECORDS_DAYS; 0 keeps "
            "them all). Locks in force stay.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = settings.LOGIN_RECORDS_DAYS if days is None else days
        if days < 0:
            raise CommandError(f"--days must be 0 or more, not {days}")
        if days == 0:
            self.stdout.write("Login records are kept (0 days: no limit).")
            return
        logins, failures = login_records_prune(older_than=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"Deleted {logins} login(s) and {failures} failed login(s) older than {days} day(s).")
