"""The summary as a document: its data (collected from the modules now, or kept as signed) and its layout.

collect() reads every module's figures and charts for the term and for the term before (for ▲/▼), and the
head's chapters, into plain JSON data with every label in every language: what signing keeps. layout()
turns such data into the document a page, the PDF and the .docx print, in the current language.

Pages that show the summary as the records are now read the figures from the cache (``cached=True``: kept
until any record changes, see logistics.freshness, shared with the home dashboards); submitting and
signing always compute them from the live records.
"""
import io
import pickle
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics import modules
from logistics.charts import bar_chart
from logistics.freshness import fresh, stamp
from logistics.models import SchoolProfile, Term
from logistics.services import format_money

from .text import name_errors, points, substitute

OUTLOOK = "outlook"
# The kernel's own chapter, always last by default: what is still open, and the plans for next term.
OUTLOOK_CHAPTER = modules.Chapter(OUTLOOK, gettext_lazy("Shortcomings and plans for next term"), 1000)
# Figures of a chapter no module declares go here.
OTHER_CHAPTER = modules.Chapter("other", pgettext_lazy("summary chapter", "Other"), 900)
CUSTOM_PREFIX = "custom-"
DATA_VERSION = 1


def default_chapters():
    """The chapters a new summary starts with when no earlier one exists: the modules', then the outlook."""
    return [*modules.term_chapters(), OUTLOOK_CHAPTER]


def default_titles():
    return {c.key: c.title for c in [*default_chapters(), OTHER_CHAPTER]}


def previous_term(term):
    return Term.objects.filter(start__lt=term.start).order_by("-start").first()


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def translations(value):
    """{language: text} of a label: a lazy translation in each language, anything else as it is."""
    if isinstance(value, Promise):
        result = {}
        for code in _languages():
            with translation.override(code):
                result[code] = str(value)
        return result
    text = "" if value is None else str(value)
    return dict.fromkeys(_languages(), text)


def in_language(texts):
    """The text of {language: text} in the current language (else the default, else any)."""
    if not isinstance(texts, dict):
        return "" if texts is None else str(texts)
    current = translation.get_language() or settings.LANGUAGE_CODE
    for code in (current, current.split("-")[0], settings.LANGUAGE_CODE):
        if code in texts:
            return texts[code]
    return next(iter(texts.values()), "")


def _number(value):
    """A figure's value as JSON keeps it: Decimal as a string (exact), int and float as they are."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decimal(value):
    return None if value is None else Decimal(str(value))


class _Pickler(pickle.Pickler):
    """Pickles a lazy translation as what it calls (the message and its context), unpickled by _lazy."""

    def reducer_override(self, obj):
        if isinstance(obj, Promise):
            function, args = obj.__reduce__()
            if function.__name__ == "_lazy_proxy_unpickle":
                return _lazy, args
        return NotImplemented


_LAZY = {}


def _lazy(func, args, kwargs, *resultclasses):
    # Django unpickles each lazy text by building its proxy class anew (about 0.7 ms): a term's figures hold
    # over a hundred. One proxy class per translation function is enough.
    key = (func, resultclasses)
    if key not in _LAZY:
        _LAZY[key] = lazy(func, *resultclasses)
    return _LAZY[key](*args, **kwargs)


# In the keys of what freeze() writes: a result kept in another form under the same key is not read as frozen.
FROZEN = "frozen-1"


def freeze(value):
    """value as bytes to keep in the cache, its lazy translations still lazy; thaw() reads it back quickly."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def thaw(data):
    return pickle.loads(data)  # noqa: S301 — our own cache's bytes, written by freeze()


def term_data(term, current=None):
    """(figures, charts) of every module for term (modules.term_figures, term_charts), from the cache while no
    record has changed (current: a stamp the caller has read; today: figures such as "overdue" depend on the
    date). Each module's are kept apart, until one of the records it reads changes (Module.reads). For pages that
    show them (the home dashboards, the summary as it reads now); never for what is submitted or signed."""
    current = current or stamp()

    def one(module):
        return thaw(fresh("term-data", FROZEN, module.label, term.pk, today=True, current=current,
                          reads=module.reads_all, compute=lambda: freeze((module.figures(term), module.charts(term)))))

    parts = [one(m) for m in modules.modules()]
    return modules.arrange([f for f, _c in parts]), modules.arrange([c for _f, c in parts])


def term_figures(term, current=None):
    return term_data(term, current)[0]


