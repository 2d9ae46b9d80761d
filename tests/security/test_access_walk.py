"""Every URL pattern of the project, GET by every role and by an anonymous visitor, with records each may and may
not see: the expected answer, never a 500, never a record to someone who may not see it, and no GET writes.

The patterns are read from the URLconf (tests/security/urlwalk.py), so a page added later is walked too; its path
parameters are filled from the demo school's records, and a parameter no rule can fill fails the walk.

Who may see a record (``may_see``), from the roles' permissions and the record itself: the superuser; a role
holding the model's view permission (logistics.roles, each module's role_grants); a person the record names
(its reporter, requester, assignee, custodian …: any link to a user), so a teacher sees her own repair and not
another teacher's; background jobs only to their owner (and the superuser). A child record (a photo) goes with
its parent. A few records are shown more widely by design (``WIDER``: an asset's page behind its QR label, the
duty roster posted at the gate, an inspection to the person responsible for a hazard it raised).

The admin is walked by its own rule (``test_admin_walk``): every admin pattern, anonymous and as a user who is
not staff, is refused (a redirect to the admin login) — Django's AdminSite lets no one further, whatever the
page, so these two stand for every role without staff status; and each registered model's list answers the
safety officer (staff with a few admin rights) 200 with the model's view permission and 403 without, and the
superuser 200, never 500.
"""
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from . import urlwalk
from .conftest import ROLE_USERS, changed, writes

ROLES = list(ROLE_USERS)  # every role, and the superuser
VISITORS = [*ROLES, None]  # None: an anonymous visitor

# The pages anyone may open without signing in; everything else sends an anonymous visitor to the login.
PUBLIC = {
    "login", "healthz", "set_language",
    "finance:fee_public", "finance:aid_public", "canteen:menu_public",  # published by an unguessable link
}
# Answers a GET may give: a page, a redirect (a move done by POST sends a GET back to the record), refused,
# not found, POST only.
EXPECTED = {200, 301, 302, 303, 403, 404, 405}

ROUTES = [r for r in urlwalk.routes() if not r.admin]
ADMIN_ROUTES = [r for r in urlwalk.routes() if r.admin]

# Background jobs are private to their owner, whatever else the role may read ("My files").
PRIVATE = {("logistics", "job"): "owner_id"}


def _responsible_for_its_hazard(user, inspection):
    from safety.models import InspectionResult

    return InspectionResult.objects.filter(inspection=inspection, finding__responsible=user).exists()


# Records the school shows more widely than their view permission, by design (each with its reason).
WIDER = {
    # A QR label on the wall leads any signed-in person to the asset's page (what they see depends on the role).
    ("assets", "asset"): lambda user, record: True,
    # The duty roster is posted at the gate and in the duty room: every signed-in person reads its shifts.
    ("safety", "dutyshift"): lambda user, record: True,
    # The person responsible for a hazard an inspection raised reads that inspection (their finding links there).
    ("safety", "inspection"): _responsible_for_its_hazard,
}


def may_see(user, record):
    if user is None:
        return False
    if user.is_superuser:
        return True
    meta = record._meta
    private = PRIVATE.get((meta.app_label, meta.model_name))
    if private:
        return getattr(record, private) == user.pk
    if user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
        return True
    if any(getattr(record, f.attname) == user.pk for f in urlwalk.user_fields(type(record))):
        return True
    wider = WIDER.get((meta.app_label, meta.model_name))
    return bool(wider and wider(user, record))


def is_login_redirect(response):
    if response.status_code not in (301, 302, 303):
        return False
    try:
        match = resolve(response["Location"].split("?")[0])
    except Resolver404:
        return False
    return match.view_name in ("login", "admin:login")


