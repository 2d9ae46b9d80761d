"""A record's history as a timeline that reads as sentences: who, when, what changed."""
from django.utils.translation import gettext as _

# Fields whose changes say nothing to a person reading the timeline.
_HIDDEN = {"version", "id", "submit_token", "history_id"}


def _display(instance, field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def history_timeline(obj, limit=100):
    """Entries oldest first: {when, who, reason, kind, changes: [(label, old, new)]}."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id")[:limit])
    entries = []
    previous = None
    model = obj.__class__
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _HIDDEN:
                    continue
                try:
                    field = model._meta.get_field(change.field)
                except Exception:  # an m2m or a field since removed: show the raw values
                    changes.append((change.field, change.old, change.new))
                    continue
                if field.is_relation and not field.many_to_many:
                    old = _display(obj, field, change.old)
                    new = _display(obj, field, change.new)
                elif field.many_to_many:
                    continue
                else:
                    old = _display(obj, field, change.old)
                    new = _display(obj, field, change.new)
                changes.append((str(field.verbose_name), old, new))
        user = record.history_user
        entries.append({
            "when": record.history_date,
            "who": (user.get_full_name() or user.get_username()) if user else _("the system"),
            "reason": record.history_change_reason or {"+": _("created"), "~": _("changed"),
                                                      "-": _("deleted")}[record.history_type],
            "kind": record.history_type,
            "changes": changes,
        })
        previous = record
    return entries
