"""A real demo builder (its clock and calendar) around the people, rooms and term a test made."""
from django.utils import timezone

from logistics.demo import DemoBuilder, current_and_previous_term


def demo_builder(*, users, current_term, rooms=None):
    builder = DemoBuilder(password="x", now=timezone.now())
    builder.users, builder.current_term, builder.rooms = users, current_term, rooms or {}
    builder.term_defs = list(current_and_previous_term(builder.today))
    return builder
