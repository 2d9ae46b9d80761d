"""Generated values posted to every create and edit form (hypothesis): no 500 anywhere, nothing half-saved, and a
refused form shown again with a message.

The forms are found generically: each URL pattern (read from the URLconf) whose page, as the first role that
can open it, shows a post form with fields a person fills in. Each example changes some of the form's fields
to a generated value — Chinese text with control characters, very long strings, huge and negative numbers,
dates out of range, empty values, the wrong type — and posts it twice (a double click). An answer is either a
redirect (the whole record saved: its page then opens without error) or the form again with a message and the
database exactly as before (every table's row count and newest history id). Each example runs in a savepoint
rolled back after it. Examples are few and derandomized, so a run is stable and short.
"""
import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import urlwalk
from .forms import post_forms
from .test_access_walk import ROUTES

# The roles tried, in order, to open a form: the first that gets it fills it in (the superuser last).
ROLE_ORDER = ["staff", "logistics", "logistics_head", "principal", "finance", "canteen", "safety", "superuser"]
# Not a record's form: signing in, the language, the password (its own tests), logout.
NOT_RECORD_FORMS = {"login", "logout", "set_language", "password_change"}
MESSAGE_MARKERS = ('role="alert"', 'class="messages"', "errorlist")

NASTY = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", categories=("Lo", "Cc", "Zs", "Nd", "P")), max_size=40),
    st.just("学校\x00食堂\u202e\ufeff"),
    st.just("长" * 5000),
    st.just(""),
    st.sampled_from(["99999999999999999999999", "-1", "-99999.999", "1e308", "NaN", "0.0001", "1,000"]),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "1900-01-01", "31/12/2026", "2026-13-01"]),
    st.sampled_from(["abc", "[]", "{}", "None", "true", "<script>x</script>"]),
)


def row_counts():
    """Every table's row count and newest history id, in one query: what a refused post must leave as it was."""
    tables = [t for t in connection.introspection.table_names()
              if t not in ("django_session",) and not t.startswith("axes_")]
    parts = []
    for t in tables:
        q = connection.ops.quote_name(t)
        expr = f"(SELECT count(*) FROM {q})"
        if "historical" in t:
            expr += f" * 1000000 + (SELECT coalesce(max(history_id), 0) FROM {q})"
        parts.append(f"SELECT '{t}', {expr}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def find_form(route, clients):
    """(client, url, form) of the first role that opens the pattern's page with a form to fill, or None."""
    try:
        cases = [c for c in urlwalk.cases(route) if not c.crossed]
    except urlwalk.Unfillable as e:
        pytest.fail(f"a new pattern whose parameters the walk cannot fill: {e}")
    case = cases[0]
    for role in ROLE_ORDER:
        client = clients(role)
        page = client.get(case.url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in post_forms(page.content.decode(errors="replace")):
            fillable = [n for n, (kind, _c) in form.fields.items() if kind not in ("hidden", "file", "checkbox")]
            if fillable:
                return client, case.url, form, fillable
    return None


FORM_ROUTES = [r for r in ROUTES if r.name not in NOT_RECORD_FORMS]


@pytest.mark.parametrize("route", FORM_ROUTES, ids=lambda r: r.name)
def test_fuzz_form(route, clients, quick_print):
    found = find_form(route, clients)
    if found is None:
        return  # no form a person fills in on this page (a list, a document, a POST-only move)
    client, url, form, fillable = found

    @settings(max_examples=3, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional={name: NASTY for name in fillable}))
    def post(values):
        data = form.post_data()
        data.update(values)
        action = form.action or url
        sid = transaction.savepoint()
        try:
            for attempt in (1, 2):  # the same form sent twice, as a double click does
                before = row_counts()
                response = client.post(action, data)
                assert response.status_code < 500, f"POST {action} {values!r} (attempt {attempt}): 500"
                if response.status_code in (301, 302, 303):
                    target = client.get(response["Location"])
                    assert target.status_code < 500, f"the page after POST {action} {values!r}: 500"
                elif response.status_code == 200:
                    body = response.content.decode(errors="replace")
                    assert row_counts() == before, f"POST {action} {values!r} (attempt {attempt}) refused, yet saved"
                    assert any(m in body for m in MESSAGE_MARKERS), \
                        f"POST {action} {values!r}: the form came back without a message"
        finally:
            transaction.savepoint_rollback(sid)

    post()


def test_a_holiday_on_the_last_day_of_the_calendar_is_read():
    """Found by the fuzz: "9999-12-31" as a holiday of the duty roster's lay-out answered 500 (stepping to the
    next day overflowed); it is a date like any other."""
    import datetime

    from safety.forms.duty import parse_holidays

    assert parse_holidays("9999-12-31") == {datetime.date.max}
    assert len(parse_holidays("2026-10-01..2026-10-07")) == 7
