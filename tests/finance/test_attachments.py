"""Quote, minutes and invoice files: only PDF and images (by their content) within the size limit, stored
under random names, and served as downloads to the readers of their record only."""
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finance.models import FinanceSettings, Invoice, PurchaseRequest, Quote
from finance.services import purchases as services

from ..conftest import image_bytes
from ._procurement import accepted_request, invoice_for
from ._purchases import submitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
NOT_ACCEPTED = "不是 PDF 或图片（JPEG、PNG、WebP），只能附上这几种文件"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name, content):
    return SimpleUploadedFile(name, content)


def quote_post(purchase, attachment, **over):
    data = {"version": purchase.version, "vendor": "青山电器城", "amount": "980.00", "attachment": attachment}
    data.update(over)
    return data


def assert_download(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


# --- quotes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content"), [("setup.exe", EXE), ("quote.pdf", EXE), ("quote.html", HTML),
                                               ("quote.pdf", HTML)])
def test_a_quote_file_that_is_not_a_pdf_or_an_image_is_refused_and_the_form_kept(users, school, login, name,
                                                                                 content):
    purchase = submitted(users["teacher"], "1000")
    response = login(users["worker"]).post(reverse("finance:purchase_quote_add", args=[purchase.pk]),
                                           quote_post(purchase, upload(name, content)))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{name}”{NOT_ACCEPTED}" in page
    assert 'value="青山电器城"' in page and 'value="980.00"' in page
    assert not Quote.objects.exists()


