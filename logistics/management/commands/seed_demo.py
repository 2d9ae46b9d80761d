"""`manage.py seed_demo`: a believable demo school, built the way real use builds it.

The kernel's school (calendar, people, departments, places; logistics.demo) first, then each module's
demo in dependency order, every record made through the services so it has its real history, then
moved back to its business dates. Running it again changes nothing: what exists is kept.
"""
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from logistics.demo import (  # noqa: F401  (current_and_previous_term, is_school_day: the calendar's rules)
    DEFAULT_PASSWORD,
    PEOPLE,
    DemoBuilder,
    current_and_previous_term,
    is_school_day,
)
from logistics.models import Building, Department, Location, SchoolProfile


class Command(BaseCommand):
    help = ("Build a believable demo school (places, one user per role with one known password, a term's "
            "repairs and checks). Idempotent; refuses to run unless DEBUG is on or --force is given.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"password of every demo user created (default: {DEFAULT_PASSWORD})")
        parser.add_argument("--force", action="store_true",
                            help="run even though DEBUG is off (never on a live school's database)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a known password and made-up records, so it only runs with "
                "DEBUG on. Set DEBUG=1, or pass --force if this really is a demo database. Nothing was changed.")
        password = options["password"]
        if not password:
            raise CommandError("--password must not be empty.")
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            builder = DemoBuilder(password=password, now=timezone.now())
            builder.run()
        elapsed = time.monotonic() - started
        self.print_summary(builder, password, elapsed)

    def print_summary(self, builder, password, elapsed):
        out = self.stdout
        profile = SchoolProfile.get()
        term = builder.current_term
        out.write(self.style.SUCCESS(f"Demo school “{profile.name}” is ready ({elapsed:.1f} s)."))
        out.write(f"Current term: {term.name} ({term.start} – {term.end})")
        out.write(f"Places: {Location.objects.count()} in {Building.objects.count()} buildings; "
                  f"departments: {Department.objects.count()}")
        for line in builder.summary():
            out.write(line)
        for note in builder.notes:
            out.write(note)
        out.write("")
        out.write(f"Demo password: {password}")
        out.write(f"  {'username':<12} {'role':<16} name")
        for username, role, name, what in PEOPLE:
            flag = "  (already there: password not changed)" if username in builder.existing_users else ""
            out.write(f"  {username:<12} {role or 'superuser':<16} {name} · {what}{flag}")
