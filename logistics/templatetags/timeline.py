"""{% load timeline %}: a history shown outside a record's page (the admin's history view) in the same
sentences as the timeline (logistics.history)."""
from django import template

from logistics.history import history_entries

register = template.Library()


@register.simple_tag
def admin_history_rows(page_obj, obj):
    """The admin history page's records (newest first) as timeline entries, newest first."""
    records = list(page_obj.object_list)
    if not records:
        return []
    records.reverse()
    return list(reversed(history_entries(records, type(obj), previous=records[0].prev_record)))
