"""Each journey's main pages under the Content Security Policy, in Chromium: not one violation reported (an inline
script, style or handler the policy blocks is reported on the console), and what their scripts do still works —
the photo preview (blob: images), the year picker that sends its form, the job page that follows its job.
The Permissions-Policy: the page may not use the camera, yet the repair form's file input still takes a photo."""
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from logistics.jobs.models import Job
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions-Policy|Permissions Policy", re.I)


def watch(page):
    """The policy messages the browser reports on this page's console, and its script errors."""
    found = []
    page.on("console", lambda m: VIOLATION.search(m.text) and found.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: found.append(f"{page.url}: script error: {e}"))
    return found


def visit(page, url, heading=None):
    response = page.goto(url)
    assert response.status == (404 if "no-such" in url else 200), url
    assert response.headers["content-security-policy"].startswith(("default-src", "style-src", "script-src",
                                                                      "img-src", "object-src", "base-uri",
                                                                      "frame-ancestors", "form-action"))
    page.wait_for_load_state("load")


def test_every_journeys_pages_run_under_the_policies(live_server, roles_ready, users, school, phone, login,
                                                     media_root, tmp_path):
    base = live_server.url
    term = school["term"]
    reports = []

    # The teacher: home, the repair form with a photo chosen (its preview is a blob: image).
    teacher = phone()
    reports += watch(teacher)
    login(teacher, "teacher", PASSWORD)
    visit(teacher, f"{base}/")
    visit(teacher, f"{base}/repairs/new/")
    assert teacher.evaluate("document.featurePolicy ? document.featurePolicy.allowsFeature('camera') : false") is False
    assert teacher.evaluate("document.featurePolicy ? document.featurePolicy.allowsFeature('geolocation') : false") \
        is False
    photo = tmp_path / "lamp.png"
    Image.new("RGB", (640, 480), (230, 200, 40)).save(photo)
    teacher.set_input_files("input[name=photos]", str(photo))
    preview = teacher.locator("[data-photo-preview] img")
    expect(preview).to_have_count(1)
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 640  # the blob: image was allowed
    visit(teacher, f"{base}/no-such-page/")  # the error pages' own layout

    # The head: home, the register, the asset report's year picker, the term summary, a job following its job.
    head = phone()
    reports += watch(head)
    login(head, "head", PASSWORD)
    visit(head, f"{base}/")
    visit(head, f"{base}/assets/")
    visit(head, f"{base}/asset-report/")
    picker = head.locator("select[name=year]")
    other = str(int(picker.input_value()) - 1)
    if not picker.locator(f"option[value='{other}']").count():  # a new school's report has one year: add one
        picker.evaluate("(s, y) => s.add(new Option(y, y))", other)
    with head.expect_navigation():
        picker.select_option(other)  # app.js sends the form (no inline onchange any more)
    assert f"year={other}" in head.url
    visit(head, f"{base}/summary/")
    visit(head, f"{base}/summary/{term.pk}/")
    job = Job.objects.create(owner=users["head"], kind="assets.register_pdf", parameters={}, key="csp-test",
                             status=Job.Status.RUNNING, total=200, done=50, started_at=timezone.now())
    visit(head, f"{base}/files/{job.pk}/")
    expect(head.locator("[data-testid=job-progress]")).to_have_attribute("value", "25")
    Job.objects.filter(pk=job.pk).update(done=150)
    expect(head.locator("[data-testid=job-progress]")).to_have_attribute("value", "75")  # jobs.js polled

    # The principal: home and the purchase approval inbox.
    principal = phone()
    reports += watch(principal)
    login(principal, "principal", PASSWORD)
    visit(principal, f"{base}/")
    visit(principal, f"{base}/purchases/inbox/")

    # The admin (no relaxed policy there): its index, a list, a change form with its widgets, a history page.
    User.objects.create_superuser("root", password=PASSWORD)
    admin = phone()
    admin.set_viewport_size({"width": 1280, "height": 900})
    reports += watch(admin)
    login(admin, "root", PASSWORD)
    teacher_pk = users["teacher"].pk
    for path in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{teacher_pk}/change/",
                 f"/admin/auth/user/{teacher_pk}/history/", "/admin/logistics/term/",
                 f"/admin/logistics/term/{term.pk}/change/"):
        visit(admin, base + path)
    admin.locator("a[id^=calendarlink]").first.click()  # the admin's calendar, drawn by its script
    expect(admin.locator("#calendarbox0")).to_be_visible()

    assert not reports, "\n".join(reports)
