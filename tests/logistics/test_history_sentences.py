# ruff: noqa: F811 - the stock fixture is imported from the stocktake service tests and used as a parameter
"""Every history row reads as a sentence in the reader's language: on record pages, in lists that show
stored reasons, and in the admin's history view (issue 8)."""
import re
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from assets import services as asset_services
from assets.models import RepairRequest, Stocktake, StocktakeLine
from finance.models import BudgetLine, LedgerEntry
from finance.services import procurement as ledger_services
from finance.services import purchases as purchase_services
from logistics.history import history_reason, history_timeline, reason_text

from ..assets.test_stocktake_services import check_and_sign, stock  # noqa: F401
from ..finance._purchases import line, submitted

LEAKS = ('{"m"', "{&quot;m&quot;", "%(", "None")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(client, user, url, lang="zh-hans"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def history_of(html):
    """The page's history section (includes/timeline.html), as text without tags."""
    match = re.search(r'<section class="card history">(.*?)</section>', html, re.S)
    assert match, "the page shows no history"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def assert_sentences(text):
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} in {text!r}"


# --- the kernel --------------------------------------------------------------------------------------

def test_a_choice_label_in_a_reason_reads_in_the_reader_language():
    from finance.models import Approval
    with translation.override("zh-hans"):  # written by a Chinese-speaking approver
        raw = history_reason("approved (%(step)s)", step=Approval.Step.HEAD.label)
    with translation.override("en"):
        assert reason_text(raw) == "approved (Head of logistics)"
    with translation.override("zh-hans"):
        assert reason_text(raw) == "批准（后勤主任）"


def test_several_reasons_on_one_value_read_one_after_another():
    raw = "\n".join([history_reason("moved to %(place)s", place="二(1)班"),
                     history_reason("repair %(number)s opened", number="WX-2026-00001")])
    with translation.override("en"):
        assert reason_text(raw) == "moved to 二(1)班; repair WX-2026-00001 opened"
    assert reason_text("a note\nof two lines") == "a note\nof two lines"  # plain text stays as it is


def test_a_translation_naming_a_missing_param_falls_back_to_a_sentence():
    raw = '{"m": "moved to %(place)s", "p": {"where": "二(1)班"}}'
    with translation.override("zh-hans"):
        assert "%(" not in reason_text(raw)


def test_a_lazy_param_is_stored_untranslated():
    with translation.override("zh-hans"):
        raw = history_reason("approved (%(step)s)", step=gettext_lazy("Head of logistics"))
    assert "后勤主任" not in raw and '"t": ["step"]' in raw


# --- record pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_asset_page_shows_stocktake_follow_ups_and_moves_as_sentences(users, stock, client, lang):
    a = stock["assets"]
    stocktake = asset_services.stocktake_open(by=users["head"], name="期末清查", kind=Stocktake.Kind.TERM_END)
    check_and_sign(stocktake, users["worker"], overrides={
        stock["r1"].pk: {a["projector"]: {"outcome": StocktakeLine.Outcome.MOVED, "moved_to": stock["r2"]}}})
    asset_services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    assert StocktakeLine.objects.get(asset=a["projector"]).follow_up.startswith('{"m"')
    html = page(client, users["head"], reverse("assets:asset_detail", args=[a["projector"].pk]), lang)
    assert '{"m"' not in html and "{&quot;m&quot;" not in html and "%(" not in html
    assert_sentences(history_of(html))
    moved = "移至" if lang == "zh-hans" else "moved to"
    assert moved in html and "一(2)班" in history_of(html)


@pytest.mark.parametrize(("lang", "approved"), [("zh-hans", "陈主任 批准（后勤主任）"),
                                                ("en", "陈主任 approved (Head of logistics)")])
def test_an_approval_names_the_approver_once(users, client, lang, approved):
    p = submitted(users["teacher"], "1500", budget_line=line())
    purchase_services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved")
    text = history_of(page(client, users["head"], reverse("finance:purchase_detail", args=[p.pk]), lang))
    assert_sentences(text)
    assert approved in text and "陈主任 陈主任" not in text


@pytest.mark.parametrize(("lang", "taken"), [("zh-hans", "李师傅 接单"), ("en", "李师傅 took it on")])
def test_a_repair_taken_names_the_worker_once(users, school, client, lang, taken):
    repair = asset_services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                          title="灯不亮")
    asset_services.repair_take(request_id=repair.pk, worker=users["worker2"])
    text = history_of(page(client, users["head"], reverse("assets:repair_detail", args=[repair.pk]), lang))
    assert_sentences(text)
    assert taken in text and "李师傅 李师傅" not in text


@pytest.mark.parametrize(("lang", "words"), [("zh-hans", ["孙会计 修改", "预算（元）: ¥100,000.00 → ¥120,000.00"]),
                                             ("en", ["孙会计 changed", "budget (yuan): ¥100,000.00 → ¥120,000.00"])])
def test_a_budget_line_page_shows_who_changed_what(users, client, lang, words):
    budget = BudgetLine.objects.get(pk=line().pk)
    budget.amount = Decimal("120000")
    budget._history_user = users["finance"]  # as the admin saves it
    budget.save()
    text = history_of(page(client, users["finance"], reverse("finance:budget_detail", args=[budget.pk]), lang))
    assert_sentences(text)
    for word in words:
        assert word in text


