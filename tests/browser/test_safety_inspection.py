"""A safety inspection on a phone through to a verified fix: the safety officer opens today's inspection from the
home page, passes two items and fails one with a note and a photo, naming the maintenance worker; the hazard shows
on the inspection; the worker records the fix with a photo on the hazard's page; the head (someone else) re-checks
it; the hazard is verified and the inspection says so."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from logistics.models import Finding
from safety.models import CheckArea, InspectionPlan, InspectionResult, PlanItem
from tests.conftest import PASSWORD, image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

PHONE_WIDTH = 390


def click_and_wait(page, target):
    with page.expect_navigation():
        target.click()


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_failed_item_goes_from_the_inspection_to_a_verified_fix(live_server, roles_ready, users, school, phone,
                                                                   login, media_root, tmp_path):
    plan = InspectionPlan.objects.create(title="每周安全巡查", inspector=users["safety"], frequency="weekly",
                                         weekdays=[0])
    for n, (area, text) in enumerate([(CheckArea.FIRE, "灭火器压力在绿区"), (CheckArea.ELECTRICS, "配电箱上锁"),
                                      (CheckArea.GATES, "厕所地面防滑")]):
        PlanItem.objects.create(plan=plan, area=area, text=text, position=n)
    inspection = plan.create_task(timezone.localdate())[0]
    items = list(plan.items.order_by("position"))
    photo = tmp_path / "box.png"
    photo.write_bytes(image_bytes())

    # The safety officer opens today's inspection from the home page.
    officer = login(phone(), "safety", PASSWORD)
    click_and_wait(officer, officer.locator(f"a[href='/safety/inspections/{inspection.pk}/']").first)
    expect(officer.locator("[data-testid=item]")).to_have_count(3)
    fits_the_phone(officer)
    for item in (items[0], items[2]):
        officer.locator(f"#item-{item.pk} label.seg-pass").click()
    failed = officer.locator(f"#item-{items[1].pk}")
    failed.locator("label.seg-fail").click()
    expect(failed.locator(".fail-fields")).to_be_visible()
    failed.locator(f"input[name=note_{items[1].pk}]").fill("综合楼配电箱门锁损坏")
    failed.locator(f"input[name=photo_{items[1].pk}]").set_input_files(str(photo))
    failed.locator(f"select[name=responsible_{items[1].pk}]").select_option(str(users["worker"].pk))
    click_and_wait(officer, officer.locator("[data-testid=save]"))

    # The record shows the hazard, to be fixed.
    expect(officer.locator("[data-testid=failed-count]")).to_have_text("1")
    hazard = Finding.objects.get()
    assert hazard.area == "safety" and hazard.responsible == users["worker"] and hazard.photos.count() == 1
    assert InspectionResult.objects.get(outcome="fail").finding == hazard
    expect(officer.locator("[data-testid=hazard-status]")).to_have_attribute("data-status", "open")
    fits_the_phone(officer)

    # The maintenance worker records the fix with a photo on the hazard's page.
    worker = login(phone(), "worker", PASSWORD)
    worker.goto(f"{live_server.url}/findings/{hazard.pk}/")
    worker.locator("#fix_note").fill("更换配电箱门锁并上锁")
    worker.locator("input[name=photos]").set_input_files(str(photo))
    click_and_wait(worker, worker.get_by_role("button", name="It is fixed"))
    expect(worker.locator("[data-testid=status]").first).to_have_attribute("data-status", "fixed")

    # The head re-checks it: passed.
    head = login(phone(), "head", PASSWORD)
    head.goto(f"{live_server.url}/findings/{hazard.pk}/")
    head.locator("label.seg", has=head.locator("input[value=yes]")).click()
    click_and_wait(head, head.get_by_role("button", name="Save the re-check"))
    expect(head.locator("[data-testid=status]").first).to_have_attribute("data-status", "verified")

    hazard.refresh_from_db()
    assert hazard.status == Finding.Status.VERIFIED
    assert (hazard.fixed_by, hazard.verified_by) == (users["worker"], users["head"])
    officer.goto(f"{live_server.url}/safety/inspections/{inspection.pk}/")
    expect(officer.locator("[data-testid=hazard-status]")).to_have_attribute("data-status", "verified")
