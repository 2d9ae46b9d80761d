"""`manage.py seed_demo`: a believable demo school, built the way real use builds it.

The kernel's school (calendar, people, departments, places; logistics.demo) first, then each module's
demo in dependency order, every record made through the services so it has its real history, then
moved back to its business dates. Running it again changes nothing: what exists is kept.

`--size large [--scale 1.0]`: a central school's years instead (logistics.demo_large): the named demo people,
five years of terms, campuses of about 300 rooms, 200 more people, and each module's large data written in
bulk with the history it implies (modules' ``demo_large``: about 50,000 register records, 20,000 repairs,
10,000 purchase requests, five years of the canteen's and safety's records; some 920,000 history rows at
scale 1). Built once: a database that holds it is refused. It does not build the normal demo's records; run
plain `seed_demo` first to have both.
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
from logistics.demo_large import LargeExists, build_large
from logistics.models import Building, Department, Location, SchoolProfile


class Command(BaseCommand):
    help = ("Build a believable demo school (places, one user per role with one known password, a term's "
            "repairs and checks). Idempotent; refuses to run unless DEBUG is on or --force is given.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"password of every demo user created (default: {DEFAULT_PASSWORD})")
        parser.add_argument("--force", action="store_true",
                            help="run even though DEBUG is off (never on a live school's database)")
        parser.add_argument("--size", choices=["normal", "large"], default="normal",
                            help="normal: one school term, built through the services (default); large: a "
                                 "central school's five years, written in bulk")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="with --size large: multiply every count (1.0: about 50,000 assets; "
                                 "0.01 for a quick try)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a known password and made-up records, so it only runs with "
                "DEBUG on. Set DEBUG=1, or pass --force if this really is a demo database. Nothing was changed.")
        password = options["password"]
        if not password:
            raise CommandError("--password must not be empty.")
        started = time.monotonic()
        if options["size"] == "large":
            return self.handle_large(password, options["scale"], started)
        if options["scale"] != 1.0:
            raise CommandError("--scale only applies with --size large.")
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            builder = DemoBuilder(password=password, now=timezone.now())
            builder.run()
        elapsed = time.monotonic() - started
        self.print_summary(builder, password, elapsed)

    def handle_large(self, password, scale, started):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        try:
            with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
                builder = build_large(password=password, now=timezone.now(), scale=scale)
        except LargeExists as e:
            raise CommandError(
                f"This database already holds the large demo data (user {e} exists), so nothing was changed. "
                "Build it on a fresh database: createdb, migrate, then seed_demo --size large.") from None
        elapsed = time.monotonic() - started
        out = self.stdout
        out.write(self.style.SUCCESS(f"Large demo school is ready ({elapsed:.1f} s)."))
        for line in builder.lines:
            out.write(line)
        out.write(f"Demo password: {password} (the named demo users, e.g. head and logistics, and u0001 …)")

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
