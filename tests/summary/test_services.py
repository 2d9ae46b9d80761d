"""The summary's moves, each proved by what the database holds afterwards: start, write, arrange, remove, submit,
sign off (the document frozen), return; who may make each; and the history sentence each leaves."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from logistics.history import history_timeline
from logistics.models import SummaryChapter, TermSummary
from logistics.summary import document, services

from ._build import earlier_repair, fixed_repair, fresh, open_repair, signed, started, submitted

S = TermSummary.Status
CHAPTERS = ["routine", "finance_assets", "canteen", "safety", "outlook"]


def module_chapters():
    """The keys of the default chapters before the outlook (the modules'), in their order."""
    defaults = [c.key for c in document.default_chapters()]
    assert defaults[-1] == document.OUTLOOK
    return defaults[:-1]


def keys(summary):
    return list(summary.chapters.values_list("key", flat=True))


def chapter(summary, key):
    return SummaryChapter.objects.get(summary=summary, key=key)


def reasons(obj, lang="en"):
    with translation.override(lang):
        return [str(e["reason"]) for e in history_timeline(obj)]


def arrangement(summary, **changes):
    """rows for arrange(): every chapter as it stands, with changes {key: {"title"/"hidden"/"position": …}}."""
    out = []
    for c in summary.chapters.all():
        row = {"title": c.title, "hidden": c.hidden, "position": c.position, **changes.get(c.key, {})}
        out.append((c.pk, row["title"], row["hidden"], row["position"]))
    return out


def write(summary, key, narrative, by, title=""):
    c = chapter(summary, key)
    return services.save_chapter(c.pk, by, version=c.version, title=title, narrative=narrative)


# --- start ---------------------------------------------------------------------------------------

def test_start_makes_the_default_chapters_once(users, term):
    first = started(term, users)
    again = started(term, users)
    assert again.pk == first.pk
    assert TermSummary.objects.filter(term=term).count() == 1
    assert keys(first) == CHAPTERS
    assert first.status == S.DRAFT
    assert reasons(first) == ["started"]
    assert reasons(chapter(first, "routine")) == ["chapter added"]


def test_only_the_head_starts_a_summary(users, term):
    for who in ("principal", "teacher", "finance", "auditor"):
        with pytest.raises(PermissionDenied):
            services.start(term, users[who])
    assert not TermSummary.objects.exists()


def test_start_copies_the_arrangement_of_the_term_before_but_not_its_words(users, term, earlier):
    head = users["head"]
    before = started(earlier, users)
    write(before, "routine", "上学期的话", head)
    before = fresh(before)
    services.arrange(before.pk, head, version=before.version, add_title="校园绿化",
                     rows=arrangement(before, routine={"title": "常规管理"}, finance_assets={"hidden": True}))

    summary = started(term, users)
    assert keys(summary) == ["routine", "finance_assets", "canteen", "safety", "custom-1", "outlook"]
    copied = {c.key: (c.title, c.hidden, c.narrative) for c in summary.chapters.all()}
    assert copied == {"routine": ("常规管理", False, ""), "finance_assets": ("", True, ""),
                      "canteen": ("", False, ""), "safety": ("", False, ""), "custom-1": ("校园绿化", False, ""),
                      "outlook": ("", False, "")}
    assert reasons(summary) == ["started from the arrangement of 上学期"]


def test_a_module_chapter_missing_from_the_earlier_arrangement_joins_before_the_outlook(users, term, earlier):
    before = started(earlier, users)
    SummaryChapter.objects.filter(summary=before, key="finance_assets").delete()  # a module installed since
    summary = started(term, users)
    others = [key for key in module_chapters() if key != "finance_assets"]
    assert keys(summary) == [*others, "finance_assets", "outlook"]
    assert list(summary.chapters.values_list("position", flat=True)) == list(range(1, len(others) + 3))


# --- save_chapter ----------------------------------------------------------------------------------

def test_the_heads_words_are_stored(users, school, term):
    fixed_repair(users, school, cost="80")
    summary = started(term, users)
    saved = write(summary, "routine", "  完成维修{repairs.done}项。\n\n二是……  ", users["head"], title=" 常规工作 ")
    c = chapter(summary, "routine")
    assert (c.title, c.narrative, c.version) == ("常规工作", "完成维修{repairs.done}项。\n\n二是……", 1)
    assert saved.version == 1
    assert fresh(summary).version == summary.version + 1  # a page of the summary open before is stale now
    with translation.override("en"):
        doc = document.layout(document.collect(summary))
    routine = next(ch for ch in doc.chapters if ch.key == "routine")
    assert routine.title == "常规工作"
    assert routine.points == ["完成维修1项。", "二是……"]


def test_unknown_names_are_refused_listed_and_nothing_is_saved(users, term):
    summary = started(term, users)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        write(summary, "routine", "完成{repairs.dnoe}项，{共完成维修}项", users["head"])
    errors = refused.value.message_dict["narrative"]
    assert errors[0] == "{repairs.dnoe} is not a figure's name. Did you mean {repairs.done} (repairs done)?"
    assert errors[1].startswith("{共完成维修} is not a figure's name.")
    c = chapter(summary, "routine")
    assert (c.narrative, c.version) == ("", 0)


def test_a_stale_page_is_refused(users, term):
    summary = started(term, users)
    write(summary, "routine", "第一稿", users["head"])
    with pytest.raises(ValidationError) as refused:
        services.save_chapter(chapter(summary, "routine").pk, users["head"], version=0, title="", narrative="第二稿")
    assert refused.value.code == "stale"
    assert chapter(summary, "routine").narrative == "第一稿"


@pytest.mark.parametrize("who", ["principal", "teacher", "finance", "auditor", "worker"])
def test_only_the_head_writes(users, term, who):
    summary = started(term, users)
    with pytest.raises(PermissionDenied):
        write(summary, "routine", "我来写", users[who])
    assert chapter(summary, "routine").narrative == ""


def test_writing_a_chapter_leaves_a_sentence_with_its_title(users, term):
    summary = started(term, users)
    write(summary, "routine", "内容", users["head"])
    assert reasons(chapter(summary, "routine"))[-1] == "wrote chapter “Routine logistics”"
    assert "后勤常规管理" in reasons(chapter(summary, "routine"), "zh-hans")[-1]
    write(summary, "routine", "内容", users["head"], title="常规工作")
    assert reasons(chapter(summary, "routine"))[-1] == "wrote chapter “常规工作”"


# --- arrange -----------------------------------------------------------------------------------------

def arrange(summary, by, add_title="", **changes):
    summary = fresh(summary)
    return services.arrange(summary.pk, by, version=summary.version, rows=arrangement(summary, **changes),
                            add_title=add_title)


def test_arrange_renames_reorders_and_hides(users, term):
    summary = started(term, users)
    arrange(summary, users["head"], routine={"title": " 常规管理 ", "position": 2},
            finance_assets={"position": 1, "hidden": True})
    rest = [key for key in module_chapters() if key not in ("routine", "finance_assets")]
    assert [(c.key, c.title, c.hidden, c.position) for c in summary.chapters.all()] == [
        ("finance_assets", "", True, 1), ("routine", "常规管理", False, 2),
        *[(key, "", False, n) for n, key in enumerate([*rest, "outlook"], start=3)]]
    assert reasons(fresh(summary))[-1] == "chapters arranged"
    assert reasons(chapter(summary, "routine"))[-1] == "chapters arranged"
    with translation.override("zh-hans"):
        doc = document.layout(document.collect(summary))
    assert [(c.number, c.title) for c in doc.chapters][0] == ("一", "常规管理")


def test_arrange_adds_a_chapter_before_the_outlook(users, term):
    summary = started(term, users)
    arrange(summary, users["head"], add_title=" 校园绿化 ")
    arrange(summary, users["head"], add_title="卫生室")
    modules = module_chapters()
    n = len(modules)
    assert [(c.key, c.title, c.position) for c in summary.chapters.all()] == [
        *[(key, "", i) for i, key in enumerate(modules, start=1)],
        ("custom-1", "校园绿化", n + 1), ("custom-2", "卫生室", n + 2), ("outlook", "", n + 3)]
    assert reasons(chapter(summary, "custom-2")) == ["chapter “卫生室” added"]


def test_arrange_refuses_to_hide_every_chapter(users, term):
    summary = started(term, users)
    hide = {"hidden": True}
    with pytest.raises(ValidationError) as refused:
        arrange(summary, users["head"], routine=hide, finance_assets=hide, canteen=hide, safety=hide,
                outlook=hide)
    assert refused.value.code == "empty"
    assert not summary.chapters.filter(hidden=True).exists()


def test_arrange_refuses_a_chapter_of_the_heads_without_a_title(users, term):
    summary = started(term, users)
    arrange(summary, users["head"], add_title="校园绿化")
    with pytest.raises(ValidationError) as refused:
        arrange(summary, users["head"], **{"custom-1": {"title": "  "}, "routine": {"title": "常规"}})
    assert refused.value.code == "required"
    assert chapter(summary, "custom-1").title == "校园绿化"
    assert chapter(summary, "routine").title == ""


def test_arrange_refuses_rows_that_are_not_the_chapters(users, term):
    summary = started(term, users)
    rows = arrangement(summary)[:-1]
    with pytest.raises(ValidationError) as refused:
        services.arrange(summary.pk, users["head"], version=summary.version, rows=rows)
    assert refused.value.code == "stale"


def test_only_the_head_arranges(users, term):
    summary = started(term, users)
    with pytest.raises(PermissionDenied):
        arrange(summary, users["principal"], add_title="校长加的")
    assert keys(summary) == CHAPTERS


# --- remove_chapter ----------------------------------------------------------------------------------

def test_only_an_empty_chapter_of_the_heads_is_removed(users, term):
    head = users["head"]
    summary = started(term, users)
    arrange(summary, head, add_title="校园绿化")
    arrange(summary, head, add_title="卫生室")
    write(summary, "custom-2", "有内容", head, title="卫生室")

    with pytest.raises(ValidationError) as refused:
        services.remove_chapter(chapter(summary, "routine").pk, head, version=0)
    assert refused.value.code == "kernel"
    c = chapter(summary, "custom-2")
    with pytest.raises(ValidationError) as refused:
        services.remove_chapter(c.pk, head, version=c.version)
    assert refused.value.code == "has_text"

    c = chapter(summary, "custom-1")
    services.remove_chapter(c.pk, head, version=c.version)
    assert keys(summary) == ["routine", "finance_assets", "canteen", "safety", "custom-2", "outlook"]
    removed = SummaryChapter.history.filter(id=c.pk).order_by("-history_date").first()
    assert removed.history_type == "-"
    with translation.override("en"):
        from logistics.history import reason_text
        assert reason_text(removed.history_change_reason) == "chapter “校园绿化” removed"


# --- submit, sign off, return ------------------------------------------------------------------------

def test_the_head_submits(users, term):
    summary = submitted(term, users)
    summary = fresh(summary)
    assert summary.status == S.SUBMITTED
    assert summary.submitted_by == users["head"] and summary.submitted_at is not None
    assert reasons(summary)[-1] == "submitted for sign-off"


def test_only_the_head_submits(users, term):
    summary = started(term, users)
    for who in ("principal", "teacher", "auditor"):
        with pytest.raises(PermissionDenied):
            services.submit(summary.pk, users[who], version=summary.version)
    assert fresh(summary).status == S.DRAFT


def test_submitting_words_with_an_unknown_name_is_refused(users, term):
    summary = started(term, users)
    SummaryChapter.objects.filter(summary=summary, key="outlook").update(narrative="{下学期计划}")
    with pytest.raises(ValidationError) as refused:
        services.submit(summary.pk, users["head"], version=summary.version)
    assert refused.value.code == "names"
    assert fresh(summary).status == S.DRAFT


def test_a_submitted_summary_is_not_edited_by_the_head(users, term):
    summary = submitted(term, users)
    with pytest.raises(ValidationError) as refused:
        write(summary, "routine", "改一改", users["head"])
    assert refused.value.code == "not_allowed"
    assert chapter(summary, "routine").narrative == ""


def test_the_principal_signs_off_keeping_the_document_and_its_pdf(users, term):
    summary = signed(term, users)
    summary = fresh(summary)
    assert summary.status == S.SIGNED
    assert summary.signed_by == users["principal"] and summary.signed_at is not None
    assert summary.signed_data["term"]["name"] == "本学期"
    assert {c["key"] for c in summary.signed_data["chapters"]} == set(CHAPTERS)
    with summary.signed_pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert reasons(summary)[-1] == "signed off"


def test_only_the_principal_signs_off_and_only_a_submitted_summary(users, term):
    summary = started(term, users)
    with pytest.raises(ValidationError) as refused:
        services.sign(summary.pk, users["principal"], version=summary.version)
    assert refused.value.code == "not_allowed"
    summary = services.submit(summary.pk, users["head"], version=summary.version)
    for who in ("head", "teacher", "auditor", "finance"):
        with pytest.raises(PermissionDenied):
            services.sign(summary.pk, users[who], version=summary.version)
    summary = fresh(summary)
    assert (summary.status, summary.signed_data, summary.signed_pdf.name) == (S.SUBMITTED, None, "")


def test_signing_freezes_the_figures_and_later_records_show_as_differences(users, school, term, earlier):
    earlier_repair(users, school, earlier, cost="300")
    fixed_repair(users, school, cost="150")
    summary = started(term, users)
    write(summary, "routine", "完成{repairs.done}项。", users["head"])
    summary = signed(term, users)

    fixed_repair(users, school, cost="40", title="门锁坏了", category="doors")  # after the sign-off
    summary = fresh(summary)
    with translation.override("en"):
        doc = document.layout(document.data_of(summary))
        routine = {f.key: (f.value, f.previous, f.arrow) for f in next(c for c in doc.chapters
                                                                         if c.key == "routine").figures}
        assert routine["repairs.total"] == ("1", "1", "")
        assert routine["repairs.cost"][0] == "¥150.00"
        assert routine["repairs.doors"][0] == "0"
        assert next(c for c in doc.chapters if c.key == "routine").points == ["完成1项。"]
        changed = document.differences(summary)
        assert ("repair requests", "1", "2") in changed
        assert ("cost of repairs", "¥150.00", "¥190.00") in changed
        assert ("Doors, windows and locks", "0", "1") in changed
        assert all(label != "repairs overdue" for label, *_ in changed)
        live = document.layout(document.collect(summary))
    assert {f.key: f.value for c in live.chapters for f in c.figures}["repairs.total"] == "2"


def test_a_draft_has_no_differences(users, school, term):
    summary = started(term, users)
    open_repair(users, school)
    assert document.differences(fresh(summary)) == []


def test_a_signed_summary_cannot_be_edited(users, term):
    summary = signed(term, users)
    with pytest.raises(ValidationError) as refused:
        write(summary, "routine", "签字后再改", users["head"])
    assert refused.value.code == "not_allowed"
    summary = fresh(summary)
    with pytest.raises(ValidationError):
        services.arrange(summary.pk, users["head"], version=summary.version, rows=arrangement(summary),
                         add_title="再加一章")
    with pytest.raises(ValidationError):
        services.submit(summary.pk, users["head"], version=summary.version)
    assert chapter(summary, "routine").narrative == ""
    assert keys(summary) == CHAPTERS
    assert fresh(summary).status == S.SIGNED


def test_returning_needs_a_comment_and_makes_it_editable_again(users, term):
    summary = submitted(term, users)
    with pytest.raises(ValidationError) as refused:
        services.return_to_head(summary.pk, users["principal"], version=summary.version, comment="  ")
    assert "comment" in refused.value.message_dict
    assert fresh(summary).status == S.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.return_to_head(summary.pk, users["head"], version=summary.version, comment="我自己退回")

    services.return_to_head(summary.pk, users["principal"], version=summary.version, comment=" 请补充维修数据 ")
    summary = fresh(summary)
    assert (summary.status, summary.return_comment) == (S.RETURNED, "请补充维修数据")
    assert summary.editable
    assert reasons(summary)[-1] == "returned: 请补充维修数据"

    write(summary, "routine", "已补充", users["head"])
    assert chapter(summary, "routine").narrative == "已补充"
    summary = services.submit(summary.pk, users["head"], version=fresh(summary).version)
    assert (summary.status, summary.return_comment) == (S.SUBMITTED, "")


def test_the_history_reads_as_sentences_from_start_to_sign_off(users, term):
    summary = signed(term, users)
    assert reasons(fresh(summary)) == ["started", "submitted for sign-off", "signed off"]
    chinese = reasons(fresh(summary), "zh-hans")
    assert chinese[-1] == "签发"
    assert not any(english in chinese for english in ("started", "submitted for sign-off", "signed off"))


# --- the title and opening; a page left open --------------------------------------------------------------

def test_the_opening_is_stored_and_an_unknown_name_in_it_refused(users, school, term):
    fixed_repair(users, school, cost="20")
    summary = started(term, users)
    services.save_opening(summary.pk, users["head"], version=summary.version, title=" 春季学期后勤工作总结 ",
                          opening=" 本学期完成维修{repairs.done}项。 ")
    summary = fresh(summary)
    assert (summary.title, summary.opening) == ("春季学期后勤工作总结", "本学期完成维修{repairs.done}项。")
    assert reasons(summary)[-1] == "opening written"
    with pytest.raises(ValidationError) as refused:
        services.save_opening(summary.pk, users["head"], version=summary.version, title="", opening="{总数}")
    assert "opening" in refused.value.message_dict
    assert fresh(summary).opening == "本学期完成维修{repairs.done}项。"
    with translation.override("zh-hans"):
        doc = document.layout(document.collect(summary))
    assert (doc.title, doc.opening) == ("春季学期后勤工作总结", ["本学期完成维修1项。"])


def test_a_submit_from_a_page_opened_before_a_chapter_changed_is_refused(users, term):
    summary = started(term, users)
    shown = summary.version
    write(summary, "routine", "刚写的", users["head"])
    with pytest.raises(ValidationError) as refused:
        services.submit(summary.pk, users["head"], version=shown)
    assert refused.value.code == "stale"
    assert fresh(summary).status == S.DRAFT
