"""A record's history as a timeline that reads as sentences: who, when, what changed.

Change reasons are stored untranslated, as JSON {"m": msgid, "p": params}, so that a step taken by a
Chinese-speaking head reads in English for an English reader, and the other way round.
"""
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

# Fields whose changes say nothing to a person reading the timeline.
_HIDDEN = {"version", "id", "submit_token", "history_id"}


def history_reason(msgid, **params):
    """The change reason to store: mark msgid with gettext_noop where it is written."""
    return json.dumps({"m": msgid, "p": params}, ensure_ascii=False)


def reason_text(raw):
    """A stored change reason in the current language (plain text is shown as it is)."""
    if not raw or not raw.startswith("{"):
        return raw or ""
    try:
        data = json.loads(raw)
        return _(data["m"]) % data.get("p", {}) if data.get("p") else _(data["m"])
    except (ValueError, KeyError, TypeError):
        return raw


def _display(field, value, cache):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        key = (field.related_model, value)
        if key not in cache:
            related = field.related_model._default_manager.filter(pk=value).first()
            if related is not None and hasattr(related, "get_full_name"):
                cache[key] = related.get_full_name() or related.get_username()
            else:
                cache[key] = str(related) if related else "—"
        return cache[key]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def history_timeline(obj, limit=100):
    """Entries oldest first: {when, who, reason, kind, changes: [(label, old, new)]}."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id")[:limit])
    entries = []
    previous = None
    model = obj.__class__
    cache = {}
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _HIDDEN:
                    continue
                try:
                    field = model._meta.get_field(change.field)
                except FieldDoesNotExist:  # a field since removed: show the raw values
                    changes.append((change.field, change.old, change.new))
                    continue
                # Timestamps repeat the entry's own time; m2m sets have their own history.
                if field.many_to_many or isinstance(field, models.DateTimeField):
                    continue
                old = _display(field, change.old, cache)
                new = _display(field, change.new, cache)
                changes.append((str(field.verbose_name), old, new))
        user = record.history_user
        entries.append({
            "when": record.history_date,
            "who": (user.get_full_name() or user.get_username()) if user else _("the system"),
            "reason": reason_text(record.history_change_reason) or {"+": _("created"), "~": _("changed"),
                                                      "-": _("deleted")}[record.history_type],
            "kind": record.history_type,
            "changes": changes,
        })
        previous = record
    return entries
