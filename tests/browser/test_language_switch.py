"""The language switch in the header: Chinese is the default, English one tap away."""
import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    # pytest-playwright's own base_url fixture trips a pytest 9 deprecation; nothing of ours.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


@pytest.mark.browser_context_args(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
def test_login_page_switches_from_chinese_to_english(live_server, transactional_db, phone):
    page = phone()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("登录")

    switch = page.locator("form.lang button[name=language][value=en]")
    expect(switch).to_have_text("English")
    with page.expect_navigation():
        switch.click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text("Log in")
    # The choice sticks: the next page is English too, and offers the way back to Chinese.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.lang button[name=language][value=zh-hans]")).to_have_text("简体中文")
