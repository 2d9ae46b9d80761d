"""The printable purchase request form: a real A4 PDF with Chinese text, items, quotes and approvals."""
import subprocess

from django.urls import reverse

from finance.services import purchases as services

from ._purchases import submitted


def test_the_form_prints_items_quotes_approvals_and_signatures(users, school, client, tmp_path):
    p = submitted(users["teacher"], "9800", title="微机室学生电脑")  # with three quotes
    services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved", comment="已比价")
    services.purchase_decide(request_id=p.pk, by=users["principal"], decision="approved")
    client.force_login(users["teacher"])
    response = client.get(reverse("finance:purchase_print", args=[p.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    out = tmp_path / "form.pdf"
    out.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("微机室学生电脑", p.number, "¥9,800.00", "甲公司", "乙公司", "丙公司", "陈主任", "赵校长",
                     "已比价", "王丽"):
        assert expected in text, expected
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "A4" in pages and "Pages:           1" in pages


def test_others_cannot_print_someone_elses_request(users, school, client):
    p = submitted(users["teacher"], "100")
    client.force_login(users["teacher2"])
    assert client.get(reverse("finance:purchase_print", args=[p.pk])).status_code == 404
