"""A record's history as a timeline that reads as sentences: who, when, what changed.

Change reasons are stored untranslated, as JSON {"m": msgid, "p": params}, so that a step taken by a
Chinese-speaking head reads in English for an English reader, and the other way round.

A row reads "<who> <reason>" (陈志刚 批准（后勤主任）), so a reason never names the person who took the
step: that is the row's who, shown once.
"""
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .services import display_name

# Fields whose changes say nothing to a person reading the timeline.
_HIDDEN = {"version", "id", "submit_token", "history_id"}


def history_reason(msgid, **params):
    """The change reason to store: mark msgid with gettext_noop where it is written.

    A param given as a lazy translation (a choice's label, gettext_lazy) is stored untranslated and
    shown in the reader's language too."""
    data = {"m": msgid, "p": params}
    translate = sorted(k for k, v in params.items() if isinstance(v, Promise))
    if translate:
        with translation.override(None):  # the msgid itself, whatever the writer's language
            data["p"] = {k: str(v) for k, v in params.items()}
        data["t"] = translate
    return json.dumps(data, ensure_ascii=False)


def _one_reason(raw):
    """One stored reason in the current language, or None when raw is not one."""
    try:
        data = json.loads(raw)
        msgid = data["m"]
        params = dict(data.get("p") or {})
        for key in data.get("t", ()):
            params[key] = _(params[key])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(msgid, str):
        return None
    # A translation that names a missing param falls back to the English sentence, never to "%(…)s".
    for text in (_(msgid), msgid):
        try:
            return text % params if params else text
        except (KeyError, TypeError, ValueError):
            continue
    return msgid


def reason_text(raw):
    """A stored change reason in the current language (plain text is shown as it is).

    A value that holds several reasons, one a line (a stocktake line's follow-up), reads as one
    sentence after another."""
    if not raw:
        return ""
    lines = [line for line in str(raw).splitlines() if line.strip()]
    if not lines or not all(line.lstrip().startswith("{") for line in lines):
        return raw
    texts = [_one_reason(line) for line in lines]
    if None in texts:
        return raw
    return _("; ").join(texts)


def is_reason(value):
    """True for a value stored by history_reason (a field may hold one, e.g. a follow-up note)."""
    return isinstance(value, str) and value.lstrip().startswith('{"m"') and reason_text(value) != value


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
                cache[key] = display_name(related)
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
            "who": display_name(user) if user else _("the system"),
            "reason": reason_text(record.history_change_reason) or {"+": _("created"), "~": _("changed"),
                                                      "-": _("deleted")}[record.history_type],
            "kind": record.history_type,
            "changes": changes,
        })
        previous = record
    return entries
