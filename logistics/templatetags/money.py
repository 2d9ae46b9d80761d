"""{% load money %}{{ amount|money }}: every amount on a page or a PDF in the school's one format (¥19,000.00)."""
from django import template

from logistics.services import format_money

register = template.Library()


@register.filter
def money(amount):
    """¥19,000.00, -¥15.00; empty for no amount."""
    return format_money(amount)
