"""The module contract: what a module contributes, declared on its AppConfig, assembled by the kernel.

A module (assets, finance, canteen, safety …) is a Django app whose AppConfig subclasses `Module` and
declares, as plain attributes:

- ``home``: dotted path of ``sections(user, now) -> [Section]``, what waits for this user on the home
  page. A section is a decision others wait for (``decision=True``: shown first) or the user's own
  work; ``order`` places it among the others; sections with no rows are hidden unless ``show_empty``.
  Every row has one shape, ``Row`` (a title, a link, badges, details). ``home_panels`` (optional):
  dotted path of ``panels(user, now) -> [Panel]`` — a small block above the sections (e.g. the
  term's repair figures) rendered from the module's own template.
- ``menu``: a list of ``MenuEntry`` (URL name, label, who sees it, order).
- ``settings_model``: "app_label.Model" of the module's ``ModuleSettings`` record (edited in the admin).
- ``demo``: dotted path of a package (or an object) whose ``AREAS`` each have ``seed(builder)`` (see
  logistics.demo);
  ``demo_after``: labels of modules whose demo must be built first.
  ``demo_large`` (optional): dotted path of ``build_large(builder) -> [lines]``, the module's share of the
  large demo (``seed_demo --size large``): years of records written in bulk with their history rows, dated
  and signed through the builder (logistics.demo_large); built in the same order as ``demo``.
- ``role_grants`` / ``role_excludes``: {role: [permission patterns]} added to the kernel's roles.
  Findings (logistics.findings): the module grants logistics.add/fix/verify_finding here; the kernel, none.
- ``term_figures``: dotted path of ``figures(term) -> [Figure]``, the module's figures for a term
  (what the term summary and the home dashboards read, and all they read).
  ``term_charts``: dotted path of ``charts(term) -> [Chart]``, bar charts drawn from the same data.
  ``term_chapters``: the chapters of the term summary the module's figures go into (``Chapter``; a
  chapter several modules share, e.g. 财务与校产管理, is declared by each with the same key).
- ``finding_links`` (optional): dotted path of ``links(finding, user) -> [Link]``, what the module adds to a
  finding's page (logistics.findings): records it keeps that are linked to the finding (a repair opened for a
  hazard) and moves it offers there (``action=True``: "Open a repair"). The kernel names no module: it shows
  what each installed module returns, for this user.
- ``ledger`` (optional): dotted path of ``post(direction=, category=, amount=, description=, date=, by=,
  source=)`` — the module that keeps the school's books. Other modules report money they receive or pay
  through ``post_money`` without importing it; with no such module installed, nothing is posted.
- ``jobs`` (optional): {kind: JobKind}, the long work the module runs in the background (logistics.jobs): a
  document or an export too big to make while the user waits. ``JobKind.run`` is the dotted path of
  ``run(job, progress) -> (filename, bytes)``: it reads ``job.parameters``, calls ``progress(done, total)`` as it
  goes (the kernel writes it down at most about once a second) and raises ``JobFailed`` with a sentence the
  user reads when it cannot be done. ``label`` names the file in "My files"; ``perm`` is the permission a user
  needs to start it. Kinds are unique across modules (prefix them with the module's label: "<label>.register_pdf");
  the kernel's one task runs only declared kinds.

The kernel walks the installed apps (``modules()``); it imports no module, and there is no global
registry: adding a module is a change inside it plus INSTALLED_APPS and urls.py.
"""
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

from .roles import has_role

# Rows a home section draws before "show all" (a section with a list behind it): on a desktop, on a phone.
HOME_ROWS = 5
HOME_ROWS_PHONE = 3


@dataclass
class Row:
    """One line of a home section, whatever the module: a link with a title, badges and details."""

    url: str
    title: str
    # (text, css class) pairs shown as badges, e.g. (_("Overdue"), "b-overdue")
    badges: list = field(default_factory=list)
    # short texts shown after the badges (a place, an amount)
    meta: list = field(default_factory=list)
    # smaller texts on a second line (a number, who, a date)
    detail: list = field(default_factory=list)
    when: Any = None  # a datetime shown at the end of the details
    overdue: bool = False
    css: str = ""
    photos: int = 0

    @property
    def key(self):
        """The record a row stands for: its page. One record is shown once on a home page."""
        return self.url


@dataclass
class Section:
    """A home-page section: what waits for the user in one area."""

    key: str
    title: str
    rows: list
    empty: str = ""
    hint: str = ""
    decision: bool = False
    order: int = 100
    show_empty: bool = False
    # the full, filtered list behind the section ("show all" when the home page shows only a few rows)
    more_url: str = ""
    # links shown with the section, e.g. [(url, _("New print job"))]
    actions: list = field(default_factory=list)
    # how many of its rows a section above already shows (set by home_sections: each record once)
    repeated: int = 0

    @property
    def visible(self):
        return bool(self.rows) or self.show_empty

    @property
    def shown_rows(self):
        """The rows drawn on the home page: a few when the full list is a link away, else all of them."""
        return self.rows[:HOME_ROWS] if self.more_url else self.rows

    @property
    def collapsed(self):
        """Empty when every row is shown; "phone" when a phone shows fewer; "all" when no screen shows all."""
        if not self.more_url or len(self.rows) <= HOME_ROWS_PHONE:
            return ""
        return "all" if len(self.rows) > HOME_ROWS else "phone"

    @property
    def phone_rows(self):
        """How many rows a phone shows (0: all of them)."""
        return HOME_ROWS_PHONE if self.collapsed else 0


