"""The repair checks alone; `generate_due_tasks` (the kernel's) runs every module's schedules."""
from logistics.management.commands.generate_due_tasks import Command as DueTasksCommand

from ...models import CheckSchedule


class Command(DueTasksCommand):
    help = "Create the day's check tasks from the recurring check schedules. Safe to run from cron any number of times."
    schedule_models = [CheckSchedule]
    what = "check task(s)"
