"""The 403, 404 and 500 pages: in the reader's language, telling nothing of the code, the paths or the database,
and shown while the database is down (the normal layout asks it for the school's name and the user's menu).

"Down" here is real: the connection is taken away and the next connect goes to a port nobody listens on
(PostgreSQL) or a file that cannot be opened (SQLite), so every query fails as it would in production."""
import copy
import socket
from contextlib import ExitStack, contextmanager

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import path

from logistics import urls as project_urls

# A test URLconf: the project's pages and error handlers (so their wiring is what is tested), and three views
# that fail the ways a real one can.
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

SECRET = "secret-detail-/srv/app/logistics/views.py-SELECT password FROM auth_user"


def _raises(request):
    raise RuntimeError(SECRET)


def _refuses(request):
    raise PermissionDenied("只有后勤主任可以这样做。")


def _queries(request):
    from django.contrib.auth.models import User

    return User.objects.count()  # never returns while the database is down


_gone = ExitStack()


def _refuses_as_the_database_goes(request):
    request.user.get_full_name()  # the user is read while the database still answers
    _gone.enter_context(database_down())  # put back by the test
    raise PermissionDenied("只有后勤主任可以这样做。")


urlpatterns = [path("test-boom/", _raises), path("test-refused/", _refuses), path("test-query/", _queries),
               path("test-down-refused/", _refuses_as_the_database_goes), *project_urls.urlpatterns]


STATE = ("in_atomic_block", "savepoint_ids", "atomic_blocks", "needs_rollback", "savepoint_state", "commit_on_exit",
         "autocommit", "closed_in_transaction", "errors_occurred", "health_check_enabled", "health_check_done",
         "close_at", "run_on_commit")


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database_down():
    """Every new connection fails; the test's own connection (and its transaction) is put back afterwards."""
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    # A failed connect() starts from a clean slate (no atomic block): the test's transaction state, kept aside.
    saved_state = {name: copy.copy(getattr(connection, name)) for name in STATE}
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    connection.connection = None
    try:
        yield
    finally:
        connection.connection = saved_connection
        for name, value in saved_state.items():
            setattr(connection, name, value)
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)


@pytest.fixture
def down_client(client):
    client.raise_request_exception = False  # a view's exception becomes the 500 page, as in production
    return client


def assert_says_nothing(html):
    for leak in ("Traceback", "RuntimeError", "OperationalError", "secret-detail", "SELECT", "/srv/",
                 str(settings.BASE_DIR), "psycopg", "sqlite", "5432"):
        assert leak not in html, leak


def page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert_says_nothing(html)
    return html


@pytest.mark.urls(__name__)
def test_the_database_is_really_down_in_these_tests(db, down_client):
    with database_down():
        response = down_client.get("/test-query/")
    assert response.status_code == 500
    from django.contrib.auth.models import User

    assert User.objects.count() == 0  # and back afterwards


@pytest.mark.urls(__name__)
def test_a_missing_page_while_the_database_is_down_in_chinese_and_english(db, down_client):
    with database_down():
        chinese = page(down_client.get("/no-such-page/"), 404)
        english = page(down_client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en"), 404)
        down_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        by_cookie = page(down_client.get("/static/no-such-file.css"), 404)
    assert '<html lang="zh-hans">' in chinese and "未找到" in chinese and "Not found" not in chinese
    assert '<html lang="en">' in english and "Not found" in english and "未找到" not in english
    assert "Not found" in by_cookie


@pytest.mark.urls(__name__)
def test_a_signed_in_user_gets_an_error_page_not_a_bare_one(db, down_client, users):
    """Their session lives in the database and is read first: the 500 page (or the 404), never a bare 500."""
    down_client.force_login(users["teacher"])
    with database_down():
        response = down_client.get("/no-such-page/")
    assert response.status_code in (404, 500)
    page(response, response.status_code)


@pytest.mark.urls(__name__)
def test_a_failing_view_gives_the_500_page_in_chinese_and_english(db, down_client):
    chinese = page(down_client.get("/test-boom/"), 500)
    english = page(down_client.get("/test-boom/", HTTP_ACCEPT_LANGUAGE="en"), 500)
    assert '<html lang="zh-hans">' in chinese and "返回首页" in chinese
    assert '<html lang="en">' in english and "Something went wrong" in english and "Back to the start page" in english


@pytest.mark.urls(__name__)
def test_pages_while_the_database_is_down_give_the_500_page_not_a_bare_one(db, down_client, users):
    down_client.force_login(users["head"])
    with database_down():
        home = page(down_client.get("/", HTTP_ACCEPT_LANGUAGE="en"), 500)
        query = page(down_client.get("/test-query/"), 500)
    assert "Something went wrong" in home
    assert '<html lang="zh-hans">' in query


def test_the_login_page_is_shown_while_the_database_is_down(db, down_client):
    """The layout leaves the school's name out instead of failing; the form is there to try again later."""
    with database_down():
        response = down_client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.urls(__name__)
def test_the_403_page_with_and_without_the_database(db, down_client, users, school):
    down_client.force_login(users["teacher"])
    normal = page(down_client.get("/test-refused/"), 403)
    assert "只有后勤主任可以这样做。" in normal and 'class="mainnav"' in normal  # the menu, as on every page
    try:
        down = page(down_client.get("/test-down-refused/", HTTP_ACCEPT_LANGUAGE="en"), 403)
    finally:
        _gone.close()
    assert "只有后勤主任可以这样做。" in down and "Not allowed" in down
    assert users["teacher"].first_name in down  # the user, read before the database went away


def test_a_form_post_without_its_token_gets_the_refusal_page(db, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    html = page(strict.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"), 403)
    assert "Not sent" in html and "CSRF" not in html
