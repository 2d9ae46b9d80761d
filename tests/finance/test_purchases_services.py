"""Purchase requests up to approval: routing by amount, quotes, budget lines, refusals and history."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from finance.models import Approval, BudgetLine, FinanceSettings, PurchaseItem, PurchaseRequest, Purpose
from finance.selectors.purchases import budget_figures
from finance.services import purchases as services

from ._purchases import dept, draft, item, line, reasons, submitted, three_quotes

S = PurchaseRequest.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def profile(school):
    return FinanceSettings.get()  # head 2,000; principal 20,000; quotes above 5,000


def decide(p, user, decision="approved", comment=""):
    return services.purchase_decide(request_id=p.pk, by=user, decision=decision, comment=comment)


def meeting(p, user, **kw):
    args = {"meeting_date": timezone.localdate(), "minute": "校务会〔2026〕3号",
            "attachment": ContentFile(b"minutes", name="minutes.txt")}
    args.update(kw)
    return services.purchase_record_meeting(request_id=p.pk, by=user, **args)


# --- drafts and numbers --------------------------------------------------------------------

def test_a_draft_gets_a_number_and_its_total_from_the_items(users):
    p = services.purchase_create(
        by=users["teacher"], department=dept(),
        title="饮水机", reason="漏水", purpose=Purpose.OFFICE, budget_line=line(),
        items=[item("饮水机", 2, "850.50"), item("滤芯", 10, "30", kind="supply")])
    assert p.number == f"CG-{timezone.localdate().year}-00001"
    assert p.status == S.DRAFT and p.estimated_total == Decimal("2001.00")
    assert PurchaseItem.objects.filter(request=p).count() == 2
    assert draft(users["teacher"]).number.endswith("-00002")
    assert reasons(p) == ["drafted"]


def test_the_same_form_twice_makes_one_request(users):
    token = "2b1f6c8e-3a44-4d6f-9a55-0b1c2d3e4f50"
    a = draft(users["teacher"], submit_token=token)
    b = draft(users["teacher"], submit_token=token)
    assert a.pk == b.pk and b.was_duplicate
    assert PurchaseRequest.objects.count() == 1


@pytest.mark.parametrize("bad", [
    item(qty=0), item(qty=-3), item(price="0"), item(price="-5"), item(price="1e12"), item(qty=10**9),
    item(price="12.345"), item(name=""), item(price="abc"), item(price="NaN"),
])
def test_bad_items_are_refused_and_nothing_is_saved(users, bad):
    with pytest.raises(ValidationError):
        services.purchase_create(by=users["teacher"], department=dept(), title="x", reason="y", purpose=Purpose.OFFICE,
                                 budget_line=line(), items=[bad])
    assert not PurchaseRequest.objects.exists()


def test_a_huge_total_is_refused(users):
    with pytest.raises(ValidationError, match="too large"):
        draft(users["teacher"], total="99999999", title="a")  # one item alone is fine …
        services.purchase_update(request_id=PurchaseRequest.objects.get().pk, by=users["teacher"],
                                 department=PurchaseRequest.objects.get().department, title="a", reason="b",
                                 purpose=Purpose.OFFICE, items=[item(price="99999999"), item(price="99999999")])


def test_only_the_requester_edits_and_only_while_draft_or_returned(users):
    p = draft(users["teacher"])
    kwargs = {"department": p.department, "title": "新标题", "reason": "r", "purpose": Purpose.OFFICE,
              "budget_line": p.budget_line, "items": [item(price="500")]}
    with pytest.raises(PermissionDenied):
        services.purchase_update(request_id=p.pk, by=users["teacher2"], **kwargs)
    p = services.purchase_update(request_id=p.pk, by=users["teacher"], **kwargs)
    assert p.estimated_total == Decimal("500.00") and p.title == "新标题"
    services.purchase_submit(request_id=p.pk, by=users["teacher"])
    with pytest.raises(ValidationError):
        services.purchase_update(request_id=p.pk, by=users["teacher"], **kwargs)


# --- routing -------------------------------------------------------------------------------

def test_up_to_the_head_limit_the_head_alone_approves(users):
    p = submitted(users["teacher"], "2000")
    assert p.status == S.AWAITING_HEAD
    p = decide(p, users["head"], comment="同意")
    assert p.status == S.APPROVED
    assert list(p.approvals.values_list("step", "decision", "by__username")) == [("head", "approved", "head")]
    assert reasons(p)[-1] == "approved (Head of logistics): 同意"  # the row's who is 陈主任


def test_up_to_the_principal_limit_the_head_then_the_principal(users):
    p = submitted(users["teacher"], "2000.01")
    p = decide(p, users["head"])
    assert p.status == S.AWAITING_PRINCIPAL
    p = decide(p, users["principal"])
    assert p.status == S.APPROVED
    assert [a.step for a in p.approvals.all()] == ["head", "principal"]


def test_above_the_principal_limit_the_meeting_resolution_approves(users, profile):
    profile.quotes_required_above = Decimal("50000")
    profile.save()
    p = submitted(users["teacher"], "20000.01")
    p = decide(decide(p, users["head"]), users["principal"])
    assert p.status == S.AWAITING_MEETING
    with pytest.raises(ValidationError, match="meeting"):
        decide(p, users["principal"])
    with pytest.raises(ValidationError):
        meeting(p, users["principal"], minute="")
    with pytest.raises(ValidationError):
        meeting(p, users["principal"], attachment=None)
    with pytest.raises(ValidationError):
        meeting(p, users["principal"], meeting_date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        meeting(p, users["finance"])
    p = meeting(p, users["principal"])
    assert p.status == S.APPROVED and p.meeting_minute == "校务会〔2026〕3号" and p.meeting_attachment
    assert [a.step for a in p.approvals.all()] == ["head", "principal", "meeting"]
    assert "approval of the school-affairs meeting" in reasons(p)[-1]


def test_limits_come_from_the_school_profile(users, profile):
    profile.purchase_head_limit = Decimal("500")
    profile.save()
    p = decide(submitted(users["teacher"], "600"), users["head"])
    assert p.status == S.AWAITING_PRINCIPAL


# --- who decides ---------------------------------------------------------------------------

def test_the_requester_never_approves_their_own_request(users):
    p = submitted(users["head"], "100")
    with pytest.raises(PermissionDenied, match="own request"):
        decide(p, users["head"])
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.AWAITING_HEAD


@pytest.mark.parametrize("who", ["principal", "finance", "teacher2", "worker", "auditor"])
def test_only_the_head_decides_the_head_step(users, who):
    p = submitted(users["teacher"], "100")
    with pytest.raises(PermissionDenied):
        decide(p, users[who])
    assert not Approval.objects.exists()


@pytest.mark.parametrize("who", ["head", "finance", "auditor"])
def test_only_the_principal_decides_the_principal_step(users, who):
    p = decide(submitted(users["teacher"], "3000"), users["head"])
    with pytest.raises(PermissionDenied):
        decide(p, users[who])
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.AWAITING_PRINCIPAL


def test_one_person_does_not_sign_two_steps(users):
    from django.contrib.auth.models import Group
    users["head"].groups.add(Group.objects.get(name="principal"))
    from django.contrib.auth.models import User
    both = User.objects.get(pk=users["head"].pk)
    p = decide(submitted(users["teacher"], "3000"), both)
    with pytest.raises(PermissionDenied, match="earlier step"):
        decide(p, both)


def test_reject_and_return_need_a_comment(users):
    p = submitted(users["teacher"], "100")
    for decision in ("rejected", "returned"):
        with pytest.raises(ValidationError, match="Say why"):
            decide(p, users["head"], decision, "  ")
    assert not Approval.objects.exists()


def test_rejected_is_final_and_returned_can_be_changed_and_sent_again(users):
    p = decide(submitted(users["teacher"], "100"), users["head"], "returned", "请写明规格")
    assert p.status == S.RETURNED
    assert reasons(p)[-1] == "returned for changes (Head of logistics): 请写明规格"
    p = services.purchase_submit(request_id=p.pk, by=users["teacher"])
    assert p.status == S.AWAITING_HEAD and reasons(p)[-1] == "submitted again after changes"
    p = decide(p, users["head"], "rejected", "不需要")
    assert p.status == S.REJECTED
    with pytest.raises(ValidationError):
        decide(p, users["head"])
    with pytest.raises(ValidationError):
        services.purchase_submit(request_id=p.pk, by=users["teacher"])


def test_a_stale_page_decides_nothing(users):
    p = submitted(users["teacher"], "100")
    old = p.version
    decide(p, users["head"])
    # The head decided on another page himself: the message says so, not "someone else".
    with pytest.raises(ValidationError, match="You changed this purchase request on another page"):
        services.purchase_decide(request_id=p.pk, by=users["head"], decision="rejected", comment="x",
                                 expected_version=old)
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.purchase_decide(request_id=p.pk, by=users["principal"], decision="rejected", comment="x",
                                 expected_version=old)
    assert Approval.objects.count() == 1


def test_the_requester_cancels_before_approval_only(users):
    p = submitted(users["teacher"], "100")
    with pytest.raises(PermissionDenied):
        services.purchase_cancel(request_id=p.pk, by=users["teacher2"])
    p = services.purchase_cancel(request_id=p.pk, by=users["teacher"], reason="不需要了")
    assert p.status == S.CANCELLED and reasons(p)[-1] == "cancelled by the requester: 不需要了"
    q = decide(submitted(users["teacher"], "100"), users["head"])
    with pytest.raises(ValidationError):
        services.purchase_cancel(request_id=q.pk, by=users["teacher"])


def test_submitting_needs_a_budget_line(users):
    p = services.purchase_create(by=users["teacher"], department=dept(), title="x", reason="y", purpose=Purpose.OFFICE,
                                 items=[item()])
    with pytest.raises(ValidationError, match="budget line"):
        services.purchase_submit(request_id=p.pk, by=users["teacher"])


# --- quotes --------------------------------------------------------------------------------

def test_above_the_quotes_limit_three_quotes_are_needed_before_the_request_is_sent(users):
    p = draft(users["teacher"], "9800")
    with pytest.raises(ValidationError, match="three quotes from three vendors are needed before approval; "
                                              "this request has 0") as err:
        services.purchase_submit(request_id=p.pk, by=users["teacher"])
    assert err.value.code == "missing"
    services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="甲公司", amount="9000")
    with pytest.raises(ValidationError, match="this request has 1"):
        services.purchase_submit(request_id=p.pk, by=users["teacher"])
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.DRAFT
    services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="乙公司", amount="8800")
    services.purchase_quote_add(request_id=p.pk, by=users["teacher"], vendor="丙公司", amount="9700")
    p.refresh_from_db()
    assert p.chosen_quote.vendor == "乙公司"  # the cheapest, by default
    p = services.purchase_submit(request_id=p.pk, by=users["teacher"])
    p = decide(p, users["head"])
    assert p.status == S.AWAITING_PRINCIPAL
    assert "quote from 乙公司: ¥8,800.00" in reasons(p)


def test_the_head_cannot_approve_when_the_limit_was_lowered_after_sending(users, profile):
    p = submitted(users["teacher"], "3000")
    profile.quotes_required_above = 1000
    profile.save()
    assert p.approve_gaps(users["head"], profile)
    with pytest.raises(ValidationError, match="three quotes"):
        decide(p, users["head"])
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.AWAITING_HEAD


def test_the_same_vendor_cannot_quote_twice(users):
    p = draft(users["teacher"], "9800")
    services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="甲公司", amount="9000")
    with pytest.raises(ValidationError, match="three different vendors"):
        services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor=" 甲公司 ", amount="8000")
    assert p.quotes.count() == 1


@pytest.mark.parametrize("amount", ["0", "-1", "1e13"])
def test_a_quote_must_have_a_sensible_amount(users, amount):
    p = draft(users["teacher"], "9800")
    with pytest.raises(ValidationError):
        services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="甲公司", amount=amount)


def test_others_cannot_add_quotes(users):
    p = draft(users["teacher"], "9800")
    with pytest.raises(PermissionDenied):
        services.purchase_quote_add(request_id=p.pk, by=users["teacher2"], vendor="甲公司", amount="9000")


def test_choosing_other_than_the_cheapest_needs_a_reason(users):
    p = draft(users["teacher"], "9800")
    three_quotes(p, users["worker"])
    dear = p.quotes.get(vendor="丙公司")
    with pytest.raises(ValidationError, match="not the cheapest"):
        services.purchase_choose_quote(request_id=p.pk, by=users["worker"], quote_id=dear.pk)
    p = services.purchase_choose_quote(request_id=p.pk, by=users["worker"], quote_id=dear.pk, reason="售后近")
    assert p.chosen_quote_id == dear.pk and p.choice_reason == "售后近"
    assert reasons(p)[-1] == "chose the quote from 丙公司: 售后近"
    # A later, cheaper quote does not undo a reasoned choice.
    services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="丁公司", amount="100")
    assert PurchaseRequest.objects.get(pk=p.pk).chosen_quote_id == dear.pk


def test_no_quotes_after_the_head_approved(users):
    p = decide(submitted(users["teacher"], "3000"), users["head"])
    with pytest.raises(ValidationError):
        services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="甲公司", amount="9000")


# --- budget lines --------------------------------------------------------------------------

def test_an_earmarked_line_takes_only_its_purpose(users):
    books = line("专项 图书", "30000", BudgetLine.Kind.EARMARKED, Purpose.BOOKS)
    with pytest.raises(ValidationError, match="earmarked"):
        draft(users["teacher"], budget_line=books, purpose=Purpose.OFFICE)
    p = submitted(users["teacher"], "500", budget_line=books, purpose=Purpose.BOOKS)
    assert decide(p, users["head"]).status == S.APPROVED


def test_approving_beyond_the_remaining_money_is_refused(users):
    small = line("自筹 绿化", "3000", BudgetLine.Kind.SELF)
    first = decide(submitted(users["teacher"], "1800", budget_line=small), users["head"])
    assert first.status == S.APPROVED
    second = submitted(users["teacher"], "1500", budget_line=small)
    with pytest.raises(ValidationError, match="¥1,200.00 left"):
        decide(second, users["head"])
    second.refresh_from_db()
    assert second.status == S.AWAITING_HEAD and not second.approvals.exists()


def test_the_school_may_allow_overspending_with_a_warning(users, profile):
    profile.allow_overspend = True
    profile.save()
    small = line("自筹 绿化", "1000", BudgetLine.Kind.SELF)
    p = decide(submitted(users["teacher"], "1500", budget_line=small), users["head"])
    assert p.status == S.APPROVED and "1,000.00" in p.overspend_warning
    assert budget_figures([small])[small.pk]["remaining"] == Decimal("-500.00")


def test_budget_figures_count_committed_and_spent_by_the_rule(users):
    office = line(amount="10000")
    approved = decide(submitted(users["teacher"], "1000", budget_line=office), users["head"])
    ordered = decide(submitted(users["teacher"], "1500", budget_line=office), users["head"])
    PurchaseRequest.objects.filter(pk=ordered.pk).update(status=S.ORDERED, order_total=Decimal("1400"))
    paid = decide(submitted(users["teacher"], "2000", budget_line=office), users["head"])
    PurchaseRequest.objects.filter(pk=paid.pk).update(status=S.PAID, order_total=Decimal("1900"),
                                                      accepted_total=Decimal("1850"))
    submitted(users["teacher"], "700", budget_line=office)  # waiting: not committed
    assert approved.status == S.APPROVED
    assert budget_figures([office])[office.pk] == {
        "budget": Decimal("10000.00"), "committed": Decimal("2400.00"), "spent": Decimal("1850.00"),
        "remaining": Decimal("5750.00")}
