"""QR labels: an A4 PDF through the shared helper, with each tag as text and a QR code of the asset's page."""
import shutil
import subprocess

import pytest
from django.urls import reverse

from assets.views.register import qr_data_uri

from ._register import bulk_assets, register

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def pdf_text(data, tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_labels_for_ticked_assets(users, school, login, tmp_path):
    a = register(users["worker"], school, name="班班通一体机")
    b = register(users["worker"], school, name="投影仪")
    register(users["worker"], school, name="不要打印")
    response = login(users["worker"]).get(reverse("assets:asset_labels"), {"ids": [a.pk, b.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert a.tag in text and b.tag in text and "班班通一体机" in text and "一(1)班" in text
    assert "不要打印" not in text


def test_labels_for_the_filtered_list_fill_pages(users, school, login, tmp_path):
    assets = bulk_assets(60, school)
    response = login(users["auditor"]).get(reverse("assets:asset_labels"), {"location": school["rooms"][1].pk})
    text = pdf_text(response.content, tmp_path)
    room2 = [a for a in assets if a.location_id == school["rooms"][1].pk and a.status != "written_off"]
    assert all(a.tag in text for a in room2)
    assert assets[1].tag not in text or assets[1].location_id == school["rooms"][1].pk


def test_too_many_labels_are_refused_with_a_hint(users, school, login):
    bulk_assets(800, school)
    response = login(users["head"]).get(reverse("assets:asset_labels"), {"status": "all"})
    assert response.status_code == 302


def test_staff_cannot_print_labels(users, school, login):
    assert login(users["teacher"]).get(reverse("assets:asset_labels")).status_code == 403


def test_qr_encodes_the_absolute_url_of_the_asset_page():
    uri = qr_data_uri("http://school.example/assets/7/")
    assert uri.startswith("data:image/svg+xml")
