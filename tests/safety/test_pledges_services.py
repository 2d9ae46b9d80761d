"""Responsibility pledges: the year's list put together in one go (departments and typed class lines, run again
without doubles), a pledge marked signed with a checked scan (never in the future, never twice, never from a
stale page), taken off the list only while unsigned, the year's counts, and what the history says."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from logistics.history import history_timeline
from logistics.models import Department
from safety.models import Pledge
from safety.selectors import pledges as selectors
from safety.services import pledges as services

from ..conftest import image_bytes

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
YEAR = services.school_year(TODAY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def scan(kind="png", size=None):
    if kind == "png":
        return SimpleUploadedFile("scan.png", image_bytes(), content_type="image/png")
    if kind == "jpeg":
        return SimpleUploadedFile("scan.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    content = b"%PDF-1.4\n%%EOF\n" + (b"0" * size if size else b"")
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


@pytest.fixture
def departments(users):
    return [Department.objects.create(name="总务处", head=users["head"]),
            Department.objects.create(name="教导处")]


@pytest.fixture
def pledges(users, school, departments):
    created, _kept = services.pledge_year_create(by=users["safety"], year=YEAR, departments=departments,
                                                 classes="一(1)班 王丽\n一(2)班 陈静老师\n\n二(1)班")
    return {p.name: p for p in created}


def test_school_year_starts_in_september():
    assert services.school_year(datetime.date(2026, 9, 1)) == 2026
    assert services.school_year(datetime.date(2027, 8, 31)) == 2026
    assert services.school_year(datetime.date(2026, 8, 31)) == 2025


def test_the_year_list_is_put_together_in_one_go(users, pledges):
    assert set(pledges) == {"总务处", "教导处", "一(1)班", "一(2)班", "二(1)班"}
    assert pledges["总务处"].party == Pledge.Party.DEPARTMENT and pledges["总务处"].signer == users["head"]
    # A typed teacher who is a user here signs; one who is not is kept in the note.
    assert pledges["一(1)班"].signer == users["teacher"] and pledges["一(1)班"].note == ""
    assert pledges["一(2)班"].signer is None and pledges["一(2)班"].note == "class teacher: 陈静老师"
    assert pledges["二(1)班"].party == Pledge.Party.CLASS_TEACHER and pledges["二(1)班"].signer is None
    assert history_timeline(pledges["总务处"])[0]["reason"] == f"put on the list of {YEAR}–{YEAR + 1}"
    assert selectors.pledge_counts(YEAR) == {"total": 5, "signed": 0, "unsigned": 5}


def test_running_it_again_adds_only_the_new_ones(users, pledges, departments):
    created, kept = services.pledge_year_create(by=users["safety"], year=YEAR, departments=departments,
                                                classes="一(1)班 王丽\n三(1)班 刘芳")
    assert [p.name for p in created] == ["三(1)班"]
    assert kept == ["总务处", "教导处", "一(1)班"]
    assert Pledge.objects.filter(year=YEAR).count() == 6


@pytest.mark.parametrize("classes, message", [
    ("一(1)班 王丽\n一(1)班 李娜", "Line 2: 一(1)班 is there twice."),
    ("x" * 90 + " 王丽", "Line 1 is too long"),
])
def test_bad_class_lines_are_refused_with_their_line(users, school, classes, message):
    with pytest.raises(ValidationError) as e:
        services.pledge_year_create(by=users["safety"], year=YEAR, classes=classes)
    assert message in e.value.message_dict["classes"][0]
    assert not Pledge.objects.exists()


def test_too_many_lines_are_refused(users, school):
    with pytest.raises(ValidationError):
        services.pledge_year_create(by=users["safety"], year=YEAR,
                                    classes="\n".join(f"{n}班" for n in range(services.MAX_LINES + 1)))


@pytest.mark.parametrize("year", [YEAR - 2, YEAR + 2, "2026"])
def test_a_year_far_away_is_refused(users, school, year):
    with pytest.raises(ValidationError) as e:
        services.pledge_year_create(by=users["safety"], year=year, classes="一(1)班")
    assert "year" in e.value.message_dict


def test_an_empty_list_is_refused(users, school):
    with pytest.raises(ValidationError):
        services.pledge_year_create(by=users["safety"], year=YEAR, classes="\n  \n")


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_puts_the_list_together(users, school, who):
    with pytest.raises(PermissionDenied):
        services.pledge_year_create(by=users[who], year=YEAR, classes="一(1)班")


@pytest.mark.parametrize("kind", ["png", "jpeg", "pdf"])
def test_a_pledge_is_signed_with_its_scan(users, pledges, kind):
    pledge = pledges["一(1)班"]
    services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(kind),
                         expected_version=0)
    pledge.refresh_from_db()
    assert pledge.is_signed and pledge.scan and pledge.version == 1
    assert history_timeline(pledge)[-1]["reason"] == f"signed on {TODAY:%Y-%m-%d}; the scan is kept"
    assert selectors.pledge_counts(YEAR) == {"total": 5, "signed": 1, "unsigned": 4}


@pytest.mark.parametrize("changes, field", [
    ({"signed_on": TODAY + DAY}, "signed_on"),
    ({"signed_on": None}, "signed_on"),
    ({"signed_on": datetime.date(YEAR - 1, 12, 31)}, "signed_on"),
    ({"scan": None}, "scan"),
    ({"scan": SimpleUploadedFile("scan.docx", b"PK\x03\x04 word")}, "scan"),
])
def test_a_signature_with_bad_input_is_refused(users, pledges, changes, field):
    data = {"signed_on": TODAY, "scan": scan()}
    data.update(changes)
    pledge = pledges["一(1)班"]
    with pytest.raises(ValidationError) as e:
        services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], expected_version=0, **data)
    assert field in e.value.message_dict
    pledge.refresh_from_db()
    assert not pledge.is_signed and not pledge.scan


def test_a_scan_too_large_is_refused(users, pledges, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as e:
        services.pledge_sign(pledge_id=pledges["一(1)班"].pk, by=users["safety"], signed_on=TODAY,
                             scan=scan("pdf", size=2000), expected_version=0)
    assert "at most" in e.value.message_dict["scan"][0]


def test_a_signed_pledge_is_not_signed_twice_and_a_stale_page_is_refused(users, pledges):
    pledge = pledges["一(1)班"]
    services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(), expected_version=0)
    with pytest.raises(ValidationError) as e:
        services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(),
                             expected_version=1)
    assert e.value.code == "not_allowed"
    with pytest.raises(ValidationError) as e:  # the second click, from the page that showed version 0
        services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(),
                             expected_version=0)
    assert e.value.code == "stale"


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_marks_pledges_signed(users, pledges, who):
    with pytest.raises(PermissionDenied):
        services.pledge_sign(pledge_id=pledges["一(1)班"].pk, by=users[who], signed_on=TODAY, scan=scan(),
                             expected_version=0)


def test_an_unsigned_pledge_is_taken_off_the_list_a_signed_one_stays(users, pledges):
    services.pledge_remove(pledge_id=pledges["二(1)班"].pk, by=users["safety"], expected_version=0)
    assert not Pledge.objects.filter(name="二(1)班").exists()
    assert Pledge.history.filter(name="二(1)班", history_type="-").get().history_user == users["safety"]
    pledge = pledges["一(1)班"]
    services.pledge_sign(pledge_id=pledge.pk, by=users["safety"], signed_on=TODAY, scan=scan(), expected_version=0)
    with pytest.raises(ValidationError):
        services.pledge_remove(pledge_id=pledge.pk, by=users["safety"], expected_version=1)
    with pytest.raises(PermissionDenied):
        services.pledge_remove(pledge_id=pledges["总务处"].pk, by=users["principal"], expected_version=0)


def test_the_list_filters_by_party_and_state_departments_first(users, pledges):
    services.pledge_sign(pledge_id=pledges["一(2)班"].pk, by=users["safety"], signed_on=TODAY, scan=scan(),
                         expected_version=0)
    assert [p.name for p in selectors.pledge_list(YEAR)] == ["总务处", "教导处", "一(1)班", "一(2)班", "二(1)班"]
    assert [p.name for p in selectors.pledge_list(YEAR, {"state": "signed"})] == ["一(2)班"]
    assert [p.name for p in selectors.pledge_list(YEAR, {"party": "department", "state": "unsigned"})] == [
        "总务处", "教导处"]
    assert selectors.pledge_years() == [YEAR]
