"""Suppliers and deliveries (索证索票, 进货查验): every rule and refusal of the services, who may, and what the history
says; the selectors the today page, the home sections and the term summary read."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from canteen.models import Delivery, DeliveryItem, Supplier, SupplierDocument
from canteen.selectors import suppliers as selectors
from canteen.services import suppliers as services
from logistics.history import history_timeline

from ..conftest import image_bytes

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def item(name="青菜", **extra):
    return {"name": name, "spec": "散装", "quantity": Decimal("12.5"), "unit": "kg", "production_date": TODAY - DAY,
            "batch": "", "shelf_life": "2天", "is_meat": False, "quarantine_cert": "", **extra}


def meat(**extra):
    return item("猪肉", production_date=TODAY - DAY, is_meat=True, quarantine_cert="3401234567", **extra)


def record(user, supplier, items=None, **extra):
    return services.delivery_record(by=user, supplier=supplier, date=extra.pop("date", TODAY),
                                    items=items or [item()], **extra)


def messages(error):
    return " ".join(error.value.messages)


def reasons(obj):
    with translation.override("en"):
        return [entry["reason"] for entry in history_timeline(obj)]


def pdf():
    return SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


# --- suppliers -------------------------------------------------------------------------------------

def test_the_canteen_adds_a_supplier_with_its_licence(users, canteen_settings):
    supplier = services.supplier_add(by=users["canteen"], name=" 豆香坊 ", licence_number="SC123",
                                     licence_expires=TODAY + 200 * DAY, goods="豆制品")
    assert supplier.name == "豆香坊" and supplier.active
    assert reasons(supplier) == [f"added as a supplier, licence valid until {(TODAY + 200 * DAY).isoformat()}"]


@pytest.mark.parametrize("field", ["name", "licence_number", "licence_expires"])
def test_a_supplier_needs_its_name_and_licence(users, canteen_settings, field):
    data = {"name": "豆香坊", "licence_number": "SC123", "licence_expires": TODAY + DAY, field: None}
    with pytest.raises(ValidationError) as e:
        services.supplier_add(by=users["canteen"], **data)
    assert field in e.value.error_dict
    assert not Supplier.objects.exists()


def test_a_supplier_with_an_expired_licence_is_not_added(users, canteen_settings):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.supplier_add(by=users["canteen"], name="旧供应商", licence_number="X",
                              licence_expires=TODAY - 2 * DAY)
    assert (TODAY - 2 * DAY).isoformat() in messages(e)


def test_a_supplier_name_is_taken_once(users, supplier):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.supplier_add(by=users["canteen"], name=supplier.name, licence_number="X",
                              licence_expires=TODAY + DAY)
    assert "already on the list" in messages(e)


@pytest.mark.parametrize("who", ["head", "principal", "safety", "auditor", "teacher"])
def test_only_the_canteen_keeps_the_suppliers(users, canteen_settings, who):
    with pytest.raises(PermissionDenied):
        services.supplier_add(by=users[who], name="X", licence_number="X", licence_expires=TODAY + DAY)


def test_renewing_the_licence_says_so_in_the_history(users, supplier):
    new = TODAY + 700 * DAY
    services.supplier_edit(supplier_id=supplier.pk, by=users["canteen"], expected_version=0, licence_expires=new,
                           licence_number="JY-NEW")
    supplier.refresh_from_db()
    assert supplier.licence_expires == new and supplier.version == 1
    assert reasons(supplier)[-1] == f"licence renewed: valid until {new.isoformat()}"
    services.supplier_edit(supplier_id=supplier.pk, by=users["canteen"], expected_version=1, phone="123")
    assert reasons(supplier)[-1] == "details changed"


def test_a_change_from_a_stale_page_is_refused(users, supplier):
    services.supplier_edit(supplier_id=supplier.pk, by=users["canteen"], expected_version=0, phone="1")
    with pytest.raises(ValidationError) as e:
        services.supplier_edit(supplier_id=supplier.pk, by=users["canteen"], expected_version=0, phone="2")
    assert e.value.code == "stale"
    supplier.refresh_from_db()
    assert supplier.phone == "1"


def test_deactivate_and_take_back_on(users, supplier):
    services.supplier_deactivate(supplier_id=supplier.pk, by=users["canteen"], reason="价格太高")
    with pytest.raises(ValidationError):
        services.supplier_deactivate(supplier_id=supplier.pk, by=users["canteen"])
    services.supplier_reactivate(supplier_id=supplier.pk, by=users["canteen"])
    assert reasons(supplier)[-2:] == ["no longer supplies the canteen: 价格太高", "supplies the canteen again"]


def test_a_former_supplier_with_an_expired_licence_is_not_taken_back(users, supplier):
    services.supplier_deactivate(supplier_id=supplier.pk, by=users["canteen"])
    Supplier.objects.filter(pk=supplier.pk).update(licence_expires=TODAY - DAY)
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.supplier_reactivate(supplier_id=supplier.pk, by=users["canteen"])
    assert (TODAY - DAY).isoformat() in messages(e)


def test_a_certificate_is_kept_on_file(users, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.supplier_document_add(supplier_id=supplier.pk, by=users["canteen"], title="营业执照",
                                              file=pdf(), expires=TODAY + 30 * DAY)
    assert document.file.name.endswith(".pdf") and document.uploaded_by == users["canteen"]
    assert reasons(supplier)[-1] == f"document added: 营业执照, valid until {(TODAY + 30 * DAY).isoformat()}"
    supplier.refresh_from_db()
    assert supplier.version == 0  # an open edit page of the supplier is not made stale by it


def test_a_certificate_must_be_a_pdf_or_an_image(users, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        services.supplier_document_add(supplier_id=supplier.pk, by=users["canteen"], title="许可证",
                                       file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(ValidationError) as e:
        services.supplier_document_add(supplier_id=supplier.pk, by=users["canteen"], title=" ", file=pdf())
    assert "title" in e.value.error_dict
    assert not SupplierDocument.objects.exists()


# --- deliveries ------------------------------------------------------------------------------------

def test_a_delivery_is_recorded_with_a_number_and_its_items(users, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("invoice.png", image_bytes())
    delivery = record(users["canteen"], supplier, [item(), meat()], invoice_ref=" NO.1 ", photos=[photo])
    assert delivery.number == f"JH-{TODAY.year}-00001"
    assert delivery.status == Delivery.Status.ACCEPTED and delivery.invoice_ref == "NO.1"
    assert delivery.checked_by == users["canteen"]
    assert [i.name for i in delivery.items.all()] == ["青菜", "猪肉"]
    assert delivery.photos.count() == 1
    assert reasons(delivery) == ["checked and accepted (2 items)"]
    assert record(users["canteen"], supplier).number == f"JH-{TODAY.year}-00002"


def test_a_delivery_from_a_supplier_whose_licence_has_expired_is_refused(users, supplier):
    Supplier.objects.filter(pk=supplier.pk).update(licence_expires=TODAY - DAY)
    supplier.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as e:
        record(users["canteen"], supplier)
    text = messages(e)
    assert (TODAY - DAY).isoformat() in text and "Renew the licence record first" in text
    assert e.value.error_dict["supplier"][0].code == "licence"
    assert not Delivery.objects.exists() and not DeliveryItem.objects.exists()
    # On the day before it expired, the delivery was fine.
    assert record(users["canteen"], supplier, date=TODAY - DAY)


def test_the_licence_is_valid_on_its_last_day(users, supplier):
    Supplier.objects.filter(pk=supplier.pk).update(licence_expires=TODAY)
    supplier.refresh_from_db()
    assert record(users["canteen"], supplier).status == Delivery.Status.ACCEPTED


def test_a_delivery_from_a_former_supplier_is_refused(users, supplier):
    services.supplier_deactivate(supplier_id=supplier.pk, by=users["canteen"])
    with translation.override("en"), pytest.raises(ValidationError) as e:
        record(users["canteen"], supplier)
    assert "no longer supplying" in messages(e)


def test_a_delivery_in_the_future_is_refused(users, supplier):
    with pytest.raises(ValidationError) as e:
        record(users["canteen"], supplier, date=TODAY + DAY)
    assert "date" in e.value.error_dict


@pytest.mark.parametrize(("bad", "field"), [
    ({"production_date": TODAY + DAY}, "production_date"),
    ({"production_date": None, "batch": ""}, "production_date"),
    ({"quantity": Decimal("0")}, "quantity"),
    ({"quantity": Decimal("-2")}, "quantity"),
    ({"quantity": Decimal("1.234")}, "quantity"),
    ({"name": " "}, "name"),
    ({"unit": ""}, "unit"),
    ({"is_meat": True, "quarantine_cert": ""}, "quarantine_cert"),
])
def test_an_item_that_breaks_the_record_rules_is_refused_naming_its_row(users, supplier, bad, field):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        record(users["canteen"], supplier, [item("土豆"), item(**bad)])
    [error] = e.value.error_dict["items"]
    assert error.row == 1 and error.field == field
    assert error.messages[0].startswith("Item 2 (")
    assert not Delivery.objects.exists()


def test_a_batch_number_is_enough_without_a_production_date(users, supplier):
    delivery = record(users["canteen"], supplier, [item(production_date=None, batch="20261101")])
    assert delivery.items.get().batch == "20261101"


def test_meat_without_its_quarantine_certificate_is_rejected_with_a_reason(users, supplier):
    frozen = item("冻猪肉", is_meat=True, production_date=None)
    with pytest.raises(ValidationError) as e:
        record(users["canteen"], supplier, [frozen], accepted=False)
    assert "reject_reason" in e.value.error_dict
    delivery = record(users["canteen"], supplier, [frozen], accepted=False, reject_reason="冻肉解冻后再冻，无检疫证明")
    assert delivery.status == Delivery.Status.REJECTED
    assert reasons(delivery) == ["checked and rejected: 冻肉解冻后再冻，无检疫证明"]


def test_a_delivery_with_no_item_is_refused(users, supplier):
    with pytest.raises(ValidationError) as e:
        services.delivery_record(by=users["canteen"], supplier=supplier, date=TODAY, items=[])
    assert "items" in e.value.error_dict


def test_a_form_sent_twice_records_one_delivery(users, supplier):
    token = uuid.uuid4()
    first = record(users["canteen"], supplier, submit_token=token)
    again = record(users["canteen"], supplier, submit_token=token)
    assert again.pk == first.pk and again.was_duplicate
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize("who", ["head", "principal", "safety", "auditor", "teacher"])
def test_only_the_canteen_records_deliveries(users, supplier, who):
    with pytest.raises(PermissionDenied):
        record(users[who], supplier)


def test_a_bad_photo_saves_nothing(users, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        record(users["canteen"], supplier, photos=[SimpleUploadedFile("x.jpg", b"not an image")])
    assert not Delivery.objects.exists()


# --- corrections -----------------------------------------------------------------------------------

def test_the_words_of_a_delivery_are_corrected_with_a_reason(users, supplier):
    delivery = record(users["canteen"], supplier, [item(), meat()])
    pork = delivery.items.get(name="猪肉")
    services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="发票号抄错", expected_version=0,
                              invoice_ref="NO.778", items={pork.pk: {"quarantine_cert": "3409999999"}})
    delivery.refresh_from_db()
    pork.refresh_from_db()
    assert delivery.invoice_ref == "NO.778" and pork.quarantine_cert == "3409999999"
    assert reasons(delivery)[-1] == "corrected: 发票号抄错"
    assert pork.history.latest().history_date == delivery.history.latest().history_date


def test_a_correction_needs_a_reason_and_a_change(users, supplier):
    delivery = record(users["canteen"], supplier)
    with pytest.raises(ValidationError) as e:
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason=" ", invoice_ref="X")
    assert "reason" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r", invoice_ref="")
    assert e.value.code == "unchanged"


def test_quantities_dates_and_results_are_not_corrected(users, supplier):
    delivery = record(users["canteen"], supplier)
    the_item = delivery.items.get()
    with pytest.raises(ValidationError):
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r", status="rejected")
    with pytest.raises(ValidationError):
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r",
                                  items={the_item.pk: {"quantity": "99"}})


def test_a_correction_keeps_the_record_rules(users, supplier):
    delivery = record(users["canteen"], supplier, [meat()])
    pork = delivery.items.get()
    with pytest.raises(ValidationError):
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r",
                                  items={pork.pk: {"quarantine_cert": ""}})
    pork.refresh_from_db()
    assert pork.quarantine_cert == "3401234567"


def test_a_correction_from_a_stale_page_is_refused(users, supplier):
    delivery = record(users["canteen"], supplier)
    services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r", invoice_ref="1",
                              expected_version=0)
    with pytest.raises(ValidationError) as e:
        services.delivery_correct(delivery_id=delivery.pk, by=users["canteen"], reason="r", invoice_ref="2",
                                  expected_version=0)
    assert e.value.code == "stale"


def test_readers_do_not_correct(users, supplier):
    delivery = record(users["canteen"], supplier)
    with pytest.raises(PermissionDenied):
        services.delivery_correct(delivery_id=delivery.pk, by=users["head"], reason="r", invoice_ref="1")


# --- selectors -------------------------------------------------------------------------------------

def test_licences_expiring_lists_expired_and_soon_with_days_left(users, supplier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    soon = Supplier.objects.create(name="金穗粮油", licence_number="A", licence_expires=TODAY + 10 * DAY)
    gone = Supplier.objects.create(name="过期", licence_number="B", licence_expires=TODAY - 3 * DAY)
    Supplier.objects.create(name="停用", licence_number="C", licence_expires=TODAY - 3 * DAY, active=False)
    services.supplier_document_add(supplier_id=supplier.pk, by=users["canteen"], title="检验报告", file=pdf(),
                                   expires=TODAY + 29 * DAY)
    services.supplier_document_add(supplier_id=supplier.pk, by=users["canteen"], title="营业执照", file=pdf())
    found = selectors.licences_expiring(TODAY)
    assert [(e.supplier.name, e.is_licence, e.days_left) for e in found] == [
        ("过期", True, -3), ("金穗粮油", True, 10), (supplier.name, False, 29)]
    assert found[0].expired and not found[1].expired
    assert [e.supplier for e in selectors.licences_expiring(TODAY, days=5)] == [gone]
    assert soon in [e.supplier for e in found]


def test_deliveries_on_a_day(users, supplier):
    first = record(users["canteen"], supplier)
    second = record(users["canteen"], supplier, [item(), item("土豆")])
    record(users["canteen"], supplier, date=TODAY - DAY)
    rows = list(selectors.deliveries_on(TODAY))
    assert rows == [first, second] and rows[1].item_count == 2


def test_term_figures(users, supplier, school, django_assert_max_num_queries):
    record(users["canteen"], supplier, [item(), meat(), meat()])
    record(users["canteen"], supplier, [item("冻猪肉", is_meat=True)], accepted=False, reject_reason="无检疫证明")
    Supplier.objects.create(name="快到期", licence_number="A", licence_expires=TODAY + 5 * DAY)
    Supplier.objects.create(name="已过期", licence_number="B", licence_expires=TODAY - 5 * DAY)
    with django_assert_max_num_queries(4):
        figures = {f.key: f for f in selectors.term_figures(school["term"])}
    assert {k: f.value for k, f in figures.items()} == {
        "deliveries.checked": 2, "deliveries.rejected": 1, "deliveries.meat_items": 2,
        "deliveries.meat_certified_percent": 100, "suppliers.valid": 2, "suppliers.expiring": 1,
        "suppliers.expired": 1}
    assert all(f.chapter == "canteen" and not f.money for f in figures.values())
    assert figures["suppliers.expired"].carry
