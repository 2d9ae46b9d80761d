"""Hazards' pages: reporting (anyone with the permission; what was typed kept on an error; no receiver; a bad photo;
a second click), the reporter's read-only view of the kernel's page, the kernel's raise page kept for those who
read every finding, the repair opened from the finding's page (its confirm page, who may, twice, a stale page),
the links both ways (finding ↔ repair), the hazard ledger (readers, filters, the same queries with 3 and 30
hazards) and the home sections."""
import datetime
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assets.models import RepairCategory, RepairRequest, Urgency
from assets.services import repairs as repair_services
from logistics.findings import services as findings
from logistics.models import Finding
from safety.home import hazards as home
from safety.services import hazards as services
from tests.conftest import image_bytes, make_user

pytestmark = pytest.mark.usefixtures("english_pages")
D = datetime.timedelta(days=1)
REPORT = "/safety/hazards/report/"
LEDGER = "/safety/hazards/"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # SafetyConfig declares finding_links = "safety.views.hazards.finding_links" (the safety action on a finding's
    # page); set here too so these tests do not depend on it.
    monkeypatch.setattr(apps.get_app_config("safety"), "finding_links", "safety.views.hazards.finding_links")


def photo(name="p.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type="image/png")


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


def form(**extra):
    return {"title": "楼梯扶手松动", "description": "二楼到三楼扶手晃动", "location": "", "severity": "general",
            "submit_token": str(uuid.uuid4()), **extra}


def hazard(users, school, title="楼梯扶手松动", who="teacher", **extra):
    return services.report_hazard(by=users[who], title=title, location=school["room"], **extra)


# --- reporting ---------------------------------------------------------------------------------------

def test_a_teacher_reports_a_hazard_and_follows_it_read_only(users, school, client):
    response, html = get(client, users["teacher"], REPORT)
    assert response.status_code == 200 and 'name="title"' in html and 'data-testid="no-receiver"' not in html
    response = client.post(REPORT, form(location=school["room"].pk, severity="serious", photos=[photo()]))
    h = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("findings:detail", args=[h.pk])
    assert h.found_by == users["teacher"] and h.responsible == users["safety"] and h.photos.count() == 1
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200 and "楼梯扶手松动" in html and "was sent to the safety officer" in html
    # read only: no fix, no re-check, no reassign, no repair, no notice to print
    for url in ("fix", "verify", "reassign", "extend", "notice"):
        assert reverse(f"findings:{url}", args=[h.pk]) not in html
    assert reverse("safety:hazard_open_repair", args=[h.pk]) not in html
    assert "Nothing for you to do here." in html
    assert client.post(reverse("findings:fix", args=[h.pk]), {"version": h.version, "note": "x"}).status_code == 403
    # it is in their list of findings too, but not someone else's
    _r, html = get(client, users["teacher"], reverse("findings:list"))
    assert "楼梯扶手松动" in html
    assert get(client, users["teacher2"], reverse("findings:detail", args=[h.pk]))[0].status_code == 404


def test_a_report_without_a_title_keeps_what_was_typed(users, school, client):
    client.force_login(users["teacher"])
    response = client.post(REPORT, form(title="", description="三楼东侧电线裸露"))
    html = response.content.decode()
    assert response.status_code == 200 and "三楼东侧电线裸露" in html and 'class="error"' in html
    assert not Finding.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(users, school, client):
    client.force_login(users["teacher"])
    response = client.post(REPORT, form(photos=[photo("x.png", b"not an image at all")]))
    html = response.content.decode()
    assert response.status_code == 200 and "楼梯扶手松动" in html and "choose them again" in html
    assert not Finding.objects.exists()


def test_a_second_click_saves_one_report(users, school, client):
    client.force_login(users["teacher"])
    data = form()
    client.post(REPORT, data)
    response = client.post(REPORT, data, follow=True)
    assert Finding.objects.count() == 1 and "it was not saved twice" in response.content.decode()


def test_without_a_safety_officer_the_page_says_so_and_saves_nothing(users, school, client):
    Group.objects.get(name="safety").user_set.clear()
    response, html = get(client, users["teacher"], REPORT)
    assert 'data-testid="no-receiver"' in html
    response = client.post(REPORT, form())
    assert response.status_code == 200 and "no safety officer" in response.content.decode()
    assert not Finding.objects.exists()


def test_reporting_needs_the_permission(users, school, client):
    visitor = make_user("visitor", None, "访客")
    assert get(client, visitor, REPORT)[0].status_code == 403
    assert client.post(REPORT, form()).status_code == 403
    assert not Finding.objects.exists()


def test_the_kernels_raise_page_needs_view_finding_too(users, school, client):
    group = Group.objects.create(name="adds-findings")
    group.permissions.add(Permission.objects.get(codename="add_finding"))
    users["teacher"].groups.add(group)
    teacher = type(users["teacher"]).objects.get(pk=users["teacher"].pk)
    assert teacher.has_perm("logistics.add_finding") and not teacher.has_perm("logistics.view_finding")
    assert get(client, teacher, reverse("findings:new"))[0].status_code == 403
    assert get(client, users["safety"], reverse("findings:new"))[0].status_code == 200


# --- a repair for a hazard, linked both ways ---------------------------------------------------------------

def test_the_safety_officer_opens_a_repair_from_the_hazards_page(users, school, client):
    h = hazard(users, school)
    url = reverse("safety:hazard_open_repair", args=[h.pk])
    _r, html = get(client, users["safety"], reverse("findings:detail", args=[h.pk]))
    assert f'href="{url}"' in html and 'data-testid="module-actions"' in html
    response, html = get(client, users["safety"], url)
    assert response.status_code == 200 and 'name="category"' in html and 'name="location"' not in html
    response = client.post(url, {"version": h.version, "submit_token": str(uuid.uuid4()),
                                 "category": RepairCategory.BUILDING, "urgency": Urgency.URGENT, "description": ""})
    repair = RepairRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("findings:detail", args=[h.pk])
    assert repair.finding == h and repair.urgency == Urgency.URGENT
    # the finding's page lists the repair (linked) and offers no second one
    _r, html = get(client, users["safety"], reverse("findings:detail", args=[h.pk]))
    links = html.split('data-testid="finding-links"', 1)[1].split("</dd>", 1)[0]
    assert repair.number in links and reverse("assets:repair_detail", args=[repair.pk]) in links
    assert f'href="{url}"' not in html and f"opened repair {repair.number} for it" in html
    # the repair's page says which hazard it was opened for, linked to the finding's page
    _r, html = get(client, users["head"], reverse("assets:repair_detail", args=[repair.pk]))
    shown = html.split('data-testid="repair-finding"', 1)[1].split("</dd>", 1)[0]
    assert h.number in shown and reverse("findings:detail", args=[h.pk]) in shown
    assert f"reported for finding {h.number}" in html
    # a second time: the page says it is already open
    response, html = get(client, users["safety"], url)
    assert 'data-testid="no-repair"' in html and repair.number in html


def test_the_repair_done_is_said_on_the_hazards_page(users, school, client):
    h = hazard(users, school)
    repair = services.open_repair_for_hazard(finding_id=h.pk, by=users["safety"], category=RepairCategory.BUILDING,
                                             urgency=Urgency.NORMAL)
    repair_services.repair_take(request_id=repair.pk, worker=users["worker"])
    repair_services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="加固")
    _r, html = get(client, users["safety"], reverse("findings:detail", args=[h.pk]))
    day = timezone.localdate().isoformat()
    assert f"done on {day}; the fix is still recorded here by the person responsible" in html
    assert reverse("findings:fix", args=[h.pk]) in html  # the responsible person still records the fix
    # the teacher who reported it sees the repair, without a link to a request that is not theirs
    _r, html = get(client, users["teacher"], reverse("findings:detail", args=[h.pk]))
    links = html.split('data-testid="finding-links"', 1)[1].split("</dd>", 1)[0]
    assert repair.number in links and reverse("assets:repair_detail", args=[repair.pk]) not in links


