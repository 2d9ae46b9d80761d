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
from django.utils.translation import pgettext

from .services import display_name, format_money

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
    # A sentence that names a param the reason does not hold shows "—" there, never "%(…)s".
    for text in (_(msgid), msgid):
        try:
            return text % _Params(params) if "%" in text else text
        except (TypeError, ValueError):
            continue
    return msgid


class _Params(dict):
    def __missing__(self, key):
        return "—"


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
    return pgettext("between sentences", "; ").join(texts)


def is_reason(value):
    """True for a value stored by history_reason (a field may hold one, e.g. a follow-up note)."""
    return isinstance(value, str) and value.lstrip().startswith('{"m"') and reason_text(value) != value


def _display(field, value, cache):
    if value in (None, "", []):
        return "—"
    # A model may say how its own values read (a list of step codes as their names).
    if (shown := getattr(field.model, "history_value", lambda f, v: None)(field.name, value)) is not None:
        return shown
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
    if isinstance(field, models.DecimalField) and field.decimal_places == 2:  # money: the one format
        return format_money(value)
    if isinstance(value, (list, tuple)):
        return pgettext("between list items", ", ").join(str(v) for v in value) or "—"
    if is_reason(value):
        return reason_text(value)
    return str(value)


def _changes(record, previous, model):
    """[(label, field or None, old, new)] from previous to record, raw values (a relation's as its id).

    m2m sets are left out (they have their own history, and diffing them costs a query per entry)."""
    changes = []
    m2m = {f.name for f in getattr(previous, "_history_m2m_fields", ())}
    for change in record.diff_against(previous, excluded_fields=m2m).changes:
        if change.field in _HIDDEN:
            continue
        try:
            field = model._meta.get_field(change.field)
        except FieldDoesNotExist:  # a field since removed: show its values as they were
            changes.append((change.field, None, change.old, change.new))
            continue
        # Timestamps repeat the entry's own time; m2m sets have their own history; a JSON summary
        # (a stocktake's figures) is shown on the record's page.
        if (field.many_to_many or isinstance(field, models.DateTimeField)
                or (isinstance(field, models.JSONField) and isinstance(change.new or change.old, dict))):
            continue
        changes.append((str(field.verbose_name), field, change.old, change.new))
    return changes


def _text(obj):
    if obj is None:
        return "—"
    return display_name(obj) if hasattr(obj, "get_full_name") else str(obj)


def _load_references(records, diffs):
    """The rooms, people and other records the changes name: {(model, pk): text}. Those the history rows were
    read with (history_timeline joins them) cost nothing; the rest, each table once."""
    wanted = {}
    for changes in diffs:
        for _label, field, old, new in changes:
            if field is None or not field.is_relation or field.choices:
                continue
            for value in (old, new):
                if value not in (None, "", []):
                    wanted.setdefault(field.related_model, set()).add(value)
    cache = {}
    if not wanted:
        return cache
    for record in records:
        for field in record._meta.concrete_fields:
            if field.many_to_one and field.is_cached(record) and field.related_model in wanted:
                value = getattr(record, field.attname)
                if value in wanted[field.related_model]:
                    cache[(field.related_model, value)] = _text(getattr(record, field.name))
    for related, pks in wanted.items():
        pks = {pk for pk in pks if (related, pk) not in cache}
        if not pks:
            continue
        # A record's name may name its parent (a room: "教学楼 · 一(1)班"): read the parents in the same query.
        parents = [f.name for f in related._meta.concrete_fields if f.many_to_one]
        found = related._default_manager.select_related(*parents).in_bulk(pks)
        for pk in pks:
            cache[(related, pk)] = _text(found.get(pk))
    return cache


def _display_raw(value):
    if value in (None, ""):
        return "—"
    return reason_text(value) if is_reason(value) else str(value)


def history_entries(records, model, previous=None):
    """Timeline entries for historical records given oldest first: {when, who, reason, kind, changes}.

    previous is the record just before the first one (its changes are counted from there). The records each
    change names (a room, a person) are read in one query per table, however long the history."""
    records = list(records)
    diffs = []
    for record in records:
        diffs.append(_changes(record, previous, model) if previous is not None else [])
        previous = record
    cache = _load_references(records, diffs)
    entries = []
    for record, changes in zip(records, diffs, strict=True):
        user = record.history_user
        entries.append({
            "when": record.history_date,
            "who": display_name(user) if user else _("the system"),
            "reason": reason_text(record.history_change_reason) or {"+": _("created"), "~": _("changed"),
                                                                    "-": _("deleted")}[record.history_type],
            "kind": record.history_type,
            "changes": [(label, _display(field, old, cache), _display(field, new, cache)) if field is not None
                        else (label, _display_raw(old), _display_raw(new)) for label, field, old, new in changes],
            "record": record,
        })
    return entries


def history_timeline(obj, limit=100):
    """Entries oldest first: {when, who, reason, kind, changes: [(label, old, new)]}. The people the history names
    are read with it, in the same query; other records it names (rooms, assets) once per table, however long the
    history. (Joining those too, with the parents their names need, costs more to plan than the queries it saves.)"""
    history = obj.history.model
    joined = ["history_user"] + [
        field.name for field in history._meta.concrete_fields
        if field.many_to_one and field.name not in ("history_user", "history_relation")
        and not any(parent.many_to_one for parent in field.related_model._meta.concrete_fields)]
    records = list(obj.history.select_related(*joined).order_by("history_date", "history_id")[:limit])
    return history_entries(records, obj.__class__)
