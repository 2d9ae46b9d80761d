import datetime

from django.core.management.base import BaseCommand, CommandError

from logistics.schedules import generate_due, schedule_models


class Command(BaseCommand):
    # None: every installed schedule model; a module's own command may name its models.
    schedule_models = None
    what = "task(s)"
    help = ("Create the day's tasks from every module's recurring schedules (checks, inspections …). "
            "Safe to run from cron any number of times.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in the school's time zone)")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from None
        models_ = self.schedule_models or schedule_models()
        created = generate_due(day=day, models_=models_)
        for task in created:
            self.stdout.write(f"created: {task}")
        kinds = ", ".join(str(m._meta.verbose_name_plural) for m in models_) or "none"
        self.stdout.write(self.style.SUCCESS(f"{len(created)} {self.what} created (schedules: {kinds})"))
