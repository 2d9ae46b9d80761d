import datetime

from django.core.management.base import BaseCommand, CommandError

from assets.services import generate_due_checks


class Command(BaseCommand):
    help = "Create the day's check tasks from the recurring check schedules. Safe to run from cron any number of times."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in the school's time zone)")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from None
        created = generate_due_checks(day=day)
        for task in created:
            self.stdout.write(f"created: {task.schedule.title} {task.due_date}")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} check task(s) created"))