@pytest.mark.parametrize(("lang", "words"), [("zh-hans", ["孙会计 修改", "凭证号: — → 记-12"]),
                                             ("en", ["孙会计 changed", "voucher number: — → 记-12"])])
def test_a_ledger_entry_page_shows_who_changed_what_and_is_linked_from_the_ledger(users, client, lang, words):
    entry = ledger_services.ledger_entry_add(
        by=users["finance"], date=timezone.localdate(), direction=LedgerEntry.Direction.EXPENSE,
        category=LedgerEntry.Category.OFFICE, amount="80", description="墨盒")
    entry = LedgerEntry.objects.get(pk=entry.pk)  # as the admin saves it: no reason
    entry.voucher_number = "记-12"
    entry._history_user = users["finance"]
    entry.save()
    url = reverse("finance:ledger_entry", args=[entry.pk])
    assert url in page(client, users["finance"], reverse("finance:ledger"), lang)
    html = page(client, users["finance"], url, lang)
    assert "墨盒" in html
    text = history_of(html)
    assert_sentences(text)
    for word in words:
        assert word in text


def test_the_ledger_entry_page_is_for_those_who_read_the_ledger(users, client):
    entry = ledger_services.ledger_entry_add(
        by=users["finance"], date=timezone.localdate(), direction=LedgerEntry.Direction.EXPENSE,
        category=LedgerEntry.Category.OFFICE, amount="80", description="墨盒")
    client.force_login(users["teacher"])
    assert client.get(reverse("finance:ledger_entry", args=[entry.pk])).status_code == 403


# --- the admin's history view ----------------------------------------------------------------------

def admin_history(client, user, model_admin_name, pk):
    html = page(client, user, reverse(f"admin:{model_admin_name}_history", args=[pk]))
    match = re.search(r'<table id="change-history".*?</table>', html, re.S)
    assert match
    return html, re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(0)))).replace(" :", ":")


@pytest.fixture
def superuser(users):
    from django.contrib.auth.models import User
    return User.objects.create_superuser("root", password="x", first_name="系统管理员")


def test_admin_history_of_an_asset_reads_as_sentences_in_chinese(users, stock, client, superuser):
    asset = stock["assets"]["projector"]
    asset.notes = "放在讲台"
    asset._history_user = users["head"]  # as the register's edit page or the admin saves it
    asset.save()
    html, text = admin_history(client, superuser, "assets_asset", asset.pk)
    assert_sentences(text)
    assert "修改内容" in text and "Changes" not in text
    assert "陈主任 修改" in text and "备注: — → 放在讲台" in text, text


def test_admin_history_of_a_repair_reads_as_sentences_in_chinese(users, school, client, superuser):
    repair = asset_services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                          title="灯不亮")
    asset_services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    html, text = admin_history(client, superuser, "assets_repairrequest", repair.pk)
    assert_sentences(text)
    assert "陈主任 派给 张师傅" in text and "王丽 提交报修" in text
    assert "状态" in text and "已派工" in text and "assigned" not in text


def test_admin_history_of_a_purchase_reads_as_sentences_in_chinese(users, client, superuser):
    p = submitted(users["teacher"], "1500", budget_line=line())
    purchase_services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved", comment="同意")
    html, text = admin_history(client, superuser, "finance_purchaserequest", p.pk)
    assert_sentences(text)
    assert "陈主任 批准（后勤主任）：同意" in text
    assert "审批流程: — → 后勤主任" in text  # the route's steps by their names, not ['head']
    assert "陈主任 陈主任" not in text


def test_a_deleted_person_or_an_empty_value_never_reads_none(users, school, client, superuser):
    repair = asset_services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                          title="灯不亮")
    repair = RepairRequest.objects.get(pk=repair.pk)
    repair.title = "灯不亮了"
    repair.save()  # no user, no reason: "系统 修改"
    with translation.override("zh-hans"):
        assert history_timeline(repair)[-1]["who"] == "系统"
    html, text = admin_history(client, superuser, "assets_repairrequest", repair.pk)
    assert_sentences(text)
    assert "系统 修改" in text


# --- every reason a service writes ----------------------------------------------------------------

def _reason_msgids():
    """Every msgid marked gettext_noop in the modules' code: the stored history reasons and notes."""
    import ast
    import pathlib
    root = pathlib.Path(settings.BASE_DIR)
    found = {}
    for app in ("logistics", "assets", "finance", "canteen", "safety"):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    found.setdefault(node.args[0].value, f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_stored_reason_reads_in_chinese_with_the_same_params():
    msgids = _reason_msgids()
    assert "reported" in msgids and "approved (%(step)s)" in msgids
    names = re.compile(r"%\((\w+)\)s")
    wrong = []
    with translation.override("zh-hans"):
        for msgid, where in msgids.items():
            chinese = translation.gettext(msgid)
            if chinese == msgid or set(names.findall(chinese)) != set(names.findall(msgid)):
                wrong.append(f"{where}: {msgid!r} -> {chinese!r}")
    assert not wrong, "\n".join(wrong)


def test_no_reason_names_the_person_who_took_the_step():
    """The row says who ("陈志刚 批准（后勤主任）"); a reason "approved by %(name)s" would say it twice."""
    doubled = [f"{where}: {m}" for m, where in _reason_msgids().items()
               if re.search(r"\b(by|taken by|accepted by|recorded by) %\((name|who)\)s", m)]
    assert not doubled, doubled