def term_charts(term, current=None):
    return term_data(term, current)[1]


def figures_data(term, cached=False):
    """[figure dict] of every module for term, each with the term before's value (None: no such term).
    cached: read the figures from the cache (term_figures), else from the records."""
    current = stamp() if cached else None
    read = (lambda t: term_figures(t, current)) if cached else modules.term_figures
    before = previous_term(term)
    previous = {f.key: f.value for f in read(before)} if before else {}
    return [{
        "key": f.key, "label": translations(f.label), "value": _number(f.value), "unit": translations(f.unit),
        "chapter": f.chapter, "money": f.money, "carry": f.carry,
        "previous": _number(previous.get(f.key)), "had_previous": f.key in previous,
    } for f in read(term)]


def charts_data(term, cached=False):
    current = stamp() if cached else None
    read = (lambda t: term_charts(t, current)) if cached else modules.term_charts
    return [{
        "key": c.key, "title": translations(c.title), "chapter": c.chapter, "money": c.money,
        "series": [translations(s) for s in c.series], "unit": translations(c.unit),
        "bars": [[translations(b.label), [_number(v) for v in b.values]] for b in c.bars],
    } for c in read(term)]


def chapters_data(summary):
    """The summary's chapters; for a summary not yet started (unsaved), the default chapters, no words."""
    titles = default_titles()
    if summary.pk is None:
        return [{"key": c.key, "title": translations(c.title), "renamed": False, "hidden": False, "narrative": ""}
                for c in default_chapters()]
    return [{
        "key": c.key, "title": translations(c.title) if c.title else translations(titles.get(c.key, c.key)),
        "renamed": bool(c.title), "hidden": c.hidden, "narrative": c.narrative,
    } for c in summary.chapters.all()]


def collect(summary, cached=False):
    """The document's data from the records as they are now (JSON-able). cached: the figures and charts from
    the cache (term_figures): for showing, never for submitting or signing."""
    term = summary.term
    before = previous_term(term)
    return {
        "version": DATA_VERSION,
        "school": SchoolProfile.get().name,
        "term": {"name": term.name, "start": term.start.isoformat(), "end": term.end.isoformat()},
        "previous_term": before.name if before else "",
        "title": summary.title,
        "opening": summary.opening,
        "figures": figures_data(term, cached),
        "charts": charts_data(term, cached),
        "chapters": chapters_data(summary),
    }


def data_of(summary, cached=False):
    """The data the document shows: as signed once signed, else as the records are now (cached: see collect)."""
    if summary.status == summary.Status.SIGNED and summary.signed_data:
        return summary.signed_data
    return collect(summary, cached)


# --- layout -------------------------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """一 … 九十九: chapter numbers as Chinese documents write them."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_DIGITS[tens]}十{CN_DIGITS[ones] if ones else ''}"


