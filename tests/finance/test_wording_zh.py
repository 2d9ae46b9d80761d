"""Purchase pages and the monthly report in Chinese (the default language): where one English phrase means
two things ("request", "by", "Item", "By"), each page says the right one."""
import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import LedgerEntry
from finance.services import purchases as services

from ._procurement import entry
from ._purchases import submitted

pytestmark = pytest.mark.django_db


def pdf_text(response, tmp_path):
    out = tmp_path / "page.pdf"
    out.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


def test_the_purchase_list_counts_purchase_requests_and_names_the_requester(users, school, login):
    submitted(users["teacher"], "300")
    html = login(users["head"]).get(reverse("finance:purchase_list")).content.decode()
    assert "共 1 份采购申请" in html
    assert "申请人 王丽" in html
    assert "报修单" not in html and "报修人" not in html


def test_a_purchase_request_offers_to_cancel_this_purchase_request(users, school, login):
    p = submitted(users["teacher"], "300")
    html = login(users["teacher"]).get(reverse("finance:purchase_detail", args=[p.pk])).content.decode()
    assert "撤销这份采购申请" in html and "撤销申请" in html
    assert "报修" not in html.split("<main", 1)[1]


def test_the_printed_purchase_request_heads_the_approvers_column_approver(users, school, client, tmp_path):
    p = submitted(users["teacher"], "300")
    services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved")
    client.force_login(users["teacher"])
    text = pdf_text(client.get(reverse("finance:purchase_print", args=[p.pk])), tmp_path)
    assert "审批人" in text and "陈主任" in text
    assert "经手人" not in text


def test_the_monthly_report_first_column_is_the_report_line(users, login, tmp_path):
    entry(users["finance"], category=LedgerEntry.Category.OFFICE, amount="120.00", date=datetime.date(2026, 10, 15))
    client = login(users["finance"])
    html = client.get(reverse("finance:monthly_report") + "?month=2026-10").content.decode()
    assert "<th>项目</th>" in html and "物品" not in html
    text = pdf_text(client.get(reverse("finance:monthly_report_pdf") + "?month=2026-10"), tmp_path)
    assert "项目" in text and "物品" not in text
    sheet = load_workbook(io.BytesIO(client.get(reverse("finance:monthly_report_xlsx") + "?month=2026-10").content))
    assert sheet.worksheets[0]["A2"].value == "项目"


def test_the_approvals_in_the_admin_are_headed_approver(users, school, client):
    from django.contrib.auth import get_user_model

    p = submitted(users["teacher"], "300")
    services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved")
    admin = get_user_model().objects.create_superuser("root", password="x-pass-123")
    client.force_login(admin)
    html = client.get(reverse("admin:finance_purchaserequest_change", args=[p.pk])).content.decode()
    assert "审批人" in html and "报修人" not in html
