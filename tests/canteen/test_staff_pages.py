"""The staff pages and the morning check's pages: who may, taps that record, bad input kept and explained,
the month's grid, and query counts that do not grow with a week or five years of logs."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from canteen.models import CanteenStaff, MorningCheck
from canteen.services import staff as services

from ..conftest import image_bytes

pytestmark = pytest.mark.django_db

READERS = ["canteen", "head", "principal", "safety", "auditor"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def manager(login, users):
    return login(users["canteen"])


def html(response):
    return response.content.decode()


# --- who may -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_staff_and_the_checks(login, users, kitchen, today, role):
    client = login(users[role])
    for url in [reverse("canteen:staff_list"), reverse("canteen:staff_detail", args=[kitchen["li"].pk]),
                reverse("canteen:checks_today"), reverse("canteen:check_grid", args=[today.year, today.month])]:
        assert client.get(url).status_code == 200, url


def test_a_teacher_sees_none_of_it(login, users, kitchen, today):
    client = login(users["teacher"])
    for url in [reverse("canteen:staff_list"), reverse("canteen:staff_detail", args=[kitchen["li"].pk]),
                reverse("canteen:checks_today"), reverse("canteen:staff_add"),
                reverse("canteen:check_grid", args=[today.year, today.month])]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["head", "principal", "safety", "auditor"])
def test_readers_cannot_record(login, users, kitchen, today, role):
    client = login(users[role])
    response = client.post(reverse("canteen:check_record"), {"staff": kitchen["li"].pk, "date": today, "fit": "fit"})
    assert response.status_code == 403
    response = client.post(reverse("canteen:checks_all_normal"), {"staff": [kitchen["li"].pk], "date": today})
    assert response.status_code == 403
    assert client.get(reverse("canteen:staff_add")).status_code == 403
    assert not MorningCheck.objects.exists()
    assert "All normal" not in html(client.get(reverse("canteen:checks_today")))


# --- staff ----------------------------------------------------------------------------------------------

def test_the_list_shows_certificate_badges(manager, kitchen):
    page = html(manager.get(reverse("canteen:staff_list")))
    assert 'data-state="valid"' in page and 'data-state="expiring"' in page and 'data-state="expired"' in page
    assert "(20 days left)" in page


def test_adding_someone_with_a_photo(manager, canteen_settings, today):
    photo = SimpleUploadedFile("c.png", image_bytes(), content_type="image/png")
    response = manager.post(reverse("canteen:staff_add"), {
        "name": "刘建军", "post": "cook", "certificate_number": "JK-9",
        "certificate_expires": today + datetime.timedelta(days=90), "certificate_photo": photo})
    staff = CanteenStaff.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("canteen:staff_detail", args=[staff.pk])
    photo_url = reverse("canteen:staff_photo", args=[staff.pk])
    assert photo_url in html(manager.get(response["Location"]))
    assert manager.get(photo_url)["Cache-Control"] == "private, max-age=86400"


def test_the_photo_is_served_to_readers_only(login, users, canteen_settings):
    staff = services.staff_add(by=users["canteen"], name="刘建军", post="cook", certificate_photo=SimpleUploadedFile(
        "c.png", image_bytes(), content_type="image/png"))
    url = reverse("canteen:staff_photo", args=[staff.pk])
    assert login(users["safety"]).get(url).status_code == 200
    assert login(users["teacher"]).get(url).status_code == 403


def test_bad_input_keeps_what_was_typed(manager, canteen_settings, today):
    response = manager.post(reverse("canteen:staff_add"), {
        "name": "刘建军", "post": "cook", "phone": "13900001111", "certificate_number": "JK-9",
        "last_checkup": today + datetime.timedelta(days=3),
        "certificate_photo": SimpleUploadedFile("c.jpg", b"nope", content_type="image/jpeg")})
    page = html(response)
    assert response.status_code == 200 and not CanteenStaff.objects.exists()
    assert "is not a JPEG, PNG or WebP photo" in page and "13900001111" in page and "JK-9" in page


def test_edit_from_a_stale_page_says_so(manager, users, kitchen):
    li = kitchen["li"]
    services.staff_edit(staff_id=li.pk, by=users["canteen"], name=li.name, post=li.post, phone="1",
                        certificate_number=li.certificate_number, certificate_expires=li.certificate_expires)
    response = manager.post(reverse("canteen:staff_edit", args=[li.pk]), {
        "name": "李大厨", "post": "cook", "version": 0, "certificate_expires": li.certificate_expires})
    assert response.status_code == 200 and "changed" in html(response) and "李大厨" in html(response)
    assert CanteenStaff.objects.get(pk=li.pk).name == "李师傅"


def test_leaving_the_kitchen_from_the_page(manager, kitchen):
    li = kitchen["li"]
    response = manager.post(reverse("canteen:staff_leave", args=[li.pk]), {"version": 0, "reason": "退休"}, follow=True)
    assert "has left the kitchen" in html(response)
    li.refresh_from_db()
    assert not li.active
    assert "left the kitchen: 退休" in html(response)  # the history


# --- the day's checks -----------------------------------------------------------------------------------

def test_tapping_normal_records_a_fit_check(manager, kitchen, today):
    response = manager.post(reverse("canteen:check_record"), {"staff": kitchen["li"].pk, "date": today, "fit": "fit"})
    assert response.status_code == 302 and response["Location"].endswith(f"#staff-{kitchen['li'].pk}")
    check = MorningCheck.objects.get()
    assert check.fit and check.codes == "0"


def test_normal_is_refused_for_an_expired_certificate_and_said_why(manager, kitchen, today):
    zhao = kitchen["zhao"]
    page = html(manager.get(reverse("canteen:checks_today")))
    assert "Checked — off duty (certificate)" in page
    response = manager.post(reverse("canteen:check_record"), {"staff": zhao.pk, "date": today, "fit": "fit"})
    assert response.status_code == 400
    assert f"health certificate expired on {zhao.certificate_expires.isoformat()}" in html(response)
    assert not MorningCheck.objects.exists()


def test_symptom_chips_send_off_duty(manager, kitchen, today):
    response = manager.post(reverse("canteen:check_record"), {
        "staff": kitchen["li"].pk, "date": today, "fit": "rules", "symptoms": ["4", "5"], "temperature_c": "36.8"},
        follow=True)
    check = MorningCheck.objects.get()
    assert not check.fit and check.codes == "4,5"
    page = html(response)
    assert "off kitchen duty today (diarrhoea (4), abdominal pain (5))" in page
    assert "Not in the kitchen today: diarrhoea (4), abdominal pain (5)" in page


def test_a_bad_temperature_keeps_the_chips_ticked(manager, kitchen, today):
    response = manager.post(reverse("canteen:check_record"), {
        "staff": kitchen["li"].pk, "date": today, "fit": "rules", "symptoms": ["10"], "temperature_c": "3.7"})
    page = html(response)
    assert response.status_code == 400 and not MorningCheck.objects.exists()
    assert "cannot be a person&#x27;s temperature" in page
    assert f'name="symptoms" value="10" id="s{kitchen["li"].pk}_symptoms_10" checked' in page


def test_correcting_a_check_needs_a_reason_and_shows_in_the_history(manager, users, kitchen, today):
    li = kitchen["li"]
    services.record_check(staff=li, date=today, by=users["canteen"])
    response = manager.post(reverse("canteen:check_record"), {
        "staff": li.pk, "date": today, "fit": "rules", "symptoms": ["1"], "version": 1})
    assert response.status_code == 400 and "correct it and say why" in html(response)
    manager.post(reverse("canteen:check_record"), {
        "staff": li.pk, "date": today, "fit": "rules", "symptoms": ["1"], "version": 1,
        "correction_reason": "复测发热"})
    assert not MorningCheck.objects.get().fit
    page = html(manager.get(reverse("canteen:staff_detail", args=[li.pk])))
    assert f"{today:%Y-%m-%d} · corrected (1): 复测发热" in page


def test_all_normal_records_the_listed_and_names_the_refused(manager, kitchen, today):
    pks = [s.pk for s in kitchen.values()]
    response = manager.post(reverse("canteen:checks_all_normal"), {"staff": pks, "date": today}, follow=True)
    page = html(response)
    assert "2 people recorded 0 (normal), fit for kitchen duty." in page
    assert "赵师傅 was not recorded as fit: health certificate expired on" in page
    assert set(MorningCheck.objects.values_list("staff__name", flat=True)) == {"李师傅", "王阿姨"}


def test_another_day_and_a_day_to_come(manager, kitchen, today):
    yesterday = today - datetime.timedelta(days=1)
    page = html(manager.get(reverse("canteen:checks_today") + f"?date={yesterday:%Y-%m-%d}"))
    assert "not today" in page and f'value="{yesterday:%Y-%m-%d}"' in page
    page = html(manager.get(reverse("canteen:checks_today") + f"?date={today + datetime.timedelta(days=2):%Y-%m-%d}",
                            follow=True))
    assert "recorded on the day" in page and "not today" not in page
    manager.post(reverse("canteen:check_record"), {"staff": kitchen["li"].pk, "date": yesterday, "fit": "fit"})
    assert MorningCheck.objects.get().date == yesterday


# --- the grid ---------------------------------------------------------------------------------------------

def test_the_grid_page_shows_codes_and_off_duty(manager, users, kitchen, today):
    services.record_check(staff=kitchen["wang"], date=today, by=users["canteen"], symptoms=[1, 10],
                          fit_requested=None)
    page = html(manager.get(reverse("canteen:check_grid", args=[today.year, today.month])))
    assert "1,10<sup>*</sup>" in page and "12 other" in page
    assert manager.get(reverse("canteen:check_grid", args=[today.year, 13])).status_code == 404


# --- queries ----------------------------------------------------------------------------------------------

def _logs(kitchen, canteen, days):
    """Checks of every staff member on each of the last `days` days (bulk: the services are tested above)."""
    today = timezone.localdate()
    MorningCheck.objects.bulk_create([
        MorningCheck(staff=s, date=today - datetime.timedelta(days=n), symptoms=[0 if n % 9 else 1], fit=bool(n % 9),
                     checked_by=canteen, checked_at=timezone.now())
        for n in range(1, days + 1) for s in kitchen.values()])


def _more_staff(count, today):
    CanteenStaff.objects.bulk_create([CanteenStaff(name=f"帮厨{i:02d}", post="helper", certificate_expires=today
                                                   + datetime.timedelta(days=i)) for i in range(count)])


@pytest.mark.parametrize("days, extra_staff", [(7, 0), (5 * 365, 30)])
def test_pages_query_counts_do_not_grow_with_logs(manager, users, kitchen, today, days, extra_staff,
                                                  django_assert_max_num_queries):
    """One week and five years of logs (and three or thirty-three people) under the same bound."""
    _logs(kitchen, users["canteen"], days)
    _more_staff(extra_staff, today)
    for url in [reverse("canteen:staff_list"), reverse("canteen:checks_today"),
                reverse("canteen:check_grid", args=[today.year, today.month]),
                reverse("canteen:staff_detail", args=[kitchen["li"].pk])]:
        with django_assert_max_num_queries(12):
            assert manager.get(url).status_code == 200


# --- the print ---------------------------------------------------------------------------------------------

def canteen_check_grid(users, school):
    """The month's grid on A4 landscape: tests/test_print_documents.py prints it."""
    today = timezone.localdate()
    canteen = users["canteen"]
    li = CanteenStaff.objects.create(name="李师傅", post="cook",
                                     certificate_expires=today + datetime.timedelta(days=99))
    wang = CanteenStaff.objects.create(name="王阿姨", post="helper", certificate_expires=today)
    services.record_check(staff=li, date=today, by=canteen)
    services.record_check(staff=wang, date=today, by=canteen, symptoms=[1, 10], fit_requested=None)
    return canteen, reverse("canteen:check_grid_print", args=[today.year, today.month]), [
        "李师傅", "王阿姨", "1,10", f"{today:%Y-%m}"]


def test_the_grid_prints_for_readers_only(login, users, canteen_settings, today):
    url = reverse("canteen:check_grid_print", args=[today.year, today.month])
    response = login(users["safety"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(users["teacher"]).get(url).status_code == 403
