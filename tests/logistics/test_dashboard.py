"""The home dashboards (logistics.dashboard): each role's figures of the term as the summary computes and prints
them, small charts, the term summary's state for the head and the principal, and a query count that does not
grow with the records."""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from assets.models import RepairCategory
from assets.services import repairs as repair_services
from finance.services import purchases as purchase_services
from logistics import dashboard, modules, roles
from logistics.models import TermSummary
from logistics.summary.document import figure_text
from tests.conftest import make_user
from tests.finance._purchases import submitted

Status = TermSummary.Status
ROLE_OF = {"principal": roles.PRINCIPAL, "head": roles.LOGISTICS_HEAD, "finance": roles.FINANCE}
# What each role's dashboard must hold (the modules decide the rest, through Figure.home and Chart.home).
MUST_SHOW = {
    "principal": {"purchases.waiting", "spending.total", "repairs.open_overdue"},
    "head": {"repairs.open_overdue", "stocktakes.unfinished", "supplies.low"},
    "finance": {"invoices.unpaid", "fees.unsettled", "budget.lines_low"},
}
# The home page's queries, measured on PostgreSQL with 2 and with 25 repairs and purchases: principal 53,
# head 63, finance 46, the same at both sizes. The dashboard's share: every module's figures (23 with a budget
# line this year) and charts (7), computed once, and the summary's state (1, the head and the principal only):
# 31, 31 and 30. The canteen added its figures (meals, morning checks, suppliers, menus: 16 queries on every
# dashboard) and, for the head and the principal, what is missing after meals: principal 71, head 81, finance 65,
# the same at both sizes. The bounds leave room for two more, not for one per row.
# Safety added its term figures (inspections, hazards, drills, duty, pre-trip checks, pledges: 6 queries on every
# dashboard) and, for the head and the principal, its home section (open hazards counted, the overdue listed, plans
# past review: at most 3), and everyone's own safety sections (inspections due to me, hazards I must fix or
# reported, my next duty shifts: one query each): principal 85, head 93, finance 75, the same at both sizes.
# Since issue 12 the home page keeps what it shows in the cache until a record changes (logistics.freshness):
# HOME_MAX is the first view after a change (cold: everything computed, plus the stamp); the next view
# reads the figures and the user's sections from the cache, in at most HOME_WARM queries (the session, the user,
# the permissions, the term, the school, the roles, the stamp; the cache is the process's memory).
# Measured cold with 2 and 25: principal 82, head 90, finance 72.
HOME_MAX = {"principal": 82, "head": 90, "finance": 72}
HOME_WARM = 8


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def term(school):
    return school["term"]


def build(n, users, school):
    """n repairs (a third overdue, a third done) and n purchases (half approved by the head), through the
    services."""
    teacher, head, worker = users["teacher"], users["head"], users["worker"]
    categories = list(RepairCategory.values)
    long_ago = timezone.now() - datetime.timedelta(days=10)
    for i in range(n):
        repair = repair_services.repair_report(
            reporter=teacher, category=categories[i % len(categories)], location=school["rooms"][i % 2],
            title=f"故障 {i}", now=long_ago if i % 3 == 0 else None)
        if i % 3 == 1:
            repair_services.repair_assign(request_id=repair.pk, by=head, assignee=worker)
            repair_services.repair_start(request_id=repair.pk, worker=worker)
            repair_services.repair_complete(request_id=repair.pk, worker=worker, work_done="换了灯管",
                                            cost=Decimal("35.50"))
    for i in range(n):
        purchase = submitted(teacher, total=f"{100 + i}")
        if i % 2:
            purchase_services.purchase_decide(request_id=purchase.pk, by=head, decision="approved")


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def shown_to(items, role):
    return [item for item in items if role in item.home]


# --- each role's figures and charts ------------------------------------------------------------------

@pytest.mark.parametrize("who", ["principal", "head", "finance"])
def test_each_role_sees_its_figures_as_the_summary_computes_and_prints_them(users, school, term, client, who):
    build(4, users, school)
    response = home(client, users[who])
    board = response.context["dashboard"]
    expected = shown_to(modules.term_figures(term), ROLE_OF[who])
    assert [t.key for t in board.tiles] == [f.key for f in expected]
    assert MUST_SHOW[who] <= {t.key for t in board.tiles}
    assert [t.value for t in board.tiles] == [figure_text(f.value, f.money, f.unit) for f in expected]
    page = response.content.decode()
    assert 'data-testid="home-dashboard"' in page
    for t in board.tiles:
        assert f'data-figure="{t.key}"' in page
    for f in expected:
        assert figure_text(f.value, f.money, f.unit) in page
    charts = shown_to(modules.term_charts(term), ROLE_OF[who])
    assert charts and [c.key for c in board.charts] == [c.key for c in charts]
    assert page.count('class="card home-chart"') == len(charts)
    assert page.count("<svg") >= len(charts)


