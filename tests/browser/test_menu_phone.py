"""On a 390 px phone every area of a role's menu is in sight, none cut off (the principal's 审批 too),
and the home page does not spill sideways."""
import pytest

from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

# Every area each role may use (English: the browser tests read English; the Chinese labels are shorter).
AREAS = {
    "head": ["Report a repair", "My requests", "Repair queue", "Checks", "Assets", "Stocktakes", "Loans",
             "Supplies", "My requisitions", "Printing", "Approvals", "Purchases", "Finance"],
    "principal": ["Report a repair", "My requests", "Repair queue", "Approvals", "Purchases", "Finance"],
    "auditor": ["Repair queue", "Assets", "Finance"],
}


def _menu_fits(page, live_server):
    """Every link of the menu is visible, whole, inside the 390 px screen; returns their labels."""
    page.goto(f"{live_server.url}/")
    links = page.locator(".mainnav a")
    labels = links.all_inner_texts()
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        assert link.is_visible() and box is not None, labels[i]
        # Inside the screen, and the label is not clipped inside its pill nor by the menu.
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (labels[i], box)
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), labels[i]
        assert link.evaluate(
            "a => { const r = a.getBoundingClientRect(), n = a.parentElement.getBoundingClientRect();"
            " return r.right <= n.right + 0.5 && r.left >= n.left - 0.5 && r.bottom <= n.bottom + 0.5; }"), labels[i]
        assert box["height"] >= 36, (labels[i], box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    return labels


@pytest.mark.parametrize("who", sorted(AREAS))
def test_every_menu_item_is_visible_whole_on_a_phone(live_server, roles_ready, users, school, phone, login, who):
    labels = _menu_fits(login(phone(), who, PASSWORD), live_server)
    assert set(AREAS[who]) <= set(labels), labels


@pytest.mark.browser_context_args(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
@pytest.mark.parametrize("who", ["head", "principal"])
def test_every_menu_item_is_visible_whole_on_a_phone_in_chinese(live_server, roles_ready, users, school, phone,
                                                                login, who):
    labels = _menu_fits(login(phone(), who, PASSWORD), live_server)
    assert "审批" in labels and "我要报修" in labels, labels
