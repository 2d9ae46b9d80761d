"""A person who mistypes their password five times is told, on the login page, how long to wait (in English or,
by default, Chinese); the right password does not get through the lock."""
import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from ..conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


@pytest.fixture
def throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def submit(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def test_five_failed_logins_show_how_long_to_wait(live_server, transactional_db, throttling, phone):
    User.objects.create_user("teacher", password=PASSWORD, first_name="王丽")
    page = phone()
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(4):
        submit(page, "teacher", "not-my-password")
        expect(page.locator(".errors[role=alert]")).to_be_visible()
        expect(page.locator(".login-locked")).to_have_count(0)

    submit(page, "teacher", "not-my-password")
    message = page.locator(".login-locked")
    expect(message).to_contain_text("Too many failed logins")
    expect(message).to_contain_text("try again in 15 minutes")

    # the right password now is refused too, with the same message; the form is still there to try later
    submit(page, "teacher", PASSWORD)
    expect(page.locator(".login-locked")).to_contain_text("try again in")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("input[name=password]")).to_be_visible()


@pytest.mark.browser_context_args(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
def test_the_wait_is_said_in_chinese_by_default(live_server, transactional_db, throttling, phone):
    page = phone()
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        submit(page, "nobody", "not-my-password")
    expect(page.locator(".login-locked")).to_have_attribute("data-lockout-minutes", "15")
    expect(page.locator(".login-locked")).to_contain_text("15 分钟")
