"""The kitchen's staff and the morning check: every rule and refusal of canteen.services.staff, who may, and
what the history says."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from canteen.models import CanteenStaff, MorningCheck
from canteen.services import staff as services
from logistics.history import history_timeline

from ..conftest import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def canteen(users):
    return users["canteen"]


def reasons(obj):
    with translation.override("en"):
        return [e["reason"] for e in history_timeline(obj)]


# --- staff ----------------------------------------------------------------------------------------

def test_canteen_manager_adds_staff_with_a_certificate_photo(canteen, canteen_settings, today):
    photo = SimpleUploadedFile("cert.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    staff = services.staff_add(by=canteen, name=" 刘建军 ", post=CanteenStaff.Post.COOK, phone="13900000000",
                               certificate_number="JK-9", certificate_issuer="区疾控中心",
                               certificate_expires=today + datetime.timedelta(days=300), certificate_photo=photo,
                               last_checkup=today - datetime.timedelta(days=10))
    staff.refresh_from_db()
    assert staff.name == "刘建军" and staff.active and staff.certificate_photo.name.endswith(".jpg")
    assert reasons(staff) == ["added to the kitchen staff"]


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(canteen, canteen_settings, today):
    fake = SimpleUploadedFile("cert.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a JPEG"):
        services.staff_add(by=canteen, name="刘建军", post=CanteenStaff.Post.COOK, certificate_photo=fake)
    assert not CanteenStaff.objects.exists()


@pytest.mark.parametrize("role", ["head", "principal", "safety", "auditor", "teacher"])
def test_only_the_canteen_keeps_the_staff_list(users, canteen_settings, role):
    with pytest.raises(PermissionDenied):
        services.staff_add(by=users[role], name="刘建军", post=CanteenStaff.Post.COOK)


def test_the_same_person_sent_twice_is_saved_once(canteen, canteen_settings):
    first = services.staff_add(by=canteen, name="刘建军", post="cook", certificate_number="JK-9")
    again = services.staff_add(by=canteen, name="刘建军", post="cook", certificate_number="JK-9")
    assert again.pk == first.pk and again.was_duplicate
    with pytest.raises(ValidationError, match="already works in the kitchen"):
        services.staff_add(by=canteen, name="刘建军", post="cook", certificate_number="JK-10")
    assert CanteenStaff.objects.count() == 1


def test_bad_details_are_named(canteen, canteen_settings, today, users):
    with pytest.raises(ValidationError) as e:
        services.staff_add(by=canteen, name=" ", post="chef", last_checkup=today + datetime.timedelta(days=1))
    assert set(e.value.message_dict) == {"name", "post", "last_checkup"}
    services.staff_add(by=canteen, name="周红", post="manager", user=canteen)
    with pytest.raises(ValidationError, match="already belongs to 周红"):
        services.staff_add(by=canteen, name="周红二", post="manager", user=canteen)


def test_a_renewed_certificate_reads_in_the_history(canteen, kitchen, today):
    zhao = kitchen["zhao"]
    new_date = today + datetime.timedelta(days=365)
    services.staff_edit(staff_id=zhao.pk, by=canteen, name=zhao.name, post=zhao.post, certificate_number="JK-103",
                        certificate_expires=new_date, expected_version=zhao.version)
    zhao.refresh_from_db()
    assert zhao.certificate_expires == new_date and zhao.version == 1
    assert reasons(zhao)[-1] == f"health certificate recorded, valid until {new_date.isoformat()}"


def test_editing_from_a_stale_page_is_refused(canteen, kitchen):
    li = kitchen["li"]
    services.staff_edit(staff_id=li.pk, by=canteen, name=li.name, post=li.post, phone="1",
                        certificate_expires=li.certificate_expires, certificate_number=li.certificate_number,
                        expected_version=0)
    with pytest.raises(ValidationError) as e:
        services.staff_edit(staff_id=li.pk, by=canteen, name="李大厨", post=li.post, expected_version=0)
    assert e.value.code == "stale"
    assert CanteenStaff.objects.get(pk=li.pk).name == "李师傅"


def test_someone_who_left_is_not_checked_and_can_come_back(canteen, kitchen, today):
    li = kitchen["li"]
    services.staff_deactivate(staff_id=li.pk, by=canteen, reason="合同到期", expected_version=0)
    with pytest.raises(ValidationError, match="already left"):
        services.staff_deactivate(staff_id=li.pk, by=canteen)
    with pytest.raises(ValidationError, match="has left the kitchen"):
        services.record_check(staff=li, date=today, by=canteen)
    services.staff_reactivate(staff_id=li.pk, by=canteen)
    li.refresh_from_db()
    assert li.active
    assert reasons(li)[-2:] == ["left the kitchen: 合同到期", "back in the kitchen"]


# --- the morning check ------------------------------------------------------------------------------

def test_a_normal_check_is_fit(canteen, kitchen, today):
    check = services.record_check(staff=kitchen["li"], date=today, by=canteen, temperature_c="36.5")
    assert check.fit and check.symptoms == [0] and check.codes == "0" and check.temperature_c == Decimal("36.5")
    assert reasons(check) == ["checked: fit for kitchen duty"]


def test_a_symptom_refuses_fit_and_names_it(canteen, kitchen, today):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.record_check(staff=kitchen["li"], date=today, by=canteen, symptoms=[4, 10])
    assert e.value.code == "not_fit"
    assert "李师傅 cannot be recorded as fit for kitchen duty: diarrhoea (4), sore throat (10)." in e.value.messages
    assert not MorningCheck.objects.exists()


def test_a_symptom_recorded_as_the_rules_decide_sends_off_duty(canteen, kitchen, today):
    check = services.record_check(staff=kitchen["li"], date=today, by=canteen, symptoms=[0, 10],
                                  fit_requested=None)
    assert not check.fit and check.codes == "10"
    with translation.override("en"):
        assert check.off_duty_text == "sore throat (10)"
        assert reasons(check) == ["checked: sent off kitchen duty (10)"]
    with translation.override("zh-hans"):
        assert "10" in check.off_duty_text


@pytest.mark.parametrize("temperature, fit", [("37.2", True), ("37.3", False), ("38.5", False)])
def test_a_temperature_of_37_3_or_more_is_a_fever(canteen, kitchen, today, temperature, fit):
    check = services.record_check(staff=kitchen["li"], date=today, by=canteen, temperature_c=temperature,
                                  fit_requested=None)
    assert check.fit is fit
    if not fit:
        assert check.symptoms == [1]
        with translation.override("en"):
            assert check.off_duty_text == f"fever (1), {temperature} °C"


def test_a_fever_cannot_be_recorded_as_fit(canteen, kitchen, today):
    with translation.override("en"), pytest.raises(ValidationError, match=r"fever \(1\), 37.8 °C"):
        services.record_check(staff=kitchen["li"], date=today, by=canteen, temperature_c=Decimal("37.8"))


@pytest.mark.parametrize("value", ["abc", "3.65", "45", "-1"])
def test_a_temperature_no_person_has_is_refused(canteen, kitchen, today, value):
    with pytest.raises(ValidationError) as e:
        services.record_check(staff=kitchen["li"], date=today, by=canteen, temperature_c=value)
    assert "temperature_c" in e.value.message_dict


def test_an_unknown_code_is_refused(canteen, kitchen, today):
    with pytest.raises(ValidationError, match="Unknown symptom code: 13"):
        services.record_check(staff=kitchen["li"], date=today, by=canteen, symptoms=[13])


def test_an_expired_certificate_refuses_fit_with_its_date(canteen, kitchen, today):
    zhao = kitchen["zhao"]
    expired = zhao.certificate_expires.isoformat()
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.record_check(staff=zhao, date=today, by=canteen)
    assert e.value.messages == [f"赵师傅 cannot be recorded as fit for kitchen duty: health certificate expired on "
                                f"{expired}."]
    check = services.record_check(staff=zhao, date=today, by=canteen, fit_requested=False)
    assert not check.fit and check.codes == "0"
    with translation.override("en"):
        assert check.off_duty_text == f"health certificate expired on {expired}"
    with translation.override("zh-hans"):
        assert expired in check.off_duty_text


def test_the_certificate_is_judged_on_the_day_of_the_check(canteen, kitchen, today):
    zhao = kitchen["zhao"]
    before = zhao.certificate_expires - datetime.timedelta(days=1)
    assert services.record_check(staff=zhao, date=before, by=canteen).fit


def test_no_certificate_on_record_is_not_fit(canteen, canteen_settings, today):
    new = CanteenStaff.objects.create(name="新人", post="helper")
    with translation.override("en"), pytest.raises(ValidationError, match="no health certificate on record"):
        services.record_check(staff=new, date=today, by=canteen)


def test_off_duty_without_a_reason_needs_words(canteen, kitchen, today):
    with pytest.raises(ValidationError) as e:
        services.record_check(staff=kitchen["li"], date=today, by=canteen, fit_requested=False)
    assert "note" in e.value.message_dict
    check = services.record_check(staff=kitchen["li"], date=today, by=canteen, fit_requested=False,
                                  note="手部划伤已包扎")
    assert not check.fit and check.off_duty_text == "手部划伤已包扎"


def test_a_day_to_come_is_refused(canteen, kitchen, today):
    with pytest.raises(ValidationError, match="day still to come"):
        services.record_check(staff=kitchen["li"], date=today + datetime.timedelta(days=1), by=canteen)


@pytest.mark.parametrize("role", ["head", "principal", "safety", "auditor", "teacher"])
def test_only_the_canteen_records_checks(users, kitchen, today, role):
    with pytest.raises(PermissionDenied):
        services.record_check(staff=kitchen["li"], date=today, by=users[role])
    with pytest.raises(PermissionDenied):
        services.record_all_normal(date=today, by=users[role], staff_pks=[kitchen["li"].pk])


def test_one_check_a_day_a_double_tap_is_the_same_check(canteen, kitchen, today):
    first = services.record_check(staff=kitchen["li"], date=today, by=canteen)
    again = services.record_check(staff=kitchen["li"], date=today, by=canteen)
    assert again.pk == first.pk and again.was_duplicate and MorningCheck.objects.count() == 1


def test_a_second_different_check_needs_a_correction(canteen, kitchen, today):
    services.record_check(staff=kitchen["li"], date=today, by=canteen)
    with pytest.raises(ValidationError) as e:
        services.record_check(staff=kitchen["li"], date=today, by=canteen, symptoms=[1], fit_requested=None)
    assert e.value.code == "already_checked" and "correct it" in e.value.messages[0]
    assert MorningCheck.objects.get().fit


def test_a_correction_keeps_the_history_and_sends_off_duty(canteen, kitchen, today):
    check = services.record_check(staff=kitchen["li"], date=today, by=canteen)
    corrected = services.record_check(staff=kitchen["li"], date=today, by=canteen, temperature_c="37.9",
                                      fit_requested=None, correction_reason="复测体温37.9", expected_version=1)
    assert corrected.pk == check.pk and not corrected.fit and corrected.version == 2
    assert reasons(corrected) == ["checked: fit for kitchen duty", "corrected (1): 复测体温37.9"]
    with translation.override("en"):
        changes = dict((label, (old, new)) for label, old, new in history_timeline(corrected)[-1]["changes"])
    assert changes["fit for kitchen duty"] == ("yes", "no")
    assert changes["symptom codes"] == ("0 normal", "1 fever")


def test_a_correction_from_a_stale_page_is_refused(canteen, kitchen, today):
    services.record_check(staff=kitchen["li"], date=today, by=canteen)
    services.record_check(staff=kitchen["li"], date=today, by=canteen, symptoms=[11], fit_requested=None,
                          correction_reason="咳嗽", expected_version=1)
    with pytest.raises(ValidationError) as e:
        services.record_check(staff=kitchen["li"], date=today, by=canteen, correction_reason="复查正常",
                              expected_version=1)
    assert e.value.code == "stale"
    assert MorningCheck.objects.get().codes == "11"


def test_a_correction_to_fit_is_still_refused_for_an_expired_certificate(canteen, kitchen, today):
    services.record_check(staff=kitchen["zhao"], date=today, by=canteen, fit_requested=False)
    with pytest.raises(ValidationError, match="health certificate expired"):
        services.record_check(staff=kitchen["zhao"], date=today, by=canteen, correction_reason="误录",
                              expected_version=1)


def test_a_correction_that_changes_nothing_is_refused(canteen, kitchen, today):
    services.record_check(staff=kitchen["li"], date=today, by=canteen)
    with pytest.raises(ValidationError, match="changes nothing"):
        services.record_check(staff=kitchen["li"], date=today, by=canteen, correction_reason="再看看",
                              expected_version=1)


def test_all_normal_records_everyone_except_an_expired_certificate(canteen, kitchen, today):
    li, wang, zhao = kitchen["li"], kitchen["wang"], kitchen["zhao"]
    services.record_check(staff=wang, date=today, by=canteen, symptoms=[6], fit_requested=None)
    with translation.override("en"):
        result = services.record_all_normal(date=today, by=canteen, staff_pks=[li.pk, wang.pk, zhao.pk])
    assert [c.staff for c in result.recorded] == [li]
    assert result.already == [wang]
    assert result.refused == [(zhao, f"health certificate expired on {zhao.certificate_expires.isoformat()}")]
    assert not MorningCheck.objects.filter(staff=zhao).exists()
    assert MorningCheck.objects.get(staff=wang).codes == "6"
    again = services.record_all_normal(date=today, by=canteen, staff_pks=[li.pk, wang.pk])
    assert not again.recorded and len(again.already) == 2
    assert reasons(result.recorded[0]) == ["checked: fit for kitchen duty (all normal)"]


def test_all_normal_records_only_those_the_page_listed(canteen, kitchen, today):
    result = services.record_all_normal(date=today, by=canteen, staff_pks=[kitchen["li"].pk])
    assert len(result.recorded) == 1 and MorningCheck.objects.count() == 1


def test_a_weekend_check_is_allowed(canteen, kitchen, today):
    saturday = today - datetime.timedelta(days=(today.weekday() - 5) % 7)
    assert services.record_check(staff=kitchen["li"], date=saturday, by=canteen).fit