def test_a_quote_file_over_the_size_limit_is_refused_and_the_form_kept(users, school, login, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    purchase = submitted(users["teacher"], "1000")
    big = PDF + b"0" * 2048
    response = login(users["worker"]).post(reverse("finance:purchase_quote_add", args=[purchase.pk]),
                                           quote_post(purchase, upload("quote.pdf", big)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“quote.pdf”大小为 2.0 KB，文件不能超过 1.0 KB。" in page.replace("\xa0", " ")
    assert 'value="青山电器城"' in page
    assert not Quote.objects.exists()


def test_a_pdf_quote_is_stored_under_a_random_name_and_served_to_readers_only(users, school, login, client):
    purchase = submitted(users["teacher"], "1000")
    response = login(users["worker"]).post(reverse("finance:purchase_quote_add", args=[purchase.pk]),
                                           quote_post(purchase, upload("青山电器城报价.pdf", PDF)))
    assert response.status_code == 302
    quote = Quote.objects.get()
    stored = quote.attachment.name
    assert stored.startswith("finance/quotes/") and stored.endswith(".pdf") and "报价" not in stored
    assert len(stored.rsplit("/", 1)[1]) == len("0123456789abcdef0123456789abcdef.pdf")
    url = reverse("finance:purchase_quote_file", args=[purchase.pk, quote.pk])
    page = client.get(reverse("finance:purchase_detail", args=[purchase.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    for who in ("teacher", "worker", "head", "finance", "auditor"):
        response = login(users[who]).get(url)
        assert_download(response, "application/pdf")
        assert b"".join(response.streaming_content) == PDF
    for who in ("teacher2", "canteen"):
        assert login(users[who]).get(url).status_code == 404


def test_a_photo_of_a_quote_is_accepted_re_encoded_and_served_as_an_image(users, school, login):
    purchase = submitted(users["teacher"], "1000")
    login(users["worker"]).post(reverse("finance:purchase_quote_add", args=[purchase.pk]),
                                quote_post(purchase, upload("IMG_0001.JPG", image_bytes("JPEG"))))
    quote = Quote.objects.get()
    assert quote.attachment.name.endswith(".jpg") and "IMG_0001" not in quote.attachment.name
    response = login(users["teacher"]).get(reverse("finance:purchase_quote_file", args=[purchase.pk, quote.pk]))
    assert_download(response, "image/jpeg")


def test_a_quote_of_another_request_is_not_served_through_this_one(users, school, login):
    mine = submitted(users["teacher"], "1000")
    other = submitted(users["teacher2"], "1000", title="打印机")
    services.purchase_quote_add(request_id=other.pk, by=users["worker"], vendor="甲公司", amount="900",
                                attachment=ContentFile(PDF, name="x.pdf"))
    quote = Quote.objects.get()
    response = login(users["teacher"]).get(reverse("finance:purchase_quote_file", args=[mine.pk, quote.pk]))
    assert response.status_code == 404


def test_a_file_stored_before_checks_is_served_as_bytes_never_as_a_page(users, school, login):
    purchase = submitted(users["teacher"], "1000")
    quote = Quote.objects.create(request=purchase, vendor="甲公司", amount=Decimal("900"), added_by=users["worker"])
    quote.attachment.save("page.html", ContentFile(HTML), save=True)
    response = login(users["teacher"]).get(reverse("finance:purchase_quote_file", args=[purchase.pk, quote.pk]))
    assert_download(response, "application/octet-stream")


# --- minutes of the school-affairs meeting --------------------------------------------------------

def at_meeting(users):
    profile = FinanceSettings.get()
    profile.quotes_required_above = Decimal("90000")
    profile.save()
    purchase = submitted(users["teacher"], "30000")
    for who in ("head", "principal"):
        purchase = services.purchase_decide(request_id=purchase.pk, by=users[who], decision="approved")
    return purchase


def meeting_post(purchase, attachment):
    return {"version": purchase.version, "meeting_date": timezone.localdate().isoformat(),
            "meeting_minute": "校务会〔2026〕3号", "meeting_attachment": attachment}


def test_minutes_that_are_not_a_pdf_or_an_image_are_refused_and_the_form_kept(users, school, login):
    purchase = at_meeting(users)
    response = login(users["principal"]).post(reverse("finance:purchase_meeting", args=[purchase.pk]),
                                              meeting_post(purchase, upload("minutes.html", HTML)))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“minutes.html”{NOT_ACCEPTED}" in page
    assert 'value="校务会〔2026〕3号"' in page
    purchase.refresh_from_db()
    assert not purchase.meeting_attachment and purchase.status != PurchaseRequest.Status.APPROVED


def test_minutes_are_stored_under_a_random_name_and_served_to_readers_only(users, school, login):
    purchase = at_meeting(users)
    response = login(users["principal"]).post(reverse("finance:purchase_meeting", args=[purchase.pk]),
                                              meeting_post(purchase, upload("2026年第3次校务会纪要.pdf", PDF)))
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert purchase.meeting_attachment.name.startswith("finance/meetings/")
    assert "校务会" not in purchase.meeting_attachment.name
    url = reverse("finance:purchase_meeting_file", args=[purchase.pk])
    page = login(users["teacher"]).get(reverse("finance:purchase_detail", args=[purchase.pk])).content.decode()
    assert f'href="{url}"' in page
    for who in ("teacher", "principal", "auditor"):
        assert_download(login(users[who]).get(url), "application/pdf")
    assert login(users["teacher2"]).get(url).status_code == 404


# --- invoices -------------------------------------------------------------------------------------

def invoice_post(attachment):
    return {"number": "FP2026001", "issued_on": timezone.localdate().isoformat(), "amount": "3350.00",
            "attachment": attachment}


@pytest.mark.parametrize(("name", "content"), [("invoice.exe", EXE), ("invoice.pdf", HTML)])
def test_an_invoice_file_that_is_not_a_pdf_or_an_image_is_refused_and_the_form_kept(users, school, login, name,
                                                                                    content):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    response = login(users["worker"]).post(reverse("finance:invoice_new") + f"?request={pr.pk}",
                                           invoice_post(upload(name, content)))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{name}”{NOT_ACCEPTED}" in page and 'value="FP2026001"' in page
    assert not Invoice.objects.exists()


def test_an_invoice_file_over_the_size_limit_is_refused(users, school, login, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    response = login(users["worker"]).post(reverse("finance:invoice_new") + f"?request={pr.pk}",
                                           invoice_post(upload("invoice.png", image_bytes() + b"0" * 2048)))
    assert response.status_code == 400
    assert "文件不能超过 1.0 KB" in response.content.decode().replace("\xa0", " ")
    assert not Invoice.objects.exists()


def test_an_invoice_file_is_stored_under_a_random_name_and_served_to_readers_only(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    response = login(users["worker"]).post(reverse("finance:invoice_new") + f"?request={pr.pk}",
                                           invoice_post(upload("FP2026001.png", image_bytes())))
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.attachment.name.startswith("finance/invoices/") and invoice.attachment.name.endswith(".png")
    assert "FP2026001" not in invoice.attachment.name
    url = reverse("finance:invoice_file", args=[invoice.pk])
    page = login(users["finance"]).get(reverse("finance:invoice_detail", args=[invoice.pk])).content.decode()
    assert f'href="{url}"' in page
    for who in ("worker", "finance", "auditor"):
        assert_download(login(users[who]).get(url), "image/png")
    for who in ("teacher", "canteen"):
        assert login(users[who]).get(url).status_code == 404


def test_an_invoice_without_a_file_has_none_to_serve(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    invoice = invoice_for(pr, users["worker"])
    assert login(users["finance"]).get(reverse("finance:invoice_file", args=[invoice.pk])).status_code == 404


def test_the_admin_links_the_files_to_their_guarded_pages_not_to_media(users, school, client):
    from django.contrib.auth.models import User

    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    invoice = invoice_for(pr, users["worker"])
    invoice.attachment.save("x.pdf", ContentFile(PDF), save=True)
    purchase = submitted(users["teacher"], "1000")
    services.purchase_quote_add(request_id=purchase.pk, by=users["worker"], vendor="甲公司", amount="900",
                                attachment=ContentFile(PDF, name="x.pdf"))
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get(reverse("admin:finance_purchaserequest_change", args=[purchase.pk])).content.decode()
    quote = Quote.objects.get()
    assert reverse("finance:purchase_quote_file", args=[purchase.pk, quote.pk]) in page and "/media/" not in page
    page = client.get(reverse("admin:finance_invoice_change", args=[invoice.pk])).content.decode()
    assert reverse("finance:invoice_file", args=[invoice.pk]) in page and "/media/" not in page
