"""Term-start distribution: the grid form, the bulk issue, and the A4 sign-for sheet."""
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from assets import services
from assets.models import Distribution, StockMovement, SupplyItem


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def items(users):
    made = {}
    for name, qty in (("语文作业本", 300), ("数学作业本", 300)):
        item = services.supply_item_save(by=users["head"], name=name, kind="textbook", unit="本")
        services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=qty, supplier="新华书店")
        made[name] = SupplyItem.objects.get(pk=item.pk)
    return made


def grid(school, items, values, **extra):
    r1, r2 = school["rooms"]
    a, b = items["语文作业本"], items["数学作业本"]
    data = {"title": "开学作业本发放", "term": "", "submit_token": "3f0c1a36-1111-4a4a-9c9c-000000000001",
            "items": [a.pk, b.pk]}
    for (room, item), value in zip([(r1, a), (r1, b), (r2, a), (r2, b)], values, strict=True):
        data[f"q_{room.pk}_{item.pk}"] = value
    data.update(extra)
    return data


def test_grid_shows_classes_and_chosen_items(users, school, items, client):
    client.force_login(users["worker"])
    step1 = client.get(reverse("assets:distribution_new"))
    assert step1.status_code == 200 and "语文作业本" in step1.content.decode()
    ids = [i.pk for i in items.values()]
    step2 = client.get(reverse("assets:distribution_new"), {"items": ids})
    html = step2.content.decode()
    assert "一(1)班" in html and "一(2)班" in html
    assert f'name="q_{school["room"].pk}_{ids[0]}"' in html


def test_create_and_issue_a_distribution_from_the_pages(users, school, items, client):
    client.force_login(users["worker"])
    response = client.post(reverse("assets:distribution_new"), grid(school, items, ["90", "90", "88", ""]))
    d = Distribution.objects.get()
    assert response.status_code == 302 and d.lines.count() == 3 and d.term == school["term"]
    client.post(reverse("assets:distribution_new"), grid(school, items, ["90", "90", "88", ""]))
    assert Distribution.objects.count() == 1  # the same form twice: one distribution
    response = client.post(reverse("assets:distribution_issue", args=[d.pk]), {"version": d.version}, follow=True)
    assert "Issued to every class." in response.content.decode()
    assert SupplyItem.objects.get(name="语文作业本").stock == 122
    assert SupplyItem.objects.get(name="数学作业本").stock == 210
    assert StockMovement.objects.filter(kind="distribution").count() == 3


@pytest.mark.parametrize("values, message", [
    (["-5", "", "", ""], "The quantity cannot be negative."),
    (["abc", "", "", ""], "Enter a whole number."),
    (["999999999", "", "", ""], "At most 100000 at a time."),
    (["", "", "", ""], "Enter a quantity for at least one class."),
])
def test_bad_grid_input_is_shown_and_kept(users, school, items, client, values, message):
    client.force_login(users["worker"])
    response = client.post(reverse("assets:distribution_new"), grid(school, items, values[:3] + ["17"]
                                                                    if values[0] else values))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert Distribution.objects.count() == 0
    if values[0]:
        assert 'value="17"' in html  # the other numbers typed are kept


def test_short_stock_issues_nothing_and_says_what_is_left(users, school, items, client):
    client.force_login(users["worker"])
    client.post(reverse("assets:distribution_new"), grid(school, items, ["200", "10", "150", "10"]))
    d = Distribution.objects.get()
    html = client.get(reverse("assets:distribution_detail", args=[d.pk])).content.decode()
    assert "short" in html
    response = client.post(reverse("assets:distribution_issue", args=[d.pk]), {"version": d.version}, follow=True)
    assert "语文作业本: 350 本 to issue, only 300 left" in response.content.decode()
    assert SupplyItem.objects.get(name="数学作业本").stock == 300
    assert Distribution.objects.get().status == "draft"


@pytest.mark.parametrize("who, status", [("teacher", 403), ("auditor", 403)])
def test_others_cannot_prepare_or_issue(users, school, items, client, who, status):
    d = services.distribution_create(by=users["worker"], title="发放",
                                     lines=[(school["room"], items["语文作业本"], 5)])
    client.force_login(users[who])
    assert client.post(reverse("assets:distribution_new"), grid(school, items, ["1", "", "", ""])).status_code == 403
    assert client.post(reverse("assets:distribution_issue", args=[d.pk]), {"version": 1}).status_code == 403
    assert Distribution.objects.get().status == "draft"


def test_auditor_reads_the_distribution(users, school, items, client):
    d = services.distribution_create(by=users["worker"], title="发放",
                                     lines=[(school["room"], items["语文作业本"], 5)])
    client.force_login(users["auditor"])
    assert client.get(reverse("assets:distribution_detail", args=[d.pk])).status_code == 200
    client.force_login(users["teacher"])
    assert client.get(reverse("assets:distribution_detail", args=[d.pk])).status_code == 403


def test_a_draft_is_edited_through_the_same_grid(users, school, items, client):
    d = services.distribution_create(by=users["worker"], title="发放",
                                     lines=[(school["room"], items["语文作业本"], 5)])
    client.force_login(users["worker"])
    page = client.get(reverse("assets:distribution_edit", args=[d.pk]))
    assert 'value="5"' in page.content.decode()
    data = grid(school, items, ["6", "", "", "7"], version=d.version, submit_token="")
    data["items"] = [items["语文作业本"].pk, items["数学作业本"].pk]
    client.post(reverse("assets:distribution_edit", args=[d.pk]), data)
    assert sorted(d.lines.values_list("item__name", "quantity")) == [("数学作业本", 7), ("语文作业本", 6)]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_sign_for_sheet_lists_each_class_with_a_signature_column(users, school, items, client, tmp_path):
    r1, r2 = school["rooms"]
    d = services.distribution_create(by=users["worker"], title="秋季开学作业本发放", lines=[
        (r1, items["语文作业本"], 90), (r1, items["数学作业本"], 88), (r2, items["语文作业本"], 92)])
    services.distribution_issue(distribution_id=d.pk, by=users["worker"])
    client.force_login(users["worker"])
    response = client.get(reverse("assets:distribution_sheet", args=[d.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("秋季开学作业本发放", "实验小学", "本学期", "一(1)班", "一(2)班", "语文作业本", "数学作业本",
                     "90 本", "88 本", "92 本", "Class teacher", "Issued by (signature)"):
        assert expected in text, expected
    assert text.index("一(1)班") < text.index("一(2)班")
