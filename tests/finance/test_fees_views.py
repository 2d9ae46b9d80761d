"""Fee pages: finance enters and edits, head/principal/auditor read, parents see the notice by its link."""
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FeeItem, FeeSpending
from finance.services import fees as services
from logistics.models import Location, SchoolProfile

from ._fees import make_fee


@pytest.fixture
def finance(users):
    return users["finance"]


@pytest.fixture
def fee(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本采购",
                              amount=Decimal("1000.00"))
    return fee


def _pdf_text(data, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("who", ["finance", "head", "principal", "auditor"])
def test_finance_and_readers_see_the_list_and_the_fee(users, login, fee, who):
    client = login(users[who])
    assert "作业本费" in client.get(reverse("finance:fee_list")).content.decode()
    page = client.get(reverse("finance:fee_detail", args=[fee.pk])).content.decode()
    assert "作业本采购" in page and "¥1,230.00" in page


@pytest.mark.parametrize("who", ["teacher", "worker"])
def test_staff_cannot_see_fees(users, login, fee, who):
    client = login(users[who])
    assert client.get(reverse("finance:fee_list")).status_code == 403
    assert client.get(reverse("finance:fee_detail", args=[fee.pk])).status_code == 403


def test_readers_see_no_editing_controls_and_cannot_post(users, login, fee):
    client = login(users["head"])
    page = client.get(reverse("finance:fee_detail", args=[fee.pk])).content.decode()
    assert reverse("finance:fee_settle", args=[fee.pk]) not in page
    assert reverse("finance:fee_classes", args=[fee.pk]) not in page
    assert client.post(reverse("finance:fee_settle", args=[fee.pk])).status_code == 403
    assert client.post(reverse("finance:fee_publish", args=[fee.pk])).status_code == 403
    assert client.get(reverse("finance:fee_classes", args=[fee.pk])).status_code == 403
    fee.refresh_from_db()
    assert fee.settled_at is None and not fee.published


def test_finance_creates_a_fee_through_the_form(login, finance, school):
    client = login(finance)
    response = client.post(reverse("finance:fee_new"), {
        "term": school["term"].pk, "name": "作业本费", "amount_per_pupil": "15.00", "description": "作业本",
        "policy": "低保免收"})
    fee = FeeItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:fee_classes", args=[fee.pk])
    response = client.post(reverse("finance:fee_classes", args=[fee.pk]), {
        f"c{school['rooms'][0].pk}_pupils": 42, f"c{school['rooms'][0].pk}_exempt": 2,
        f"c{school['rooms'][0].pk}_collected": "600.00",
        f"c{school['rooms'][1].pk}_pupils": 0, f"c{school['rooms'][1].pk}_exempt": 0,
        f"c{school['rooms'][1].pk}_collected": "0"})
    assert response.status_code == 302
    assert [(c.location.name, c.pupils) for c in fee.classes.all()] == [("一(1)班", 42)]


def test_bad_input_shows_errors_and_saves_nothing(login, finance, school, fee):
    client = login(finance)
    response = client.post(reverse("finance:fee_new"), {"term": school["term"].pk, "name": "x",
                                                        "amount_per_pupil": "-1"})
    assert response.status_code == 200 and FeeItem.objects.count() == 1
    room = school["room"]
    response = client.post(reverse("finance:fee_classes", args=[fee.pk]), {
        f"c{room.pk}_pupils": 10, f"c{room.pk}_exempt": 12, f"c{room.pk}_collected": "0",
        f"c{school['rooms'][1].pk}_pupils": 45, f"c{school['rooms'][1].pk}_exempt": 1,
        f"c{school['rooms'][1].pk}_collected": "660"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert fee.classes.get(location=room).pupils == 40
    response = client.post(reverse("finance:fee_spending_add", args=[fee.pk]),
                           {"date": "2026-01-01", "description": "纸", "amount": "0"}, follow=True)
    assert FeeSpending.objects.count() == 1
    assert list(response.context["messages"])


def test_spending_is_added_from_the_fee_page(login, finance, fee):
    client = login(finance)
    response = client.post(reverse("finance:fee_spending_add", args=[fee.pk]),
                           {"date": "2026-01-05", "description": "补订英语作业本", "amount": "42.50"})
    assert response.status_code == 302
    assert fee.spendings.filter(description="补订英语作业本", amount=Decimal("42.50")).exists()
    assert client.get(reverse("finance:fee_spending_add", args=[fee.pk])).status_code == 405


def test_public_page_only_when_published_and_never_for_a_wrong_token(client, login, finance, fee):
    url = reverse("finance:fee_public", args=[fee.public_token])
    assert client.get(url).status_code == 404
    login(finance).post(reverse("finance:fee_publish", args=[fee.pk]), {"action": "publish"})
    client.logout()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "作业本费" in page and "15.00" in page and "12358" in page and "作业本采购" in page
    assert "低保家庭免收" in page and "¥1,230.00" in page
    assert "孙会计" not in page  # no one's name, neither staff nor pupils
    assert response["X-Robots-Tag"].startswith("noindex")
    wrong = "0" * 32 if fee.public_token != "0" * 32 else "1" * 32
    assert client.get(reverse("finance:fee_public", args=[wrong])).status_code == 404
    assert client.get(reverse("finance:fee_public", args=[fee.public_token[:-1]])).status_code == 404
    assert client.get(f"/notice/{fee.pk}/").status_code == 404
    login(finance).post(reverse("finance:fee_publish", args=[fee.pk]), {"action": "unpublish"})
    client.logout()
    assert client.get(url).status_code == 404


def test_public_page_shows_no_pupil_names(client, finance, school, fee, users):
    # aid applicants exist in the same classes: none of their names may leak onto the fee notice
    from finance.services.fees import aid_submit
    aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明", location=school["room"],
               category="hardship", amount=Decimal("500"))
    services.fee_publish(fee_id=fee.pk, by=finance)
    page = client.get(reverse("finance:fee_public", args=[fee.public_token])).content.decode()
    assert "张小明" not in page and "张*明" not in page
    assert "一(1)班" in page


def test_settling_from_the_page_shows_the_refund_and_is_final(login, finance, fee, client):
    c = login(finance)
    c.post(reverse("finance:fee_settle", args=[fee.pk]))
    fee.refresh_from_db()
    assert fee.settled_by == finance
    first_settled_at = fee.settled_at
    response = c.post(reverse("finance:fee_settle", args=[fee.pk]), follow=True)
    assert any("final" in str(m) or "清退" in str(m) or str(m) for m in response.context["messages"])
    fee.refresh_from_db()
    assert fee.settled_at == first_settled_at
    services.fee_publish(fee_id=fee.pk, by=finance)
    c.logout()
    page = client.get(reverse("finance:fee_public", args=[fee.public_token])).content.decode()
    assert 'data-testid="settlement"' in page and "2.80" in page and "229.60" in page and "0.40" in page


def test_notice_pdf_has_the_texts_parents_need(login, finance, fee, tmp_path):
    SchoolProfile.objects.update(phone="0551-1234567")
    services.fee_settle(fee_id=fee.pk, by=finance)
    response = login(finance).get(reverse("finance:fee_notice_pdf", args=[fee.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    for expected in ("实验小学", "本学期", "作业本费", "15.00", "语文、数学作业本", "低保家庭免收", "12358",
                     "¥1,230.00", "¥1,000.00", "一(1)班", "¥2.80", "¥229.60"):
        assert expected in text, expected


def test_fee_list_filters_by_term_and_status(login, finance, school, fee):
    other = make_fee(finance, school["term"], school["rooms"], name="校服费")
    services.fee_publish(fee_id=other.pk, by=finance)
    client = login(finance)
    page = client.get(reverse("finance:fee_list"), {"status": "published"}).content.decode()
    assert "校服费" in page and "作业本费" not in page
    page = client.get(reverse("finance:fee_list"), {"status": "draft", "term": school["term"].pk}).content.decode()
    assert "作业本费" in page and "校服费" not in page


def _many_fees(finance, school, n):
    rooms = school["rooms"] + [Location.objects.create(building=school["building"], name=f"{i}班",
                                                       kind=Location.Kind.CLASSROOM) for i in range(3)]
    for i in range(n):
        fee = make_fee(finance, school["term"], rooms, name=f"费{i}",
                       rows=((40, 1, "10"), (40, 1, "10"), (40, 1, "10"), (40, 1, "10"), (40, 1, "10")))
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="x",
                                  amount=Decimal("1"))


@pytest.mark.parametrize("n", [2, 12])
def test_fee_list_query_count_does_not_grow_with_rows(login, finance, school, n, django_assert_max_num_queries):
    _many_fees(finance, school, n)
    client = login(finance)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:fee_list"))
    assert response.content.decode().count('data-testid="fee-row"') == n


@pytest.mark.parametrize("n", [1, 5])
def test_fee_detail_query_count_does_not_grow_with_classes(login, finance, school, n,
                                                           django_assert_max_num_queries):
    rooms = [Location.objects.create(building=school["building"], name=f"{i}班", kind=Location.Kind.CLASSROOM)
             for i in range(n)]
    fee = make_fee(finance, school["term"], rooms, rows=[(40, 1, "10")] * n)
    for _ in range(n):
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="x",
                                  amount=Decimal("1"))
    with django_assert_max_num_queries(28):
        assert login(finance).get(reverse("finance:fee_detail", args=[fee.pk])).status_code == 200


def test_finance_corrects_a_fee_until_it_is_settled(login, finance, users, fee, school):
    client = login(finance)
    data = {"term": school["term"].pk, "name": "作业本费", "amount_per_pupil": "16.00", "description": "作业本",
            "policy": "低保家庭、残疾学生免收"}
    assert client.post(reverse("finance:fee_edit", args=[fee.pk]), data).status_code == 302
    fee.refresh_from_db()
    assert fee.amount_per_pupil == Decimal("16.00") and "残疾学生" in fee.policy
    assert "fee corrected" in fee.history.first().history_change_reason
    assert login(users["auditor"]).get(reverse("finance:fee_edit", args=[fee.pk])).status_code == 403
    services.fee_settle(fee_id=fee.pk, by=finance)
    client = login(finance)
    client.post(reverse("finance:fee_edit", args=[fee.pk]), {**data, "amount_per_pupil": "20.00"})
    fee.refresh_from_db()
    assert fee.amount_per_pupil == Decimal("16.00")
