"""The home dashboards: each role's figures and charts of the current term, and the term summary's state.

What a dashboard shows is what the modules say: a figure or chart is on the home page of the roles its
``home`` names (logistics.modules.Figure, Chart). The values are read from the same ``term_figures`` /
``term_charts`` as the term summary and printed by the summary's own ``figure_text``, so the home page and
the summary never disagree.

The home page is read far more often than the records change, so what it shows is kept in the cache
(logistics.freshness) until any record changes: the term's figures and charts once for everyone
(summary.document.term_data, also what the summary shows), each user's sections, panels and the summary's
state once per user (``home_sections``); tiles and small charts are drawn from the figures on each view (under
a millisecond).
The view reads the stamp once and passes it to each: a warm home page runs a few queries whatever the
records, and a change (a repair reported, a decision waiting) writes history, so the next view computes afresh
and shows it at once.
"""
import hashlib
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy

from . import modules, roles
from .charts import bar_chart
from .freshness import fresh, stamp
from .models import TermSummary
from .summary.document import FROZEN, figure_text, freeze, term_data, thaw
from .summary.services import SIGN, WRITE

# The roles that read how things stand. Only their home pages compute the term's figures: a teacher's or a
# worker's home shows their own work, and should not pay for the school's figures. A module that names
# another role in a figure's or chart's ``home`` adds it here (tests/logistics/test_dashboard.py checks
# that every role a module names is listed).
DASHBOARD_ROLES = (roles.PRINCIPAL, roles.LOGISTICS_HEAD, roles.FINANCE, roles.CANTEEN)

# Charts on the home page are drawn small: two fit side by side on a desktop, one fills a phone's width.
CHART_WIDTH = 360
CHART_SIZE = 10

Status = TermSummary.Status
NOT_STARTED = "none"


@dataclass
class Tile:
    """One figure on the dashboard: its label and its value as the summary prints it."""

    key: str
    label: str
    value: str
    unit: str = ""
    # an open item (Figure.carry) that is not zero: shown as a warning
    warn: bool = False


@dataclass
class HomeChart:
    key: str
    title: str
    svg: str


@dataclass
class Dashboard:
    """The user's "this term at a glance": tiles, then small charts."""

    term: object
    tiles: list = field(default_factory=list)
    charts: list = field(default_factory=list)


@dataclass
class SummaryState:
    """Where the term's summary stands, as the head or the principal reads it; decision: it waits for them."""

    url: str
    status: str
    text: str
    decision: bool = False


def _shown_to(item, names):
    return bool(names & set(item.home))


def tile(figure):
    """A Figure as a tile: the value as figure_text prints it; the unit unless it is money or a percentage."""
    unit = str(figure.unit)
    return Tile(key=figure.key, label=str(figure.label), value=figure_text(figure.value, figure.money, unit),
                unit="" if figure.money or unit == "%" else unit, warn=bool(figure.carry and figure.value))


def home_chart(chart):
    """A Chart drawn small for the home page."""
    title = str(chart.title)
    svg = bar_chart([(b.label, b.values) for b in chart.bars], series=[str(s) for s in chart.series],
                    money=chart.money, width=CHART_WIDTH, size=CHART_SIZE, label=title)
    return HomeChart(key=chart.key, title=title, svg=svg)


# The sections and panels of a user's home page depend on the time too (a repair becomes overdue, a meal
# ends): a cached one is shown at most this many seconds after it was computed, when no record changed.
SECTIONS_SECONDS = 60


def dashboard(user, term, current=None):
    """The user's Dashboard for term, or None: no term, none of the user's roles has a dashboard, or the
    modules show those roles nothing. A superuser sees one only through the roles (groups) they are in.
    The figures and charts come from the cache while no record has changed (current: the request's stamp);
    drawing them takes no query."""
    names = roles.user_roles(user) & set(DASHBOARD_ROLES)
    if term is None or not names:
        return None
    figures, charts = term_data(term, current=current)
    tiles = [tile(f) for f in figures if _shown_to(f, names)]
    charts = [home_chart(c) for c in charts if _shown_to(c, names)]
    if not tiles and not charts:
        return None
    return Dashboard(term=term, tiles=tiles, charts=charts)


def _who(user):
    """What a user's home page depends on besides the records: who they are, their roles and permissions (a
    role given or taken away writes no history), the language."""
    perms = sorted(user.get_all_permissions()) if user.is_active else []
    digest = hashlib.blake2b(repr((sorted(roles.user_roles(user)), perms, user.is_superuser)).encode(),
                             digest_size=8).hexdigest()
    return (user.pk, digest, get_language())


def home_sections(user, now, term=None, current=None):
    """(sections, panels, summary state) of the user's home page: every module's (logistics.modules.home_sections
    and home_panels) and the term summary's (summary_state). Each module's are kept until one of the records
    it reads changes (Module.reads) or SECTIONS_SECONDS pass: a repair reported recomputes the assets' sections,
    not the canteen's."""
    current = current or stamp()
    who = _who(user)

    def one(module):
        def compute():
            return freeze((module.home_sections(user, now), module.panels(user, now)))

        return thaw(fresh("home-module", FROZEN, module.label, *who, today=True, timeout=SECTIONS_SECONDS,
                          current=current, reads=module.reads_all, compute=compute))

    parts = [one(m) for m in modules.modules()]
    state = thaw(fresh("summary-state", FROZEN, *who, term and term.pk, timeout=SECTIONS_SECONDS, current=current,
                       reads=(), compute=lambda: freeze(summary_state(user, term))))
    return (modules.arrange_sections(s for sections, _p in parts for s in sections),
            modules.arrange_panels(p for _s, panels in parts for p in panels), state)


def summary_state(user, term):
    """Where the term's summary stands, for the head (who writes it) and the principal (who signs it off);
    None for everyone else, or when there is no term. One query."""
    writer, signer = user.has_perm(WRITE), user.has_perm(SIGN)
    if term is None or not (writer or signer):
        return None
    status = TermSummary.objects.filter(term=term).order_by().values_list("status", flat=True).first() or NOT_STARTED
    decision = (signer and status == Status.SUBMITTED) or (writer and status == Status.RETURNED)
    if status == NOT_STARTED:
        text = pgettext_lazy("term summary state", "Not started")
    elif status == Status.DRAFT:
        text = pgettext_lazy("term summary state", "Draft")
    elif status == Status.SUBMITTED:
        text = (pgettext_lazy("term summary state", "Waiting for your sign-off") if signer
                else pgettext_lazy("term summary state", "Waiting for the principal's sign-off"))
    elif status == Status.RETURNED:
        text = (pgettext_lazy("term summary state", "Returned to you") if writer
                else pgettext_lazy("term summary state", "Returned to the head"))
    else:
        text = pgettext_lazy("term summary state", "Signed off")
    return SummaryState(url=reverse("summary:detail", args=[term.pk]), status=status, text=text,
                        decision=bool(decision))
