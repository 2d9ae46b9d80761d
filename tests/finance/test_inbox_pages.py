"""The approvals inbox shows 25 requests a page, oldest first; its heading counts and sums all that wait."""
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import PurchaseRequest
from finance.selectors.purchases import INBOX_PAGE_SIZE

from ._purchases import line, submitted

pytestmark = pytest.mark.usefixtures("english_pages")


def test_the_inbox_is_paginated_and_its_heading_covers_every_waiting_request(users, school, client,
                                                                             django_assert_max_num_queries):
    budget = line("线", "1000000")
    for i in range(INBOX_PAGE_SIZE + 5):
        submitted(users["teacher"] if i % 2 else users["teacher2"], "100", title=f"采购{i:02d}", budget_line=budget)
    waiting = PurchaseRequest.objects.filter(status=PurchaseRequest.Status.AWAITING_HEAD).order_by("submitted_at",
                                                                                                     "pk")
    assert waiting.count() == 30
    client.force_login(users["head"])

    first = client.get(reverse("finance:purchase_inbox"))
    with django_assert_max_num_queries(15):
        second = client.get(reverse("finance:purchase_inbox"), {"page": 2})

    numbers = list(waiting.values_list("number", flat=True))
    page_one, page_two = first.content.decode(), second.content.decode()
    assert [n for n in numbers if n in page_one] == numbers[:25]
    assert [n for n in numbers if n in page_two] == numbers[25:]
    for page in (page_one, page_two):
        assert "30 requests, ¥3,000.00 in all" in page
        assert "Page" in page and "of 2" in page
    assert second.context["total"] == Decimal("3000.00")
