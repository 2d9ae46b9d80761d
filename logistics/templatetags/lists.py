"""{% load lists %}{{ names|join_list }}: a list run together as the reader's language does ("甲、乙" / "A, B")."""
from django import template

from logistics.services import join_list as _join_list

register = template.Library()


@register.filter(is_safe=False)
def join_list(items):
    return _join_list(items)