def judge(route, case, role, user, response):
    """What is wrong with this answer, or None."""
    status = response.status_code
    who = role or "anonymous"
    if status not in EXPECTED:
        return f"{who}: {status}"
    if route.name in PUBLIC:
        return None
    if user is None:
        if status == 200:
            return "anonymous: 200 on a page that is not public"
        if status in (301, 302, 303) and not is_login_redirect(response):
            return f"anonymous: redirected to {response['Location']}, not to the login"
        return None
    if status == 200 and case.crossed:
        return f"{who}: 200 for a record under another record's id"
    # A child record (a photo) goes with its parent: the first record is the one the role must be able to see.
    if status == 200 and case.records and not may_see(user, case.records[0]):
        return f"{who}: 200 for {case.records[0]._meta.label} {case.records[0].pk}, which the role may not see"
    return None


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_walk(route, people, clients, quick_print):
    try:
        cases = urlwalk.cases(route)
    except urlwalk.Unfillable as e:
        pytest.fail(f"a new pattern whose parameters the walk cannot fill: {e} (add a rule to urlwalk.py)")
    users = {role: people[role] for role in ROLES} | {None: None}
    problems, answers = [], set()
    before = writes()
    for role in VISITORS:
        client, user, walked = clients(role), users[role], set()
        for case in cases:
            # A record is walked once per verdict: a teacher opens her own repair and another's, the head one of
            # the two he may both see; an anonymous visitor one URL of the pattern (the login comes first).
            sees = user is not None and bool(case.records) and may_see(user, case.records[0])
            verdict = "anonymous" if user is None else (case.crossed, sees)
            if verdict in walked:
                continue
            walked.add(verdict)
            response = client.get(case.url)
            if not case.crossed:
                answers.add(response.status_code)
            if problem := judge(route, case, role, user, response):
                problems.append(f"GET {case.url} {problem}")
    after = writes()
    assert not problems, "\n".join(problems)
    assert not changed(before, after), f"GET {route.name} wrote to the database: {changed(before, after)}"
    if route.params:
        # The walk found real records: somebody may open them (else the parameters were filled wrongly).
        assert answers != {404}, f"{route.name}: every visitor got 404 for {[c.url for c in cases]}"


def test_every_pattern_is_walked():
    """The walk reads the URLconf: every app's pages are in it, the admin's are walked by their rule."""
    names = {r.name for r in ROUTES}
    for label in ("assets", "finance", "canteen", "safety", "findings", "jobs", "summary"):
        assert any(n.startswith(f"{label}:") for n in names), label
    assert len(ADMIN_ROUTES) > 50


def _admin_url(route):
    """An admin pattern with its parameters filled with anything: the admin refuses before it reads them."""
    fill = {p: {"app_label": "assets", "object_id": "1", "content_type_id": "1"}.get(p, "x") for p in route.params}
    return route.url(fill)


@pytest.mark.parametrize("role", [None, "staff"], ids=["anonymous", "not-staff"])
def test_admin_walk(role, people, clients):
    client = clients(role)
    problems = []
    before = writes()
    for route in ADMIN_ROUTES:
        url = _admin_url(route)
        response = client.get(url)
        if route.name == "admin:login":
            ok = response.status_code == 200
        elif route.name in ("admin:logout",):
            ok = response.status_code in (302, 405)
        else:
            ok = is_login_redirect(response) or response.status_code in (404, 405)
        if not ok:
            problems.append(f"GET {url} ({route.name}) by {role or 'anonymous'}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert not changed(before, writes())


# The safety officer is staff with some admin rights (its checklists and settings): refused the rest; the
# superuser opens every list (none answers 500). The head and the principal hold the view rights of the
# superuser's lists and would repeat them at 10 s each on a loaded machine.
STAFF_ROLES = ["safety", "superuser"]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_admin_model_lists(role, people, clients):
    """Each staff role opens the admin list of each registered model it may view, and is refused the others."""
    user = people[role]
    assert user.is_staff
    client = clients(role)
    problems = []
    before = writes()
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url)
        allowed = user.has_perm(f"{meta.app_label}.view_{meta.model_name}") or user.has_perm(
            f"{meta.app_label}.change_{meta.model_name}")
        want = 200 if allowed else 403
        if response.status_code != want:
            problems.append(f"GET {url} by {role}: {response.status_code}, expected {want}")
    assert not problems, "\n".join(problems)
    assert not changed(before, writes())


def test_login_url_is_the_named_login():
    assert settings.LOGIN_URL == "login"
