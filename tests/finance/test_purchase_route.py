"""A purchase's approval route is fixed when it is submitted: a later change of the limits does not
re-route requests in flight; the route is shown on the request; requests submitted before the route was
stored get theirs from their approvals and status."""
import importlib
import pkgutil
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

import finance.migrations
from finance.models import Approval, FinanceSettings, PurchaseRequest
from finance.services import purchases as services

from ._purchases import draft, submitted

S = PurchaseRequest.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def limits(school):
    return FinanceSettings.get()  # head 2,000; principal 20,000; quotes above 5,000


def _set(limits, **values):
    for name, value in values.items():
        setattr(limits, name, Decimal(value))
    limits.save()


def decide(p, user, decision="approved", comment=""):
    return services.purchase_decide(request_id=p.pk, by=user, decision=decision, comment=comment)


def test_the_route_is_fixed_when_the_request_is_submitted(users, limits):
    d = draft(users["teacher"], "3000")
    assert d.route == []
    p = services.purchase_submit(request_id=d.pk, by=users["teacher"])
    assert p.route == ["head", "principal"]
    p.refresh_from_db()
    assert p.route == ["head", "principal"] and p.route_labels == ["Head of logistics", "Principal (一支笔)"]


def test_raising_the_heads_limit_later_does_not_skip_the_principal(users, limits):
    p = submitted(users["teacher"], "3000")
    _set(limits, purchase_head_limit="5000")
    p = decide(p, users["head"])
    assert p.status == S.AWAITING_PRINCIPAL
    p = decide(p, users["principal"])
    assert p.status == S.APPROVED


def test_lowering_the_limits_later_adds_no_step(users, limits):
    p = submitted(users["teacher"], "1500")
    _set(limits, purchase_head_limit="1000", purchase_principal_limit="1200")
    p = decide(p, users["head"])
    assert p.status == S.APPROVED
    assert [a.step for a in p.approvals.all()] == ["head"]


def test_a_returned_request_takes_the_route_of_its_new_submission(users, limits):
    p = submitted(users["teacher"], "1500")
    decide(p, users["head"], "returned", "再核一下数量")
    _set(limits, purchase_head_limit="1000")
    p = services.purchase_submit(request_id=p.pk, by=users["teacher"])
    assert p.route == ["head", "principal"]


def test_the_request_page_shows_its_fixed_route(users, limits, client):
    p = submitted(users["teacher"], "3000")
    _set(limits, purchase_head_limit="5000")
    client.force_login(users["teacher"])
    page = client.get(reverse("finance:purchase_detail", args=[p.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    route = page.content.decode().split('data-testid="route"')[1].split("</span>")[0]
    assert "Head of logistics → Principal" in route


def test_a_draft_shows_the_route_it_would_take_if_sent_now(users, limits, client):
    d = draft(users["teacher"], "3000")
    client.force_login(users["teacher"])
    page = client.get(reverse("finance:purchase_detail", args=[d.pk]), HTTP_ACCEPT_LANGUAGE="en")
    route = page.content.decode().split('data-testid="route"')[1].split("</span>")[0]
    assert "Route if sent now" in route and "Head of logistics → Principal" in route


def _fill_routes():
    name = next(m.name for m in pkgutil.iter_modules(finance.migrations.__path__) if m.name.endswith("_purchase_route"))
    return importlib.import_module(f"finance.migrations.{name}").fill_routes


def test_requests_submitted_before_routes_were_stored_get_theirs_from_approvals_and_status(users, limits):
    at_principal = decide(submitted(users["teacher"], "3000"), users["head"])
    done = decide(decide(submitted(users["teacher"], "3000"), users["head"]), users["principal"])
    waiting = submitted(users["teacher"], "30000")
    still_draft = draft(users["teacher"], "3000")
    PurchaseRequest.objects.update(route=[])
    _set(limits, purchase_head_limit="50000", purchase_principal_limit="60000")  # today's limits would say: head only

    _fill_routes()(apps, None)

    routes = dict(PurchaseRequest.objects.values_list("pk", "route"))
    assert routes[at_principal.pk] == ["head", "principal"]
    assert routes[done.pk] == ["head", "principal"]
    assert routes[waiting.pk] == ["head"]  # still at the first step: today's limits complete it
    assert routes[still_draft.pk] == []
    assert Approval.objects.count() == 3
