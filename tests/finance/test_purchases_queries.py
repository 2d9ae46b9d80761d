"""The inbox, the list and the budget page cost the same number of queries with 2 or 30 requests."""
import pytest
from django.urls import reverse

from finance.services import purchases as services

from ._purchases import line, submitted


def make(users, n, waiting_for="head"):
    lines = [line(f"线{i}", "1000000") for i in range(3)]
    for i in range(n):
        p = submitted(users["teacher"] if i % 2 else users["teacher2"], "9000", title=f"采购{i}",
                      budget_line=lines[i % 3])
        for v in ("甲", "乙", "丙"):
            services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor=f"{v}{i}", amount="8000")
        if waiting_for == "principal":
            services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved", comment="同意")


@pytest.mark.parametrize("n", [2, 30])
def test_principal_inbox_queries_do_not_grow(users, school, client, django_assert_max_num_queries, n):
    make(users, n, "principal")
    client.force_login(users["principal"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("finance:purchase_inbox")).content.decode()
    assert page.count('name="decision" value="approved"') == min(n, 25)  # the inbox shows 25 a page


@pytest.mark.parametrize("n", [2, 30])
def test_purchase_list_queries_do_not_grow(users, school, client, django_assert_max_num_queries, n):
    make(users, n)
    client.force_login(users["auditor"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("finance:purchase_list")).content.decode()
    assert f"采购{n - 1}" in page


@pytest.mark.parametrize("n", [2, 30])
def test_budget_list_queries_do_not_grow(users, school, client, django_assert_max_num_queries, n):
    make(users, n)
    client.force_login(users["finance"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("finance:budget_list")).status_code == 200
