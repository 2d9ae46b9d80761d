"""The suppliers and deliveries pages: who may open and use them, the delivery form on bad input (what was typed
kept, nothing saved), a double click, documents served to readers only, and query counts that do not grow with
the rows."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from canteen.models import Delivery, Supplier
from canteen.services import suppliers as services

from ..conftest import image_bytes

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def form_data(supplier, rows=None, **extra):
    rows = rows if rows is not None else [{"name": "青菜", "quantity": "12", "unit": "kg",
                                           "production_date": TODAY.isoformat()}]
    data = {"submit_token": str(uuid.uuid4()), "supplier": supplier.pk, "date": TODAY.isoformat(),
            "invoice_ref": "NO.1", "result": "accepted", "reject_reason": "", "note": "",
            "items-TOTAL_FORMS": str(max(len(rows), 2)), "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "40", "save": "1"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{i}-{key}"] = value
    data.update(extra)
    return data


def make_deliveries(user, supplier, n):
    for i in range(n):
        services.delivery_record(by=user, supplier=supplier, date=TODAY - i * DAY, items=[
            {"name": "猪肉", "quantity": Decimal("10"), "unit": "kg", "production_date": TODAY - (i + 1) * DAY,
             "is_meat": True, "quarantine_cert": f"34{i:08d}"},
            {"name": "青菜", "quantity": Decimal("5"), "unit": "kg", "batch": "B1"}])


# --- who may --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["canteen", "head", "principal", "safety", "auditor"])
def test_the_canteen_and_its_readers_open_the_lists(users, supplier, login, who):
    client = login(users[who])
    for name in ("canteen:supplier_list", "canteen:delivery_list"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("canteen:supplier_detail", args=[supplier.pk])).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "worker", "finance"])
def test_others_do_not(users, supplier, login, who):
    client = login(users[who])
    assert client.get(reverse("canteen:supplier_list")).status_code == 403
    assert client.get(reverse("canteen:delivery_list")).status_code == 403


@pytest.mark.parametrize("who", ["head", "principal", "safety", "auditor"])
def test_readers_do_not_record_or_change(users, supplier, login, who):
    client = login(users[who])
    assert client.get(reverse("canteen:delivery_add")).status_code == 403
    assert client.post(reverse("canteen:delivery_add"), form_data(supplier)).status_code == 403
    assert client.get(reverse("canteen:supplier_add")).status_code == 403
    assert client.get(reverse("canteen:supplier_edit", args=[supplier.pk])).status_code == 403
    assert not Delivery.objects.exists()


# --- suppliers ------------------------------------------------------------------------------------

def test_adding_a_supplier(users, canteen_settings, login):
    client = login(users["canteen"])
    response = client.post(reverse("canteen:supplier_add"), {
        "name": "豆香坊", "goods": "豆制品", "licence_kind": "food_production", "licence_number": "SC1",
        "licence_expires": (TODAY + 300 * DAY).isoformat(), "contact": "", "phone": "", "address": ""})
    supplier = Supplier.objects.get()
    assert response.url == reverse("canteen:supplier_detail", args=[supplier.pk])


def test_adding_a_supplier_with_an_expired_licence_keeps_what_was_typed(users, canteen_settings, login):
    client = login(users["canteen"])
    response = client.post(reverse("canteen:supplier_add"), {
        "name": "豆香坊", "licence_kind": "food_trade", "licence_number": "SC-9",
        "licence_expires": (TODAY - DAY).isoformat()})
    assert response.status_code == 200
    assert "expired on" in response.content.decode() and 'value="SC-9"' in response.content.decode()
    assert not Supplier.objects.exists()


def test_renewing_a_licence_from_a_stale_page_is_refused(users, supplier, login):
    client = login(users["canteen"])
    url = reverse("canteen:supplier_edit", args=[supplier.pk])
    data = {"name": supplier.name, "licence_kind": "food_trade", "licence_number": "NEW",
            "licence_expires": (TODAY + 900 * DAY).isoformat(), "version": "0"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "licence_number": "NEWER"})
    assert response.status_code == 200 and "changed" in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.licence_number == "NEW"


def test_documents_are_served_to_readers_only(users, supplier, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users["canteen"])
    upload = SimpleUploadedFile("licence.png", image_bytes())
    response = client.post(reverse("canteen:supplier_document_add", args=[supplier.pk]),
                           {"title": "营业执照", "file": upload, "expires": ""})
    assert response.status_code == 302
    document = supplier.documents.get()
    url = reverse("canteen:supplier_document", args=[supplier.pk, document.pk])
    page = client.get(reverse("canteen:supplier_detail", args=[supplier.pk])).content.decode()
    assert url in page and "document added: 营业执照" in page
    response = login(users["auditor"]).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert login(users["teacher"]).get(url).status_code == 403


def test_a_document_that_is_not_a_pdf_or_image_is_refused(users, supplier, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(users["canteen"]).post(reverse("canteen:supplier_document_add", args=[supplier.pk]), {
        "title": "许可证", "file": SimpleUploadedFile("a.pdf", b"MZ not a pdf")})
    assert response.status_code == 200 and "not a PDF or an image" in response.content.decode()
    assert not supplier.documents.exists()


# --- the delivery form ----------------------------------------------------------------------------

def test_the_form_opens_with_today_and_the_suppliers_in_use(users, supplier, login):
    expired = Supplier.objects.create(name="过期供应商", licence_number="X", licence_expires=TODAY - 3 * DAY)
    Supplier.objects.create(name="停用供应商", licence_number="Y", licence_expires=TODAY + DAY, active=False)
    page = login(users["canteen"]).get(reverse("canteen:delivery_add")).content.decode()
    assert f'value="{TODAY.isoformat()}"' in page
    assert supplier.name in page and "停用供应商" not in page
    assert f'value="{expired.pk}" disabled' in page
    assert f"Licence expired {(TODAY - 3 * DAY).isoformat()}: renew it first" in page


def test_recording_a_delivery(users, supplier, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users["canteen"])
    data = form_data(supplier, photos=[SimpleUploadedFile("cert.png", image_bytes())])
    response = client.post(reverse("canteen:delivery_add"), data)
    delivery = Delivery.objects.get()
    assert response.url == reverse("canteen:delivery_detail", args=[delivery.pk])
    assert delivery.items.get().name == "青菜" and delivery.photos.count() == 1
    # The same form sent again (a double click): one delivery.
    response = client.post(reverse("canteen:delivery_add"), {**data, "photos": []}, follow=True)
    assert Delivery.objects.count() == 1 and "already recorded" in response.content.decode()
    page = client.get(reverse("canteen:delivery_detail", args=[delivery.pk])).content.decode()
    assert "checked and accepted (1 items)" in page
    photo = delivery.photos.get()
    assert client.get(reverse("canteen:delivery_photo", args=[delivery.pk, photo.pk])).status_code == 200


def test_an_expired_licence_is_refused_on_the_form_with_the_date(users, supplier, login):
    Supplier.objects.filter(pk=supplier.pk).update(licence_expires=TODAY - DAY)
    response = login(users["canteen"]).post(reverse("canteen:delivery_add"), form_data(supplier))
    page = response.content.decode()
    assert response.status_code == 200 and "Renew the licence record first" in page
    assert (TODAY - DAY).isoformat() in page
    assert not Delivery.objects.exists()


def test_an_item_error_shows_on_its_row_and_keeps_what_was_typed(users, supplier, login):
    rows = [{"name": "青菜", "quantity": "12", "unit": "kg", "production_date": TODAY.isoformat()},
            {"name": "猪肉", "quantity": "8.5", "unit": "kg", "batch": "P-77", "is_meat": "on"}]
    response = login(users["canteen"]).post(reverse("canteen:delivery_add"),
                                            form_data(supplier, rows, invoice_ref="NO.9"))
    page = response.content.decode()
    assert response.status_code == 200 and "Item 2 (猪肉)" in page and "quarantine certificate" in page
    assert 'value="P-77"' in page and 'value="NO.9"' in page and 'value="8.5"' in page
    assert not Delivery.objects.exists()


def test_a_rejection_needs_a_reason(users, supplier, login):
    response = login(users["canteen"]).post(reverse("canteen:delivery_add"),
                                            form_data(supplier, result="rejected"))
    assert response.status_code == 200 and "Say why the delivery is rejected" in response.content.decode()
    assert not Delivery.objects.exists()


def test_adding_an_item_row_keeps_what_was_typed(users, supplier, login):
    data = form_data(supplier, invoice_ref="NO.5")
    data.pop("save")
    data["add_row"] = "1"
    response = login(users["canteen"]).post(reverse("canteen:delivery_add"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Delivery.objects.exists()
    assert 'name="items-TOTAL_FORMS" value="3"' in page
    assert 'value="青菜"' in page and 'value="NO.5"' in page and 'class="error"' not in page
    assert f'value="{supplier.pk}" required checked' in page


# --- a delivery's page and its correction ---------------------------------------------------------

def test_correcting_a_delivery(users, supplier, login):
    make_deliveries(users["canteen"], supplier, 1)
    delivery = Delivery.objects.get()
    pork = delivery.items.get(name="猪肉")
    client = login(users["canteen"])
    url = reverse("canteen:delivery_correct", args=[delivery.pk])
    assert client.get(url).status_code == 200
    data = {"version": "0", "reason": "检疫证号抄错", "invoice_ref": "", "note": ""}
    for row in delivery.items.all():
        for name in ("name", "spec", "batch", "shelf_life", "quarantine_cert"):
            if name != "quarantine_cert" or row.is_meat:
                data[f"item_{row.pk}_{name}"] = getattr(row, name)
    data[f"item_{pork.pk}_quarantine_cert"] = "3412345678"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("canteen:delivery_detail", args=[delivery.pk])).content.decode()
    assert "corrected: 检疫证号抄错" in page and "3412345678" in page and "猪肉 · quarantine certificate number" in page
    # Blanking it again is refused on its field, nothing saved.
    data.update({"version": "1", f"item_{pork.pk}_quarantine_cert": ""})
    response = client.post(url, data)
    assert response.status_code == 200 and "quarantine certificate" in response.content.decode()
    pork.refresh_from_db()
    assert pork.quarantine_cert == "3412345678"
    assert login(users["head"]).get(url).status_code == 403


def test_the_delivery_log_prints_for_a_month(users, supplier, login):
    make_deliveries(users["canteen"], supplier, 1)
    response = login(users["head"]).get(reverse("canteen:delivery_log_print") + f"?month={TODAY:%Y-%m}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(users["head"]).get(reverse("canteen:delivery_log_print") + "?month=junk").status_code == 200


# --- query counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 40])
def test_list_pages_take_the_same_queries_for_few_and_many_rows(users, supplier, login, n,
                                                                django_assert_max_num_queries):
    for i in range(n):
        Supplier.objects.create(name=f"供应商{i}", licence_number=str(i), licence_expires=TODAY + i * DAY)
    make_deliveries(users["canteen"], supplier, n)
    client = login(users["canteen"])
    delivery = Delivery.objects.first()
    pages = [reverse("canteen:supplier_list"), reverse("canteen:delivery_list"),
             reverse("canteen:delivery_list") + f"?status=accepted&supplier={supplier.pk}",
             reverse("canteen:supplier_detail", args=[supplier.pk]),
             reverse("canteen:delivery_detail", args=[delivery.pk]), reverse("canteen:delivery_add")]
    for url in pages:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url


def canteen_delivery_log(users, school):
    """The month's 进货查验记录 (a builder of tests/test_print_documents.py)."""
    supplier = Supplier.objects.create(name="皖农肉类食品有限公司", licence_number="JY1340103", address="食品工业园8栋",
                                       phone="13855102468", licence_expires=TODAY + 100 * DAY)
    services.delivery_record(by=users["canteen"], supplier=supplier, date=TODAY, items=[
        {"name": "猪肉", "spec": "冷鲜", "quantity": Decimal("20"), "unit": "kg", "production_date": TODAY,
         "shelf_life": "3天", "is_meat": True, "quarantine_cert": "3401234567"}], invoice_ref="NO.1")
    return users["head"], reverse("canteen:delivery_log_print") + f"?month={TODAY:%Y-%m}", [
        "进货查验记录", "猪肉", "皖农肉类食品有限公司", "3401234567", "周师傅", "13855102468"]