def test_who_may_open_a_repair_from_the_page(users, school, client):
    h = hazard(users, school)
    url = reverse("safety:hazard_open_repair", args=[h.pk])
    for who in ("teacher", "auditor"):
        response, html = get(client, users[who], reverse("findings:detail", args=[h.pk]))
        assert f'href="{url}"' not in html
        assert client.get(url).status_code == 403
    assert get(client, users["worker"], url)[0].status_code == 404  # cannot read the hazard
    assert get(client, users["principal"], url)[0].status_code == 200


def test_a_stale_page_or_a_missing_place_saves_no_repair(users, school, client):
    h = services.report_hazard(by=users["teacher"], title="围墙开裂")
    url = reverse("safety:hazard_open_repair", args=[h.pk])
    response, html = get(client, users["safety"], url)
    assert 'name="location"' in html  # the hazard has no place: the repair needs one
    data = {"version": h.version, "submit_token": str(uuid.uuid4()), "category": RepairCategory.BUILDING,
            "urgency": Urgency.NORMAL, "description": "东侧围墙"}
    response = client.post(url, data)
    assert response.status_code == 200 and "东侧围墙" in response.content.decode()
    findings.finding_extend(finding_id=h.pk, by=users["head"], deadline=h.deadline + 3 * D, reason="等材料")
    response = client.post(url, {**data, "location": school["room"].pk})
    assert response.status_code == 200 and "while you had it open" in response.content.decode()
    assert not RepairRequest.objects.exists()


