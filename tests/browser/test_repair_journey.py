"""A repair from report to confirmation, through the pages, as the three people do it on their phones."""
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from assets.models import RepairPhoto, RepairRequest
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    # pytest-playwright's own base_url fixture trips a pytest 9 deprecation; nothing of ours.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


# Submits a form twice in a row, after app.js's listener has run: notes whether each submit was refused
# and how the button looks, keeps the page here, then unlocks the form as app.js does on "pageshow".
SUBMIT_TWICE = """form => new Promise(resolve => {
    const button = form.querySelector("[type=submit]");
    const label = button.textContent;
    const seen = [];
    const spy = event => { seen.push(event.defaultPrevented); event.preventDefault(); };
    window.addEventListener("submit", spy);
    form.requestSubmit();
    form.requestSubmit();
    setTimeout(() => {
        window.removeEventListener("submit", spy);
        const result = {seen, disabled: button.disabled, text: button.textContent.trim()};
        delete form.dataset.sent;
        button.disabled = false;
        button.textContent = label;
        resolve(result);
    }, 50);
})"""


def expect_sent_once(form, busy_text):
    """A form marked data-once refuses a second submit and locks its button: a double tap sends once."""
    result = form.evaluate(SUBMIT_TWICE)
    assert result == {"seen": [False, True], "disabled": True, "text": busy_text}, result


def expect_status(page, status):
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", status)


def test_teacher_reports_head_assigns_worker_fixes_teacher_confirms(
        live_server, roles_ready, users, school, media_root, tmp_path, phone, login):
    photo = tmp_path / "lamp.png"
    Image.new("RGB", (640, 480), (230, 200, 40)).save(photo)
    room = school["room"]

    # The teacher reports a flickering lamp, with a photo.
    teacher = login(phone(), "teacher", PASSWORD)
    teacher.get_by_role("link", name="Report a repair").first.click()
    expect(teacher).to_have_url(re.compile(r"/repairs/new/$"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Report a repair")
    teacher.locator("label.tile", has=teacher.locator("input[value=lighting]")).click()
    expect(teacher.locator("input[name=category][value=lighting]")).to_be_checked()
    teacher.locator("select[name=location]").select_option(str(room.pk))
    teacher.fill("input[name=title]", "Two ceiling lamps flicker")
    teacher.fill("textarea[name=description]", "Above the blackboard, since Monday.")
    teacher.locator("input[name=urgency][value=urgent]").check()
    teacher.set_input_files("input[name=photos]", str(photo))
    expect(teacher.locator("[data-photo-preview] img")).to_have_count(1)  # the chosen photo is shown
    form = teacher.locator("main form[data-once]")
    send = form.get_by_role("button", name="Send the request")
    expect_sent_once(form, busy_text="Sending…")
    with teacher.expect_navigation():
        send.click()

    repair = RepairRequest.objects.get()
    assert (repair.category, repair.location, repair.urgency, repair.reporter) == (
        "lighting", room, "urgent", users["teacher"])
    assert RepairPhoto.objects.filter(request=repair).count() == 1
    assert any(media_root.rglob("*")), "the photo was not stored under MEDIA_ROOT"
    detail = f"{live_server.url}/repairs/{repair.pk}/"
    expect(teacher).to_have_url(detail)
    expect(teacher.locator(".msg-success")).to_contain_text(f"Your request {repair.number} was sent")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Two ceiling lamps flicker")
    expect_status(teacher, "reported")
    img = teacher.locator(".photos img")
    expect(img).to_have_count(1)
    img.scroll_into_view_if_needed()
    teacher.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())

    # The head of logistics, on another phone, gives it to 张师傅 from the detail page.
    head = login(phone(), "head", PASSWORD)
    head.goto(detail)
    head.locator("select[name=assignee]").select_option(label="张师傅")
    with head.expect_navigation():
        head.get_by_role("button", name="Assign", exact=True).click()
    expect(head.locator(".msg-success")).to_have_text("Assigned.")
    expect_status(head, "assigned")

    # The worker starts, then records the work, the parts and the cost.
    worker = login(phone(), "worker", PASSWORD)
    worker.goto(detail)
    with worker.expect_navigation():
        worker.get_by_role("button", name="Start work").click()
    expect(worker.locator(".msg-success")).to_have_text("Work started.")
    expect_status(worker, "in_progress")
    worker.fill("textarea[name=work_done]", "Replaced both tubes and the starter.")
    worker.fill("input[name=parts_used]", "2 LED tubes, 1 starter")
    worker.fill("input[name=cost]", "56.50")
    worker.fill("input[name=minutes_spent]", "40")
    with worker.expect_navigation():
        worker.get_by_role("button", name="Mark done").click()
    expect_status(worker, "done")
    expect(worker.locator(".facts")).to_contain_text("2 LED tubes, 1 starter")
    expect(worker.locator(".facts")).to_contain_text("¥56.50")

    # The teacher sees it fixed and confirms.
    teacher.goto(detail)
    expect(teacher.get_by_text("Is it fixed?")).to_be_visible()
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Yes, it is fixed").click()
    expect(teacher.locator(".msg-success")).to_contain_text("Thank you for confirming")
    expect_status(teacher, "confirmed")

    # The history tells the whole story, in order, with who did each step.
    steps = teacher.locator(".timeline > li")
    expect(steps.locator(".what")).to_have_text([
        "reported",
        "assigned to 张师傅",
        "work started",
        re.compile(r"^marked done: Replaced both tubes"),
        "confirmed fixed by the reporter",
    ])
    expect(steps.locator(".who")).to_have_text(["王丽", "陈主任", "张师傅", "张师傅", "王丽"])

    repair.refresh_from_db()
    assert repair.status == "confirmed"
    assert str(repair.cost) == "56.50" and repair.minutes_spent == 40
    assert repair.assignee == users["worker"]
