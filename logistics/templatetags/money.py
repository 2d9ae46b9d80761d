"""{% load money %}{{ amount|money }}: every amount on a page or a PDF in the school's one format (¥19,000.00)."""
from django import template

from logistics.services import format_money

register = template.Library()

# An invisible word joiner: a narrow table cell never breaks -¥15.00 into "-" and "¥15.00".
_JOIN = "\u2060"


@register.filter
def money(amount):
    """¥19,000.00, -¥15.00 (kept on one line); empty for no amount."""
    text = format_money(amount)
    return text.replace("-", "-" + _JOIN, 1) if text.startswith("-") else text
