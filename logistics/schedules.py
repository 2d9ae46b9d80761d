"""Recurring schedules: when something is due (the kernel's), and what a due task is (each module's).

A module's schedule model subclasses `Recurrence` (an abstract model: chosen weekdays, a day of the
month, every school day, or the first day of each term; only in term or all year) and implements
`create_task(day)`, returning (task, created). `generate_due(day)` walks every installed model that
does so; `manage.py generate_due_tasks`, run from cron as often as you like, calls it. Creating a
task must be idempotent (a unique constraint on schedule and day, and get_or_create), so running
the generator twice creates nothing more.
"""
import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


def last_day_of_month(day):
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (next_month - datetime.timedelta(days=1)).day


class Recurrence(models.Model):
    """When a recurring task falls due. Subclasses add what is to be done and by whom."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("On given weekdays")
        MONTHLY = "monthly", _("Monthly, on a given day")
        DAILY = "daily", _("Every school day (Monday to Friday)")
        TERM_START = "term_start", _("On the first day of each term")

    class PartOfDay(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    WEEKDAYS = WEEKDAYS

    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True,
                                help_text=_("For weekly checks: 0 = Monday … 6 = Sunday."))
    day_of_month = models.PositiveSmallIntegerField(
        _("day of month"), null=True, blank=True,
        help_text=_("For monthly checks: 1–31; in shorter months the check falls on the last day."),
    )
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices,
                                   default=PartOfDay.ANY)
    only_in_term = models.BooleanField(_("only during term"), default=True,
                                       help_text=_("No check tasks are created in the holidays."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def clean(self):
        """A weekly schedule needs weekdays 0–6, a monthly one a day 1–31 (a bad value typed in the admin
        would otherwise stop the daily run for every schedule)."""
        if self.frequency == self.Frequency.WEEKLY:
            days = self.weekdays if isinstance(self.weekdays, list) else []
            days = [int(d) for d in days if isinstance(d, int | str) and str(d).strip().isdigit()]
            if not days or len(days) != len(self.weekdays) or not all(0 <= d <= 6 for d in days):
                raise ValidationError({"weekdays": _("For weekly checks: 0 = Monday … 6 = Sunday.")})
            self.weekdays = sorted(set(days))
        elif self.frequency == self.Frequency.MONTHLY and (not self.day_of_month or self.day_of_month > 31):
            raise ValidationError({"day_of_month": _(
                "For monthly checks: 1–31; in shorter months the check falls on the last day.")})

    def is_due_on(self, day: datetime.date, terms=None) -> bool:
        """Whether this schedule asks for a task on the given day (terms: the school's terms, needed for
        "first day of each term" and "only during term"; None skips the term rules)."""
        if not self.active:
            return False
        if terms is not None and self.only_in_term and not any(t.contains(day) for t in terms):
            return False
        if self.frequency == self.Frequency.WEEKLY:
            try:
                return day.weekday() in {int(d) for d in self.weekdays}
            except (TypeError, ValueError):
                return False
        if self.frequency == self.Frequency.MONTHLY:
            return bool(self.day_of_month) and day.day == min(self.day_of_month, last_day_of_month(day))
        if self.frequency == self.Frequency.DAILY:
            return day.weekday() < 5
        if self.frequency == self.Frequency.TERM_START:
            return terms is not None and any(t.start == day for t in terms)
        return False

    @property
    def when_display(self):
        if self.frequency == self.Frequency.WEEKLY:
            names = dict(WEEKDAYS)
            # Translators: joins weekday names, e.g. "Tuesday, Thursday"
            days = str(_(", ")).join(str(names[int(d)]) for d in sorted(int(d) for d in self.weekdays))
        elif self.frequency == self.Frequency.MONTHLY:
            days = str(_("day %(day)s of each month") % {"day": self.day_of_month})
        else:
            days = str(self.get_frequency_display())
        if self.part_of_day != self.PartOfDay.ANY:
            return f"{days} · {self.get_part_of_day_display()}"
        return days

    def create_task(self, day):
        """(task, created) for this schedule on day; each module says what its task is."""
        raise NotImplementedError


def schedule_models():
    """Every installed concrete model that is a recurring schedule."""
    return [m for m in apps.get_models() if issubclass(m, Recurrence)]


def generate_due(*, day=None, models_=None):
    """Create every task due on day (default today). Safe to run any number of times: returns the new ones."""
    from .models import Term

    day = day or timezone.localdate()
    terms = list(Term.objects.all())
    created = []
    for model in models_ or schedule_models():
        for schedule in model._default_manager.filter(active=True):
            if not schedule.is_due_on(day, terms):
                continue
            with transaction.atomic():
                task, was_created = schedule.create_task(day)
            if was_created:
                created.append(task)
    return created
