"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browsers here, so it launches /usr/bin/chromium (CHROMIUM_PATH
overrides it). A missing Chromium fails these tests loudly: CI installs it (make setup-test), and a
browser test that silently skips proves nothing.
"""
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from logistics.roles import ALL_ROLES

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
# from it unless told that this is fine (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need Debian's Chromium: "
            "run `apt-get install -y chromium` (or `make setup-test`), or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every context is a phone that reads English unless a test says otherwise.

    English keeps the assertions on visible text stable while the Chinese catalogue grows;
    test_language_switch covers the Chinese default.
    """
    return {
        **browser_context_args,
        "viewport": PHONE,
        "has_touch": True,
        "locale": "en-US",
        "extra_http_headers": {"Accept-Language": "en-US,en;q=0.9"},
    }


@pytest.fixture
def phone(new_context):
    """phone() opens a new page in a browser context of its own (its own cookies: one person)."""
    def _phone(**context_args):
        context = new_context(**context_args)
        # The live server answers in milliseconds; a stuck step should fail fast, not after 30 s.
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        return context.new_page()
    return _phone


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def roles_ready(transactional_db):
    """The role groups exist in the live server's database.

    transactional_db empties every table after each test; the flush sends post_migrate, which
    makes logistics.roles recreate the groups and their permissions. Say so plainly if it did not.
    """
    found = set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    missing = sorted(set(ALL_ROLES) - found)
    assert not missing, f"role groups missing after the database flush: {missing}"
    assert Group.objects.get(name="logistics_head").permissions.filter(
        codename="assign_repairrequest").exists(), "logistics_head lost its permissions after the flush"


@pytest.fixture
def login(live_server):
    """login(page, username, password) logs in through the real form, as a person does."""
    def _login(page, username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").click()
        assert "/accounts/login/" not in page.url, f"logging in as {username} failed"
        return page
    return _login

