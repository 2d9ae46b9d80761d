"""The pages: who sees what, raising by hand, the fix and verify forms (what was typed stays on an error),
the moves' refusals as the user reads them, the photos, and the list's query count."""
import datetime
import uuid

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from logistics.findings import services
from logistics.models import Finding

from .conftest import photo, raise_one

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english", "english_pages")


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English (the history's sentences and the messages are read in the reader's language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def menu(html):
    return html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


# --- who sees what -----------------------------------------------------------------------------

def test_holders_of_view_finding_see_every_finding_and_the_menu_entry(people, school, client):
    raise_one(people, school, title="灭火器压力不足")
    raise_one(people, school, title="配电箱未上锁", responsible=people["fixer"])
    for who in ("head", "auditor"):
        response, html = page(client, people[who], reverse("findings:list"))
        assert response.status_code == 200
        assert "灭火器压力不足" in html and "配电箱未上锁" in html
        assert 'href="/findings/"' in menu(html)


def test_the_responsible_person_sees_only_their_own(people, school, client):
    mine = raise_one(people, school, title="灭火器压力不足")
    other = raise_one(people, school, title="配电箱未上锁", responsible=people["fixer"])
    response, html = page(client, people["worker"], reverse("findings:list"))
    assert "灭火器压力不足" in html and "配电箱未上锁" not in html
    assert 'href="/findings/"' not in menu(html)  # no menu entry without view_finding
    assert client.get(reverse("findings:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("findings:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("findings:notice", args=[other.pk])).status_code == 404


def test_someone_else_cannot_open_a_finding_or_its_photos(people, school, client):
    f = raise_one(people, school, photos=[photo()])
    p = f.photos.get()
    client.force_login(people["teacher"])
    assert client.get(reverse("findings:detail", args=[f.pk])).status_code == 404
    assert client.get(reverse("findings:photo", args=[f.pk, p.pk])).status_code == 404
    client.force_login(people["worker"])
    response = client.get(reverse("findings:photo", args=[f.pk, p.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, max-age=86400"


def test_the_list_filters(people, school, client):
    raise_one(people, school, title="灭火器压力不足")
    late = raise_one(people, school, title="配电箱未上锁", responsible=people["fixer"])
    Finding.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    raise_one(people, school, title="冷库温度偏高", area="canteen")
    url = reverse("findings:list")
    _r, html = page(client, people["head"], url + "?overdue=on")
    assert "配电箱未上锁" in html and "灭火器压力不足" not in html
    _r, html = page(client, people["head"], url + "?area=canteen")
    assert "冷库温度偏高" in html and "灭火器压力不足" not in html
    _r, html = page(client, people["head"], url + f"?responsible={people['fixer'].pk}")
    assert "配电箱未上锁" in html and "灭火器压力不足" not in html
    _r, html = page(client, people["head"], url + "?q=灭火器")
    assert "灭火器压力不足" in html and "冷库温度偏高" not in html
    _r, html = page(client, people["head"], url + "?status=verified")
    assert "No finding matches." in html


# --- raising by hand ---------------------------------------------------------------------------

@pytest.fixture
def safety_raises(monkeypatch):
    """As when the safety module grants add_finding to its role (modules do; the kernel does not)."""
    config = apps.get_app_config("safety")
    monkeypatch.setattr(config, "role_grants", {**config.role_grants, "safety": ["safety.*", "logistics.*_finding"]})


def raise_data(people, **extra):
    return {"area": "safety", "title": "消防通道堆放杂物", "description": "", "location": "", "severity": "serious",
            "responsible": people["worker"].pk, "deadline": (timezone.localdate() + datetime.timedelta(days=3))
            .isoformat(), "submit_token": str(uuid.uuid4()), **extra}


def test_without_a_module_that_takes_findings_nobody_raises_by_hand(people, client, monkeypatch):
    from logistics.findings import views

    monkeypatch.setattr(views, "raising_areas", lambda: [])
    _r, html = page(client, people["head"], reverse("findings:list"))
    assert reverse("findings:new") not in html
    assert client.get(reverse("findings:new")).status_code == 403


def test_raising_by_hand_in_a_module_that_takes_findings(people, client, safety_raises):
    _r, html = page(client, people["inspector"], reverse("findings:list"))
    assert reverse("findings:new") in html
    _r, html = page(client, people["inspector"], reverse("findings:new"))
    # The modules that take findings (the canteen grants add_finding; here safety too), and no other.
    assert 'value="safety"' in html and 'value="canteen"' in html and 'value="assets"' not in html
    data = raise_data(people)
    response = client.post(reverse("findings:new"), data)
    f = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("findings:detail", args=[f.pk])
    assert f.severity == "serious" and f.area == "safety" and f.found_by == people["inspector"]
    client.post(reverse("findings:new"), data)  # the second click
    assert Finding.objects.count() == 1


def test_raising_with_a_past_deadline_shows_the_error_and_saves_nothing(people, client, safety_raises):
    client.force_login(people["inspector"])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("findings:new"), raise_data(people, deadline=past))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The deadline cannot be in the past." in html and "消防通道堆放杂物" in html
    assert not Finding.objects.exists()


def test_raising_needs_add_finding(people, client, safety_raises):
    client.force_login(people["worker"])
    assert client.get(reverse("findings:new")).status_code == 403
    assert client.post(reverse("findings:new"), raise_data(people)).status_code == 403


# --- fixing and verifying from the page ---------------------------------------------------------

def test_the_responsible_person_fixes_from_the_page(people, school, client):
    f = raise_one(people, school)
    _r, html = page(client, people["worker"], reverse("findings:detail", args=[f.pk]))
    assert reverse("findings:fix", args=[f.pk]) in html
    response = client.post(reverse("findings:fix", args=[f.pk]), {"version": 1, "note": "已更换", "photos": photo()})
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == "fixed" and f.photos.filter(kind="fixed").count() == 1


def test_the_fix_form_keeps_what_was_typed_when_the_photo_is_missing(people, school, client):
    f = raise_one(people, school)
    client.force_login(people["worker"])
    response = client.post(reverse("findings:fix", args=[f.pk]), {"version": 1, "note": "更换了压力表"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Add at least one photo of the fix." in html
    assert "更换了压力表" in html  # in the textarea again
    assert Finding.objects.get(pk=f.pk).status == "open"


def test_a_fix_from_a_stale_page_says_so_and_keeps_the_note(people, school, client):
    f = raise_one(people, school)
    services.finding_extend(finding_id=f.pk, by=people["head"], reason="等配件",
                            deadline=f.deadline + datetime.timedelta(days=2))
    client.force_login(people["worker"])
    response = client.post(reverse("findings:fix", args=[f.pk]), {"version": 1, "note": "更换了压力表",
                                                                  "photos": photo()})
    html = response.content.decode()
    assert "changed by someone else while you had it open" in html and "更换了压力表" in html
    assert Finding.objects.get(pk=f.pk).status == "open"


def test_someone_else_cannot_post_a_fix(people, school, client):
    f = raise_one(people, school)
    client.force_login(people["head"])  # reads it, holds verify_finding, but is not responsible
    response = client.post(reverse("findings:fix", args=[f.pk]), {"version": 1, "note": "x", "photos": photo()})
    assert response.status_code == 403


def fixed_by(people, school, who):
    f = raise_one(people, school)
    return services.finding_fix(finding_id=f.pk, by=people[who], note="已更换", photos=[photo()])


def test_the_fixer_is_told_someone_else_verifies(people, school, client):
    from .conftest import grant

    fixer = grant(people["fixer"], "verify_finding", "view_finding")
    f = fixed_by(people, school, "fixer")
    _r, html = page(client, fixer, reverse("findings:detail", args=[f.pk]))
    assert 'data-testid="own-fix"' in html and reverse("findings:verify", args=[f.pk]) not in html
    response = client.post(reverse("findings:verify", args=[f.pk]), {"version": f.version, "ok": "yes"})
    assert "someone else must verify it" in response.content.decode()
    assert Finding.objects.get(pk=f.pk).status == "fixed"


def test_not_passed_without_a_comment_is_refused_on_the_page(people, school, client):
    f = fixed_by(people, school, "worker")
    client.force_login(people["inspector"])
    response = client.post(reverse("findings:verify", args=[f.pk]), {"version": f.version, "ok": "no",
                                                                     "comment": ""})
    assert response.status_code == 200
    assert "Say what is still wrong, so it can be fixed." in response.content.decode()
    assert Finding.objects.get(pk=f.pk).status == "fixed"


def test_verifying_from_the_page(people, school, client):
    f = fixed_by(people, school, "worker")
    _r, html = page(client, people["inspector"], reverse("findings:detail", args=[f.pk]))
    assert reverse("findings:verify", args=[f.pk]) in html
    response = client.post(reverse("findings:verify", args=[f.pk]), {"version": f.version, "ok": "no",
                                                                     "comment": "压力仍不足"})
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == "reopened"
    _r, html = page(client, people["worker"], reverse("findings:detail", args=[f.pk]))
    assert "压力仍不足" in html and "Fix it again" in html


def test_verifying_without_the_permission_is_forbidden(people, school, client):
    f = fixed_by(people, school, "fixer")
    client.force_login(people["worker"])  # responsible, but no verify_finding
    assert client.post(reverse("findings:verify", args=[f.pk]), {"version": f.version, "ok": "yes"}).status_code == 403


def test_reassign_and_extend_from_the_page(people, school, client):
    f = raise_one(people, school)
    client.force_login(people["head"])
    response = client.post(reverse("findings:reassign", args=[f.pk]), {"version": 1, "responsible": people["fixer"].pk,
                                                                       "reason": "调岗"})
    assert response.status_code == 302
    new = (f.deadline + datetime.timedelta(days=5)).isoformat()
    client.post(reverse("findings:extend", args=[f.pk]), {"version": 2, "deadline": new, "reason": "等厂家"})
    f.refresh_from_db()
    assert f.responsible == people["fixer"] and f.deadline.isoformat() == new
    client.force_login(people["worker"])
    assert client.post(reverse("findings:extend", args=[f.pk]), {"version": 3, "deadline": new,
                                                                 "reason": "x"}).status_code == 403


def test_the_history_is_on_the_page(people, school, client):
    f = fixed_by(people, school, "worker")
    _r, html = page(client, people["head"], reverse("findings:detail", args=[f.pk]))
    assert "fixed it: 已更换" in html and "found it; 张师傅 to fix it by" in html


# --- query counts ------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_takes_the_same_queries_whatever_the_rows(people, school, client, rows,
                                                          django_assert_max_num_queries):
    for i in range(rows):
        raise_one(people, school, title=f"隐患{i}", photos=[photo()] if i % 3 == 0 else [],
                  responsible=people["worker"] if i % 2 else people["fixer"])
    client.force_login(people["head"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("findings:list"))
    assert response.status_code == 200
