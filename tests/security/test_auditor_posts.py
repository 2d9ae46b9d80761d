"""The auditor (审计, read-only) posts to every URL pattern, with the page's own form as a browser would send it,
and nothing in the database changes: the answer is refused (403), not found (404), POST not allowed (405) or a
redirect, never a 500. A page answering 200 or 400 (a view that reads only and renders itself whatever the
method, or a form sent back) passes only because the database proves nothing changed.

CSRF is enforced (``enforce_csrf_checks=True``) and the token is the one the auditor's own page carries, as a
browser sends it: so a refusal is the app's, never a missing token's — a refused token would answer the CSRF
failure view, which the test replaces by a 419 so it cannot pass for the app's 403.
"""
import pytest
from django.http import HttpResponse

from . import urlwalk
from .conftest import changed, writes
from .forms import csrf_token, post_forms
from .test_access_walk import ROUTES

# Posts that are the auditor's own business, not the school's records: signing in and out, the language, their
# own password (posted blank here, so refused by its form).
OWN_ACCOUNT = {"login", "logout", "set_language", "password_change", "password_change_done"}
# The one table the auditor may write to: a background job of their own (an export or a printed register of
# what they may read, in "My files") — reading, not a change to the school's records.
OWN_FILES = {"logistics_job"}


def csrf_refused(request, reason=""):
    return HttpResponse(f"CSRF refused: {reason}", status=419)


@pytest.fixture
def auditor_client(clients, settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.test_auditor_posts.csrf_refused"
    client = clients("auditor", enforce_csrf_checks=True)
    token = csrf_token(client.get("/").content.decode())
    assert token
    return client, token


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_auditor_post_changes_nothing(route, auditor_client, quick_print):
    client, token = auditor_client
    try:
        cases = [c for c in urlwalk.cases(route) if not c.crossed][:1]  # the auditor reads every record: one will do
    except urlwalk.Unfillable as e:
        pytest.fail(f"a new pattern whose parameters the walk cannot fill: {e}")
    problems = []
    before = writes()
    posts = 0
    for case in cases:
        page = client.get(case.url)
        html = page.status_code == 200 and not page.streaming and "text/html" in page.get("Content-Type", "")
        forms = post_forms(page.content.decode(errors="replace")) if html else []  # a file, a photo: no form
        bodies = [(f.action or case.url, f.post_data()) for f in forms] or [(case.url, {})]
        for action, data in bodies:
            data["csrfmiddlewaretoken"] = token
            response = client.post(action, data)
            posts += 1
            status = response.status_code
            if status == 419:
                problems.append(f"POST {action}: the CSRF token was refused ({response.content[:80]!r})")
            elif route.name in OWN_ACCOUNT:
                if status >= 500:
                    problems.append(f"POST {action}: {status}")
            elif status not in (200, 301, 302, 303, 400, 403, 404, 405):
                problems.append(f"POST {action} by the auditor: {status}")
    after = writes()
    assert not problems, "\n".join(problems)
    if route.name not in OWN_ACCOUNT:
        change = {t: c for t, c in changed(before, after).items() if t not in OWN_FILES}
        assert not change, f"the auditor's POST to {route.name} changed {change}"
    assert posts