def chinese():
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def figure_text(value, money=False, unit=""):
    """A figure as quoted in the words and shown in tables: ¥1,234.00, 95%, 12, 3.5; — for none."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if money:
        return format_money(number)
    text = f"{number.to_integral_value():f}" if number == number.to_integral_value() else f"{number.normalize():f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%" if unit == "%" else text


def change_text(value, previous, money=False, unit=""):
    """(arrow, text) of the change against the previous term: ("▲", "3"), ("▼", "¥120.00"), ("", "—")."""
    if value is None or previous is None:
        return "", ""
    delta = _decimal(value) - _decimal(previous)
    if delta == 0:
        return "", pgettext_lazy("change against last term", "same")
    shown = figure_text(abs(delta), money, unit)
    return ("▲" if delta > 0 else "▼"), shown


@dataclass
class FigureRow:
    key: str
    label: str
    value: str
    unit: str
    previous: str
    arrow: str
    change: str


@dataclass
class DocChapter:
    key: str
    number: str
    title: str
    figures: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    points: list = field(default_factory=list)
    carried: list = field(default_factory=list)
    hidden: bool = False
    anchor: str = ""


@dataclass
class Document:
    title: str
    school: str
    term: str
    term_dates: tuple
    previous_term: str
    opening: list
    chapters: list
    errors: dict
    values: dict
    figure_labels: dict
    data: dict


def _value_texts(figures):
    return {f["key"]: figure_text(f["value"], f["money"], in_language(f["unit"])) for f in figures}


def _unit(f):
    unit = in_language(f["unit"])
    return "" if f["money"] or unit == "%" else unit


def default_title(school, term):
    return _("%(school)s %(term)s logistics work summary") % {"school": school, "term": term}


def layout(data, *, include_hidden=False):
    """The Document of data in the current language: chapters numbered, figures with their change, the
    head's words with figures quoted, open items carried into the outlook chapter, charts as SVG."""
    figures = data["figures"]
    values = _value_texts(figures)
    labels = {f["key"]: in_language(f["label"]) for f in figures}
    printed = {**values}
    chapters_in = list(data["chapters"])
    known = {c["key"] for c in chapters_in}
    if OTHER_CHAPTER.key not in known and any(f["chapter"] not in known for f in figures):
        at = next((i for i, c in enumerate(chapters_in) if c["key"] == OUTLOOK), len(chapters_in))
        chapters_in.insert(at, {"key": OTHER_CHAPTER.key, "title": translations(OTHER_CHAPTER.title),
                                "renamed": False, "hidden": False, "narrative": ""})
    errors = {}
    chapters = []
    number = 0
    for c in chapters_in:
        if c["hidden"] and not include_hidden:
            continue
        if not c["hidden"]:
            number += 1
        key = c["key"]
        chapter = DocChapter(key=key, number=chinese_number(number) if chinese() else str(number),
                             title=in_language(c["title"]), hidden=c["hidden"], anchor=f"chapter-{key}")
        own = [f for f in figures if f["chapter"] == key or (f["chapter"] not in known and key == OTHER_CHAPTER.key)]
        if key != OUTLOOK:
            for f in own:
                arrow, change = change_text(f["value"], f["previous"], f["money"], in_language(f["unit"]))
                chapter.figures.append(FigureRow(
                    key=f["key"], label=in_language(f["label"]), value=values[f["key"]], unit=_unit(f),
                    previous=figure_text(f["previous"], f["money"], in_language(f["unit"])) if f["had_previous"]
                    else "", arrow=arrow, change=change))
            for chart in data["charts"]:
                if chart["chapter"] == key:
                    title = in_language(chart["title"])
                    bars = [(in_language(label), vals) for label, vals in chart["bars"]]
                    series = [in_language(s) for s in chart["series"]]
                    # Drawn twice: for A4 (scaled to the page's width) and narrower for a screen, where a
                    # phone would otherwise shrink the labels below reading size.
                    chapter.charts.append({"title": title, "bars": bars, "series": series, "money": chart["money"],
                                           "svg": bar_chart(bars, series=series, money=chart["money"], label=title),
                                           "svg_screen": bar_chart(bars, series=series, money=chart["money"],
                                                                   label=title, width=380, size=11)})
        else:
            chapter.carried = [
                (_("%(label)s: %(value)s") % {"label": in_language(f["label"]),
                                              "value": f"{values[f['key']]} {_unit(f)}".strip()})
                for f in figures if f["carry"] and f["value"] not in (None, 0, "0", "0.00")]
        if problems := name_errors(c["narrative"], labels):
            errors[key] = problems
        # Never print a name that is not a figure's: it shows as "—" (the editor lists it as an error).
        chapter.points = [substitute(p, _Printed(printed)) for p in points(c["narrative"])]
        chapters.append(chapter)
    if problems := name_errors(data["opening"], labels):
        errors["opening"] = problems
    term = data["term"]
    return Document(
        title=data["title"] or default_title(data["school"], term["name"]),
        school=data["school"], term=term["name"], term_dates=(term["start"], term["end"]),
        previous_term=data["previous_term"], opening=[substitute(p, _Printed(printed)) for p in
                                                      points(data["opening"])],
        chapters=chapters, errors=errors, values=values, figure_labels=labels, data=data)


class _Printed(dict):
    """Values for substitute(): an unknown name prints as "—", never as the braces typed."""

    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return "—"


def differences(summary):
    """[(label, as signed, now)] of the figures that changed since the summary was signed ([] otherwise)."""
    if summary.status != summary.Status.SIGNED or not summary.signed_data:
        return []
    now = {f["key"]: f for f in figures_data(summary.term, cached=True)}
    changed = []
    for f in summary.signed_data["figures"]:
        live = now.get(f["key"])
        live_value = live["value"] if live else None
        if _decimal(f["value"]) != _decimal(live_value):
            unit = in_language(f["unit"])
            changed.append((in_language(f["label"]), figure_text(f["value"], f["money"], unit),
                            figure_text(live_value, f["money"], unit)))
    return changed