# --- the hazard ledger ---------------------------------------------------------------------------------

def build(users, school, n):
    """n hazards in every state, some serious, some overdue, some with a repair."""
    made = []
    for i in range(n):
        h = hazard(users, school, title=f"隐患{i:02d}", who=("teacher", "teacher2", "head")[i % 3],
                   severity=("general", "serious")[i % 2], photos=[photo()] if i % 4 == 0 else ())
        if i % 5 == 1:
            Finding.objects.filter(pk=h.pk).update(deadline=timezone.localdate() - D)
        if i % 5 == 2:
            findings.finding_fix(finding_id=h.pk, by=users["safety"], note="已整改", photo_required=False)
        if i % 5 == 3:
            findings.finding_fix(finding_id=h.pk, by=users["safety"], note="已整改", photo_required=False)
            findings.finding_verify(finding_id=h.pk, by=users["head"], ok=True)
        if i % 5 == 4:
            services.open_repair_for_hazard(finding_id=h.pk, by=users["safety"], category=RepairCategory.OTHER,
                                            urgency=Urgency.NORMAL)
        made.append(h)
    return made


def test_the_ledger_is_for_the_readers_of_safety(users, school, client):
    build(users, school, 5)
    for who in ("safety", "head", "principal", "auditor"):
        response, html = get(client, users[who], LEDGER)
        assert response.status_code == 200 and "隐患00" in html and "隐患04" in html
        assert reverse("findings:detail", args=[Finding.objects.get(title="隐患00").pk]) in html
    for who in ("teacher", "worker", "canteen"):
        assert get(client, users[who], LEDGER)[0].status_code == 403


def test_the_ledger_filters(users, school, client):
    made = build(users, school, 10)
    client.force_login(users["safety"])

    def titles(query):
        return {f.title for f in client.get(LEDGER + query).context["page"].object_list}

    assert titles("?overdue=on") == {"隐患01", "隐患06"}
    assert titles("?status=verified") == {"隐患03", "隐患08"}
    assert titles("?status=open") == {h.title for h in made} - {"隐患03", "隐患08"}
    assert titles("?severity=serious") == {f"隐患{i:02d}" for i in range(1, 10, 2)}
    assert titles("?q=隐患07") == {"隐患07"}
    assert titles(f"?responsible={users['safety'].pk}") == {h.title for h in made}
    findings.finding_reassign(finding_id=made[0].pk, by=users["head"], responsible=users["head"], reason="总务处负责")
    assert titles(f"?responsible={users['head'].pk}") == {"隐患00"}
    assert titles("?severity=nonsense") == {h.title for h in made}  # a bad filter shows everything