def test_the_figures_follow_the_records(users, school, term, client):
    build(6, users, school)
    tiles = {t.key: t for t in home(client, users["principal"]).context["dashboard"].tiles}
    # Two of the six requests were reported ten days ago and never fixed; three purchases wait for the head.
    assert tiles["repairs.open_overdue"].value == "2"
    assert tiles["purchases.waiting"].value == "3"
    # Approved by the head: 101 + 103 + 105, printed as the summary prints money.
    assert tiles["purchases.approved_total"].value == "¥309.00"


def test_an_open_item_that_is_not_zero_is_a_warning(users, school, client):
    tiles = {t.key: t for t in home(client, users["principal"]).context["dashboard"].tiles}
    assert not tiles["purchases.waiting"].warn  # nothing waits yet
    submitted(users["teacher"], total="300")
    response = home(client, users["principal"])
    tiles = {t.key: t for t in response.context["dashboard"].tiles}
    assert tiles["purchases.waiting"].warn
    assert not tiles["spending.total"].warn  # money spent is no open item
    assert 'class="glance-tile warn" data-figure="purchases.waiting"' in response.content.decode()


@pytest.mark.parametrize("who", ["teacher", "worker", "auditor"])
def test_people_who_do_not_read_the_terms_figures_see_no_dashboard(users, school, client, who):
    build(2, users, school)
    response = home(client, users[who])
    assert response.context["dashboard"] is None
    assert response.context["summary_state"] is None
    page = response.content.decode()
    assert 'data-testid="home-dashboard"' not in page
    assert "home-chart" not in page


def test_a_superuser_sees_a_dashboard_only_through_a_role(users, school, client):
    admin = User.objects.create_superuser("root", password="x")
    assert home(client, admin).context["dashboard"] is None
    in_role = make_user("root2", roles.FINANCE)
    in_role.is_superuser = True
    in_role.save()
    tiles = home(client, in_role).context["dashboard"].tiles
    assert {t.key for t in tiles} == {f.key for f in shown_to(modules.term_figures(school["term"]), roles.FINANCE)}


def test_someone_in_two_roles_sees_each_figure_once(users, school, term):
    both = make_user("both", roles.PRINCIPAL)
    both.groups.add(*users["finance"].groups.all())
    both = User.objects.get(pk=both.pk)
    board = dashboard.dashboard(both, term)
    keys = [t.key for t in board.tiles]
    assert len(keys) == len(set(keys))
    assert set(keys) == {f.key for f in modules.term_figures(term)
                         if {roles.PRINCIPAL, roles.FINANCE} & set(f.home)}


def test_no_term_no_dashboard(users, db):
    assert dashboard.dashboard(users["principal"], None) is None
    assert dashboard.summary_state(users["principal"], None) is None


def test_every_role_a_module_shows_figures_to_has_a_dashboard(school, term):
    named = {r for item in modules.term_figures(term) + modules.term_charts(term) for r in item.home}
    assert named <= set(dashboard.DASHBOARD_ROLES)


# --- the term summary's state ------------------------------------------------------------------------

@pytest.mark.parametrize("who, status, text, decision", [
    ("head", None, "Not started", False),
    ("principal", None, "Not started", False),
    ("head", Status.DRAFT, "Draft", False),
    ("principal", Status.DRAFT, "Draft", False),
    ("principal", Status.SUBMITTED, "Waiting for your sign-off", True),
    ("head", Status.SUBMITTED, "Waiting for the principal's sign-off", False),
    ("head", Status.RETURNED, "Returned to you", True),
    ("principal", Status.RETURNED, "Returned to the head", False),
    ("head", Status.SIGNED, "Signed off", False),
    ("principal", Status.SIGNED, "Signed off", False),
])
def test_the_head_and_the_principal_see_where_the_summary_stands(users, school, term, client, who, status, text,
                                                                   decision):
    if status:
        TermSummary.objects.create(term=term, status=status)
    response = home(client, users[who])
    state = response.context["summary_state"]
    assert state.status == (status or dashboard.NOT_STARTED)
    assert state.decision is decision
    with translation.override("en"):
        assert str(state.text) == text
    page = response.content.decode()
    assert f'href="{reverse("summary:detail", args=[term.pk])}" data-testid="summary-state"' in page
    assert ('class="glance-decision"' in page) is decision


@pytest.mark.parametrize("who", ["finance", "teacher"])
def test_others_see_no_summary_state(users, school, term, client, who):
    TermSummary.objects.create(term=term, status=Status.SUBMITTED)
    response = home(client, users[who])
    assert response.context["summary_state"] is None
    assert 'data-testid="summary-state"' not in response.content.decode()


# --- queries -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 25])
@pytest.mark.parametrize("who", ["principal", "head", "finance"])
def test_the_home_page_query_count_does_not_grow_with_rows(users, school, client, django_assert_max_num_queries,
                                                           n, who):
    build(n, users, school)
    client.force_login(users[who])
    with django_assert_max_num_queries(HOME_MAX[who]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["dashboard"].tiles
    with django_assert_max_num_queries(HOME_WARM):
        again = client.get(reverse("home"))
    assert [t.value for t in again.context["dashboard"].tiles] == [t.value for t in response.context["dashboard"].tiles]
