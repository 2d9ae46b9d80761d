"""The responsibility pledges pages: the year's list with signed / not signed and the counts, put together in
one go, a pledge marked signed by uploading its scan (a bad or too large file refused, a second click or a stale
page), the scan served to readers only, the safety officer's home row, and query counts that do not grow."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from logistics.models import Department
from safety.home import pledges as home
from safety.models import Pledge
from safety.services import pledges as services

from ..conftest import image_bytes

pytestmark = pytest.mark.usefixtures("english_pages")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
YEAR = services.school_year(TODAY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def scan(name="scan.png"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/png")


@pytest.fixture
def pledges(users, school):
    Department.objects.create(name="总务处", head=users["head"])
    created, _kept = services.pledge_year_create(by=users["safety"], year=YEAR,
                                                 departments=list(Department.objects.all()),
                                                 classes="一(1)班 王丽\n一(2)班 陈静")
    return {p.name: p for p in created}


def sign(users, pledge):
    services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(), expected_version=0)


@pytest.mark.parametrize("who", ["safety", "head", "principal", "auditor"])
def test_readers_see_the_years_list_with_who_has_signed(users, pledges, login, who):
    sign(users, pledges["一(1)班"])
    client = login(users[who])
    page = client.get(reverse("safety:pledge_list") + f"?year={YEAR}").content.decode()
    assert page.count('data-testid="pledge-row"') == 3
    assert "1 of 3 signed" in page and "2 not signed" in page
    assert page.count('data-state="signed"') == 1 and page.count('data-state="unsigned"') == 2
    detail = client.get(pledges["一(1)班"].get_absolute_url())
    assert detail.status_code == 200 and "signed on" in detail.content.decode()
    response = client.get(reverse("safety:pledge_scan", args=[pledges["一(1)班"].pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["teacher", "worker", "canteen"])
def test_others_cannot_open_the_pledges(users, pledges, login, who):
    sign(users, pledges["一(1)班"])
    client = login(users[who])
    for url in (reverse("safety:pledge_list"), pledges["一(1)班"].get_absolute_url(),
                reverse("safety:pledge_scan", args=[pledges["一(1)班"].pk]), reverse("safety:pledge_year_create")):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["head", "principal", "auditor"])
def test_readers_cannot_sign_or_put_the_list_together(users, pledges, login, who):
    client = login(users[who])
    pledge = pledges["一(2)班"]
    assert "Mark it signed" not in client.get(pledge.get_absolute_url()).content.decode()
    response = client.post(reverse("safety:pledge_sign", args=[pledge.pk]),
                           {"version": "0", "signed_on": TODAY.isoformat(), "scan": scan()})
    assert response.status_code == 403
    assert client.post(reverse("safety:pledge_year_create"), {"year": YEAR, "classes": "二(1)班"}).status_code == 403
    assert not Pledge.objects.get(pk=pledge.pk).is_signed


def test_the_safety_officer_puts_the_years_list_together(users, school, login):
    Department.objects.create(name="总务处", head=users["head"])
    Department.objects.create(name="教导处")
    client = login(users["safety"])
    page = client.get(reverse("safety:pledge_year_create")).content.decode()
    assert f'value="{YEAR}"' in page and "总务处" in page
    department = Department.objects.get(name="总务处")
    response = client.post(reverse("safety:pledge_year_create"), {
        "year": YEAR, "departments": [department.pk], "classes": "一(1)班 王丽\n一(2)班 陈静"}, follow=True)
    assert "3 pledges put on the list." in response.content.decode()
    assert set(Pledge.objects.values_list("name", flat=True)) == {"总务处", "一(1)班", "一(2)班"}
    again = client.post(reverse("safety:pledge_year_create"), {"year": YEAR, "classes": "一(1)班 王丽"}, follow=True)
    assert "Already on it, left as they were: 一(1)班." in again.content.decode()
    assert Pledge.objects.count() == 3


def test_bad_class_lines_show_why_and_keep_what_was_typed(users, school, login):
    client = login(users["safety"])
    response = client.post(reverse("safety:pledge_year_create"),
                           {"year": YEAR, "classes": "一(1)班 王丽\n一(1)班 李娜"})
    page = response.content.decode()
    assert response.status_code == 200 and "is there twice" in page and "一(1)班 李娜" in page
    assert not Pledge.objects.exists()


def test_a_pledge_is_marked_signed_with_its_scan(users, pledges, login):
    client = login(users["safety"])
    pledge = pledges["一(2)班"]
    assert "Mark it signed" in client.get(pledge.get_absolute_url()).content.decode()
    response = client.post(reverse("safety:pledge_sign", args=[pledge.pk]),
                           {"version": "0", "signed_on": TODAY.isoformat(), "scan": scan()})
    assert response.status_code == 302 and f"year={YEAR}" in response["Location"]
    pledge.refresh_from_db()
    assert pledge.is_signed and pledge.scan
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert f"signed on {TODAY:%Y-%m-%d}; the scan is kept" in page and "Mark it signed" not in page


@pytest.mark.parametrize("data, message", [
    ({"scan": SimpleUploadedFile("scan.txt", b"just text")}, "is not a PDF or an image"),
    ({"signed_on": (TODAY + DAY).isoformat()}, "is after today"),
    ({"scan": ""}, "This field is required"),
])
def test_a_bad_signature_shows_why_and_saves_nothing(users, pledges, login, data, message):
    client = login(users["safety"])
    pledge = pledges["一(2)班"]
    sent = {"version": "0", "signed_on": TODAY.isoformat(), "scan": scan()}
    sent.update(data)
    response = client.post(reverse("safety:pledge_sign", args=[pledge.pk]), sent)
    assert response.status_code == 200 and message in response.content.decode()
    pledge.refresh_from_db()
    assert not pledge.is_signed


def test_a_scan_too_large_is_refused_on_the_page(users, pledges, login, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client = login(users["safety"])
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf")
    response = client.post(reverse("safety:pledge_sign", args=[pledges["一(2)班"].pk]),
                           {"version": "0", "signed_on": TODAY.isoformat(), "scan": big})
    assert "a file may be at most" in response.content.decode()
    assert not Pledge.objects.get(pk=pledges["一(2)班"].pk).is_signed


def test_a_second_click_on_sign_changes_nothing(users, pledges, login):
    client = login(users["safety"])
    pledge = pledges["一(2)班"]
    url = reverse("safety:pledge_sign", args=[pledge.pk])
    client.post(url, {"version": "0", "signed_on": TODAY.isoformat(), "scan": scan()})
    scan_name = Pledge.objects.get(pk=pledge.pk).scan.name
    response = client.post(url, {"version": "0", "signed_on": TODAY.isoformat(), "scan": scan()})
    assert response.status_code == 200 and "while this one was open" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.scan.name == scan_name and pledge.version == 1


def test_an_unsigned_pledge_is_taken_off_the_list(users, pledges, login):
    client = login(users["safety"])
    pledge = pledges["一(2)班"]
    response = client.post(reverse("safety:pledge_remove", args=[pledge.pk]), {"version": "0"})
    assert response.status_code == 302 and f"year={YEAR}" in response["Location"]
    assert not Pledge.objects.filter(pk=pledge.pk).exists()


def test_the_list_filters_and_shows_other_years(users, pledges, login):
    sign(users, pledges["一(1)班"])
    client = login(users["safety"])
    url = reverse("safety:pledge_list")
    assert client.get(f"{url}?state=unsigned").content.decode().count('data-testid="pledge-row"') == 2
    assert client.get(f"{url}?party=department").content.decode().count('data-testid="pledge-row"') == 1
    empty = client.get(f"{url}?year={YEAR - 1}").content.decode()
    assert "No pledges on this year's list yet." in empty and "0 of 0 signed" in empty


def test_the_safety_officers_home_shows_the_unsigned_in_one_row(users, pledges, login):
    now = timezone.now()
    [section] = home.sections(users["safety"], now)
    [row] = section.rows
    assert "3 not signed" in row.badges[0][0] and "state=unsigned" in row.url
    for who in ("principal", "head", "teacher"):
        assert home.sections(users[who], now) == []
    page = login(users["safety"]).get("/").content.decode()
    assert "Responsibility pledges" in page and "3 not signed" in page
    for pledge in pledges.values():
        sign(users, pledge)
    assert home.sections(users["safety"], now)[0].rows == []


def test_in_september_the_home_asks_for_the_years_list(users, school):
    september = timezone.make_aware(datetime.datetime(YEAR, 9, 10, 9))
    [section] = home.sections(users["safety"], september)
    [row] = section.rows
    assert row.url == reverse("safety:pledge_year_create") and row.badges[0][0] == "list not made yet"
    november = timezone.make_aware(datetime.datetime(YEAR, 11, 10, 9))
    assert home.sections(users["safety"], november)[0].rows == []


@pytest.mark.parametrize("n", [3, 60])
def test_the_list_reads_a_bounded_number_of_queries(users, school, login, django_assert_max_num_queries, n):
    services.pledge_year_create(by=users["safety"], year=YEAR,
                                classes="\n".join(f"{i}班 王丽" for i in range(n)))
    for pledge in Pledge.objects.all()[: n // 2]:
        sign(users, pledge)
    client = login(users["safety"])
    pledge = Pledge.objects.first()
    for url in (reverse("safety:pledge_list"), reverse("safety:pledge_list") + "?state=signed&party=class_teacher",
                pledge.get_absolute_url()):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url