@pytest.mark.parametrize("n", [3, 30])
def test_the_ledger_takes_the_same_queries_with_3_or_30_hazards(users, school, client, n,
                                                                django_assert_max_num_queries):
    build(users, school, n)
    client.force_login(users["safety"])
    # 9 measured with 3 and with 30 (session, user, permissions, menu, the filter's people, count, page, …)
    with django_assert_max_num_queries(10):
        response = client.get(LEDGER + "?status=open")
    assert response.status_code == 200 and len(response.context["page"].object_list) > 0


# --- home ---------------------------------------------------------------------------------------------

def sections(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}


def test_home_sections(users, school, client):
    mine = hazard(users, school, title="楼梯扶手松动")
    late = hazard(users, school, title="围墙开裂", who="teacher2", severity="serious")
    Finding.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - 2 * D)
    fixed = hazard(users, school, title="电线裸露", who="teacher2")
    findings.finding_fix(finding_id=fixed.pk, by=users["safety"], note="已包扎", photo_required=False)
    # the teacher follows their report
    s = sections(client, users["teacher"])
    assert [r.title for r in s["safety_hazards_mine"].rows] == ["楼梯扶手松动"]
    assert "safety_hazards_fix" not in s and "safety_hazards_overdue" not in s
    # the safety officer must fix the open ones (the late one marked), once: not again under "past their deadline"
    s = sections(client, users["safety"])
    rows = {r.title: r for r in s["safety_hazards_fix"].rows}
    assert set(rows) == {"楼梯扶手松动", "围墙开裂"} and rows["围墙开裂"].overdue and not rows["楼梯扶手松动"].overdue
    assert "safety_hazards_overdue" not in s  # every overdue row is already shown above
    assert "safety_hazards_verify" not in s  # their own fix: someone else re-checks it
    # the head re-checks the fix and sees what is overdue, once (the safety hub's section may show it first); the
    # principal too
    for who in ("head", "principal"):
        s = sections(client, users[who])
        assert [r.title for r in s["safety_hazards_verify"].rows] == ["电线裸露"]
        shown = [r.title for section in s.values() for r in section.rows]
        assert shown.count("围墙开裂") == 1 and "楼梯扶手松动" not in shown
        own = {x.key: x for x in home.sections(users[who], timezone.now())}
        assert [r.title for r in own["safety_hazards_overdue"].rows] == ["围墙开裂"]
    assert mine.pk  # (made above)


def test_home_says_the_repair_is_done(users, school, client):
    h = hazard(users, school)
    repair = services.open_repair_for_hazard(finding_id=h.pk, by=users["safety"], category=RepairCategory.BUILDING,
                                             urgency=Urgency.NORMAL)
    repair_services.repair_take(request_id=repair.pk, worker=users["worker"])
    repair_services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="加固")
    row = sections(client, users["safety"])["safety_hazards_fix"].rows[0]
    assert any(repair.number in d and "record the fix" in d for d in row.detail)
    row = sections(client, users["teacher"])["safety_hazards_mine"].rows[0]
    assert f"repair {repair.number}" in row.detail


@pytest.mark.parametrize("n", [3, 30])
def test_home_sections_take_one_query(users, school, n, django_assert_max_num_queries):
    build(users, school, n)
    for who in ("safety", "head", "teacher"):
        user = type(users[who]).objects.get(pk=users[who].pk)
        user.has_perm("x")  # permissions cached, as on a page
        list(user.groups.all())
        with django_assert_max_num_queries(2):  # the hazards, and the user's roles
            home.sections(user, timezone.now())


def test_my_reports_are_those_reported_by_hand(users, school):
    from safety.services.common import raise_hazard

    by_hand = hazard(users, school, title="花坛边砖块松动", who="safety")
    raise_hazard(title="灭火器压力不足", responsible=users["head"], deadline=timezone.localdate() + D,
                 by=users["safety"], source=school["room"])  # found by an inspection, say
    own = {x.key: x for x in home.sections(users["safety"], timezone.now())}
    assert [r.url for r in own["safety_hazards_mine"].rows] == [reverse("findings:detail", args=[by_hand.pk])]