@dataclass
class Link:
    """A line a module adds to a finding's page (see Module.finding_links): a linked record, or a move.

    label: what it is ("Repair WX-2026-00012"); url: where it opens ("" when this user may not open it);
    detail: a short text after it (its status, "done on 2026-11-20"); action: a move offered as a button."""

    label: Any
    url: str = ""
    detail: Any = ""
    action: bool = False


@dataclass
class Panel:
    """A block above the home sections, rendered from the module's template with its context."""

    key: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass
class MenuEntry:
    """A main-menu entry. perm: None (everyone signed in), a permission, a tuple of permissions (any
    of them), or "is_staff"; also: URL names that count as being here; cta: the big call to action."""

    url_name: str
    label: Any
    perm: Any = None
    also: tuple = ()
    cta: bool = False
    order: int = 100

    def visible_to(self, user):
        if self.perm == "is_staff":
            return user.is_staff
        if isinstance(self.perm, tuple | list):
            return any(user.has_perm(p) for p in self.perm)
        return not self.perm or user.has_perm(self.perm)


@dataclass
class Figure:
    """One figure of a module for a term: key ("repairs.done"), label, value, unit, chapter it belongs to.

    value is a number (int or Decimal) or None when the figure does not apply; keys are unique across
    modules (prefix them with the area) because the head's text quotes them as {repairs.done}."""

    key: str
    label: Any
    value: Any
    unit: Any = ""
    chapter: str = "routine"
    order: int = 100
    # money: formatted as 1,234.50 (the unit says 元 / yuan)
    money: bool = False
    # an open item: when its value is not zero it is carried into the summary's last chapter (存在的不足与
    # 下学期打算), e.g. repairs still overdue, stocktakes not closed, fees not settled
    carry: bool = False
    # the roles whose home dashboard shows this figure (logistics.roles names)
    home: tuple = ()


@dataclass
class Bar:
    """One bar (or group of bars) of a chart: a label and one value per series."""

    label: Any
    values: tuple


@dataclass
class Chart:
    """A bar chart of a module for a term, drawn on the server as SVG (logistics.charts).

    series: the names of the values each bar holds (one name: plain bars; two: e.g. budget and spent);
    chapter: the summary chapter it is printed in; home: the roles whose dashboard shows it."""

    key: str
    title: Any
    bars: list
    series: tuple = ()
    unit: Any = ""
    money: bool = False
    chapter: str = "routine"
    order: int = 100
    home: tuple = ()


@dataclass
class JobKind:
    """A kind of background job a module declares (Module.jobs): what runs it, what it makes, who may start it."""

    run: str  # dotted path of run(job, progress) -> (filename, bytes)
    label: Any
    perm: Any = None  # a permission the user needs to start it (None: anyone signed in)


@dataclass
class Chapter:
    """A default chapter of the term summary: key (what figures and charts name), title, place."""

    key: str
    title: Any
    order: int = 100


class Module(AppConfig):
    """Base of a module's AppConfig. Every attribute is optional: a module may contribute nothing."""

    home = None
    home_panels = None
    menu: list = []
    settings_model = None
    demo = None
    demo_after: tuple = ()
    demo_large = None
    role_grants: dict = {}
    role_excludes: dict = {}
    term_figures = None
    term_charts = None
    term_chapters: list = []
    ledger = None
    finding_links = None
    jobs: dict = {}
    # The labels of the other modules whose records this module's home sections, panels, figures and charts read:
    # with its own and the kernel's, what they are kept in the cache under (logistics.freshness), so another
    # module's change leaves them alone. tests/security/test_module_reads.py checks what they read.
    reads: tuple = ()

    @property
    def reads_all(self):
        return (self.label, *self.reads)

    def _resolve(self, path):
        return import_string(path) if isinstance(path, str) else path

    def home_sections(self, user, now):
        return list(self._resolve(self.home)(user, now)) if self.home else []

    def panels(self, user, now):
        return list(self._resolve(self.home_panels)(user, now)) if self.home_panels else []

    def get_settings_model(self):
        return apps.get_model(self.settings_model) if self.settings_model else None

    def demo_areas(self):
        if not self.demo:
            return []
        source = import_module(self.demo) if isinstance(self.demo, str) else self.demo
        return list(getattr(source, "AREAS", [source]))

    def links_for_finding(self, finding, user):
        return list(self._resolve(self.finding_links)(finding, user)) if self.finding_links else []

    def figures(self, term):
        return list(self._resolve(self.term_figures)(term)) if self.term_figures else []

    def charts(self, term):
        return list(self._resolve(self.term_charts)(term)) if self.term_charts else []


