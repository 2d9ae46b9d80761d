"""The term summary's journey in Chinese, the school's language: the head writes a chapter quoting a figure and
submits; the principal signs it off (the English journey is in test_term_summary.py)."""
import pytest
from playwright.sync_api import expect

from assets.models import RepairCategory
from assets.services.repairs import repair_report
from logistics.models import TermSummary
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def click_and_wait(page, target):
    with page.expect_navigation():
        target.click()


@pytest.mark.browser_context_args(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
def test_the_summary_written_and_signed_off_in_chinese(live_server, roles_ready, users, school, phone, login,
                                                      media_root):
    term = school["term"]
    for n in range(2):
        repair_report(reporter=users["teacher"], category=RepairCategory.PLUMBING, location=school["room"],
                      title=f"水龙头漏水 {n}")

    head = login(phone(), "head", PASSWORD)
    head.goto(f"{live_server.url}/summary/")
    expect(head.get_by_role("heading", level=1)).to_have_text("学期工作总结")
    click_and_wait(head, head.get_by_role("link", name=term.name))
    click_and_wait(head, head.get_by_role("button", name="开始撰写总结"))
    expect(head.locator("[data-testid=status]")).to_have_text("草稿")
    expect(head.locator("#chapter-routine h2")).to_contain_text("一、后勤常规管理")

    click_and_wait(head, head.locator("#chapter-routine").get_by_role("link", name="撰写"))
    head.locator("textarea[name=narrative]").fill("1、本学期共受理报修{repairs.total}件，做到随报随修。")
    click_and_wait(head, head.get_by_role("button", name="保存", exact=True))
    expect(head.locator("#chapter-routine ol.points li").first).to_have_text("本学期共受理报修2件，做到随报随修。")
    click_and_wait(head, head.get_by_role("button", name="提交校长签发"))
    expect(head.locator("[data-testid=status]")).to_have_text("待校长签发")

    principal = login(phone(), "principal", PASSWORD)
    principal.goto(f"{live_server.url}/summary/{term.pk}/")
    click_and_wait(principal, principal.get_by_role("button", name="签发", exact=True))
    expect(principal.locator("[data-testid=status]")).to_have_text("已签发")
    summary = TermSummary.objects.get(term=term)
    assert summary.status == TermSummary.Status.SIGNED and summary.signed_pdf
    titles = {c["key"]: c["title"]["zh-hans"] for c in summary.signed_data["chapters"]}
    assert titles["routine"] == "后勤常规管理" and titles["outlook"] == "存在的不足与下学期打算"
