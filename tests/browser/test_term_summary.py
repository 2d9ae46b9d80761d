"""The term summary through the pages, at phone width: the head starts it, writes a chapter quoting a figure
by tapping its name, prints it, submits it; the principal signs it off; the document is then kept as signed."""
import subprocess

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


def test_head_writes_quotes_prints_and_principal_signs(live_server, roles_ready, users, school, phone, login,
                                                       media_root, tmp_path):
    term = school["term"]
    for n in range(3):
        repair_report(reporter=users["teacher"], category=RepairCategory.LIGHTING, location=school["room"],
                      title=f"灯不亮 {n}")

    head = login(phone(), "head", PASSWORD)
    head.goto(f"{live_server.url}/summary/")
    click_and_wait(head, head.get_by_role("link", name=term.name))
    click_and_wait(head, head.get_by_role("button", name="Start the summary"))
    expect(head.locator("[data-testid=status]")).to_have_attribute("data-status", "draft")

    # Write the first chapter: words, then the figure's name tapped from the list, then more words.
    click_and_wait(head, head.locator("#chapter-routine").get_by_role("link", name="Write"))
    area = head.locator("textarea[name=narrative]")
    area.fill("This term we received ")
    area.press("End")
    head.locator("[data-insert='{repairs.total}']").click()
    area.press("End")
    area.type(" repair requests.")
    expect(area).to_have_value("This term we received {repairs.total} repair requests.")
    # A typo in a name is refused with a hint; what was typed stays.
    area.fill("Fixed {repairs.dnoe}.")
    click_and_wait(head, head.get_by_role("button", name="Save", exact=True))
    expect(head.locator(".field-narrative .error")).to_contain_text("Did you mean {repairs.done}")
    expect(area).to_have_value("Fixed {repairs.dnoe}.")
    area.fill("This term we received {repairs.total} repair requests.")
    click_and_wait(head, head.get_by_role("button", name="Save", exact=True))
    point = head.locator("#chapter-routine ol.points li").first
    expect(point).to_have_text("This term we received 3 repair requests.")

    # Print: the PDF holds the sentence with the figure.
    response = head.request.get(live_server.url + head.locator("[data-testid=print-pdf]").get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "This term we received 3 repair requests." in " ".join(text.split())

    click_and_wait(head, head.get_by_role("button", name="Submit to the principal"))
    expect(head.locator("[data-testid=status]")).to_have_attribute("data-status", "submitted")

    principal = login(phone(), "principal", PASSWORD)
    principal.goto(f"{live_server.url}/summary/{term.pk}/")
    expect(principal.locator("#chapter-routine ol.points li").first).to_have_text(
        "This term we received 3 repair requests.")
    click_and_wait(principal, principal.get_by_role("button", name="Sign off"))
    expect(principal.locator("[data-testid=status]")).to_have_attribute("data-status", "signed")

    summary = TermSummary.objects.get(term=term)
    assert summary.status == TermSummary.Status.SIGNED and summary.signed_by == users["principal"]
    assert summary.signed_pdf and summary.signed_pdf.size > 1000
    signed = {f["key"]: f["value"] for f in summary.signed_data["figures"]}
    assert signed["repairs.total"] == 3

    # A repair reported after the sign-off changes the records, not the signed document; the page says so.
    repair_report(reporter=users["teacher"], category=RepairCategory.LIGHTING, location=school["room"],
                  title="又一盏灯")
    principal.reload()
    expect(principal.locator("#chapter-routine ol.points li").first).to_have_text(
        "This term we received 3 repair requests.")
    expect(principal.locator("[data-testid=differences]")).to_contain_text("3 → now 4")
    # Phone width: the page is not wider than the screen.
    assert principal.evaluate("document.documentElement.scrollWidth") <= 390