def modules():
    """The installed modules, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, Module)]


def home_sections(user, now):
    """Every module's visible sections, arranged (arrange_sections)."""
    return arrange_sections(s for m in modules() for s in m.home_sections(user, now))


def arrange_sections(sections):
    """The visible ones of sections (every module's, in module order): decisions others wait for first, then the
    rest, each by order.

    Each record is shown once: a row whose record a section above already shows is left out of the later
    section, which counts it in ``repeated`` (and is left out too when nothing else is in it, unless it
    is shown even when empty)."""
    sections = sorted((s for s in sections if s.visible), key=lambda s: (not s.decision, s.order))
    seen = set()
    for s in sections:
        rows = [r for r in s.rows if getattr(r, "key", None) is None or r.key not in seen]
        s.repeated, s.rows = len(s.rows) - len(rows), rows
        seen.update(r.key for r in rows if getattr(r, "key", None) is not None)
    return [s for s in sections if s.visible]


def note_panel(user, role, key, title, text, order=90):
    """[a home note for the people of role] (e.g. "this area is coming"), or [] for everyone else."""
    if not has_role(user, role):
        return []
    return [Panel(key=key, template="includes/home_note.html", order=order,
                  context={"key": key.replace("_", "-"), "title": title, "text": text})]


def arrange_panels(panels):
    return sorted(panels, key=lambda p: p.order)


def menu_entries():
    """Every module's menu entries, by order (modules in INSTALLED_APPS order break ties)."""
    entries = [(e.order, i, e) for i, m in enumerate(modules()) for e in m.menu]
    return [e for _o, _i, e in sorted(entries, key=lambda t: (t[0], t[1]))]


def settings_models():
    return [model for m in modules() if (model := m.get_settings_model()) is not None]


def demo_order():
    """Modules in the order their demo data must be built (each after those in its demo_after)."""
    by_label = {m.label: m for m in modules()}
    done, order = set(), []

    def visit(module, path=()):
        if module.label in done:
            return
        if module.label in path:
            raise ValueError(f"demo_after forms a cycle: {' -> '.join(path + (module.label,))}")
        for label in module.demo_after:
            if label in by_label:
                visit(by_label[label], path + (module.label,))
        done.add(module.label)
        order.append(module)

    for module in by_label.values():
        visit(module)
    return order


def finding_links(finding, user):
    """What the installed modules add to a finding's page for this user: ([linked records], [moves]), each a
    list of Link in module order."""
    links = [link for m in modules() for link in m.links_for_finding(finding, user)]
    return [x for x in links if not x.action], [x for x in links if x.action]


def post_money(*, direction, category, amount, description, date, by, source=None):
    """Post a money movement ("income"/"expense") to the books of every installed module that keeps them.

    Called inside the caller's transaction, so the movement and its ledger entry are saved (or rolled back)
    together. category is the ledger's category key (e.g. "damages"); source the record it comes from.
    Returns the entries written ([] when no installed module keeps books)."""
    entries = []
    for m in modules():
        if m.ledger:
            entries.append(m._resolve(m.ledger)(direction=direction, category=category, amount=amount,
                                                description=description, date=date, by=by, source=source))
    return entries


def job_kinds():
    """{kind: JobKind} of every installed module; a kind declared twice is an error."""
    kinds = {}
    for m in modules():
        for kind, spec in m.jobs.items():
            if kind in kinds:
                raise ValueError(f"job kind {kind!r} is declared twice")
            kinds[kind] = spec
    return kinds


def role_grants():
    """{role: [patterns]} of every module, merged."""
    merged = {}
    for m in modules():
        for role, patterns in m.role_grants.items():
            merged.setdefault(role, []).extend(patterns)
    return merged


def role_excludes():
    merged = {}
    for m in modules():
        for role, perms in m.role_excludes.items():
            merged.setdefault(role, set()).update(perms)
    return merged


def term_figures(term):
    """Every module's figures for a term, in module order then each figure's order."""
    return term_figures_of(modules(), term)


def term_figures_of(configs, term):
    return arrange([m.figures(term) for m in configs])


def term_charts(term):
    """Every module's charts for a term, in module order then each chart's order."""
    return arrange([m.charts(term) for m in modules()])


def arrange(per_module):
    """[figure or chart] of per_module ([each module's list], in module order), by order, then module order, then
    the module's own order."""
    items = [(x.order, i, n, x) for i, xs in enumerate(per_module) for n, x in enumerate(xs)]
    return [x for *_k, x in sorted(items, key=lambda t: t[:3])]


def term_chapters():
    """The summary's default chapters that modules declare, by order; a key declared twice counts once."""
    seen, chapters = set(), []
    for m in modules():
        for chapter in m.term_chapters:
            if chapter.key not in seen:
                seen.add(chapter.key)
                chapters.append(chapter)
    return sorted(chapters, key=lambda c: c.order)
