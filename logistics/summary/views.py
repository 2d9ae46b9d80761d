"""The term summary's pages: the list of terms, the summary (preview, state, moves), its editors and prints.

Who sees what: the head (logistics.change_termsummary) and the principal (logistics.sign_termsummary)
see every state; everyone else with logistics.view_termsummary (the auditor, finance) reads signed ones.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import VersionForm
from logistics.freshness import fresh
from logistics.history import history_entries
from logistics.models import SummaryChapter, Term, TermSummary
from logistics.pdf import pdf_response
from logistics.web import apply_errors, paginate, private_file_response, run_move

from . import services
from .document import collect, data_of, default_titles, differences, layout
from .export import context, filename, summary_docx
from .forms import ArrangeForm, ChapterForm, OpeningForm, ReturnForm

READ = "logistics.view_termsummary"


def _writer(user):
    return user.has_perm(services.WRITE)


def _signer(user):
    return user.has_perm(services.SIGN)


def _sees_drafts(user):
    return _writer(user) or _signer(user)


def _summary(request, term_pk, *, editing=False):
    """(term, summary or None) the user may see; 404 for a draft they may not read."""
    term = get_object_or_404(Term, pk=term_pk)
    summary = TermSummary.objects.select_related("term", "submitted_by", "signed_by").filter(term=term).first()
    if editing and not _writer(request.user):
        raise Http404
    if summary is not None and summary.status != TermSummary.Status.SIGNED and not _sees_drafts(request.user):
        raise Http404
    return term, summary


@login_required
@permission_required(READ, raise_exception=True)
def summary_list(request):
    terms = Term.objects.order_by("-start")
    page = paginate(request, terms)
    # The page's summaries only, without the document kept at signing (large, not shown here).
    summaries = {s.term_id: s for s in TermSummary.objects.filter(term__in=list(page.object_list))
                 .select_related("signed_by").defer("signed_data")}
    rows = []
    for term in page.object_list:
        summary = summaries.get(term.pk)
        visible = summary is not None and (summary.status == TermSummary.Status.SIGNED
                                           or _sees_drafts(request.user))
        rows.append({"term": term, "summary": summary if visible else None})
    current = Term.objects.current()
    return render(request, "summary/list.html", {"page": page, "rows": rows, "current": current,
                                                 "can_write": _writer(request.user)})


def _timeline(summary):
    """The summary's history and its chapters', merged, oldest first."""
    own = list(summary.history.select_related("history_user").order_by("history_date", "history_id"))
    chapter_rows = list(SummaryChapter.history.filter(summary_id=summary.pk).select_related("history_user")
                        .order_by("id", "history_date", "history_id"))
    entries = history_entries(own, TermSummary)
    by_chapter = {}
    for row in chapter_rows:
        by_chapter.setdefault(row.id, []).append(row)
    for rows in by_chapter.values():
        entries += history_entries(rows[1:], SummaryChapter, previous=rows[0]) if len(rows) > 1 else []
    return sorted(entries, key=lambda e: (e["when"], e["record"].history_id))


@login_required
@permission_required(READ, raise_exception=True)
def summary_detail(request, term_pk):
    term, summary = _summary(request, term_pk)
    if summary is None:
        if not _sees_drafts(request.user):
            raise Http404
        return render(request, "summary/not_started.html", {"term": term, "can_write": _writer(request.user)})
    can_write = _writer(request.user) and summary.editable
    # The document as it reads now and what changed since signing: kept (logistics.freshness) until a record
    # changes, per language and for writers (who see hidden chapters) apart; two queries instead of about eight.
    doc, changed = fresh("summary.detail", summary.pk, translation.get_language(), can_write, today=True,
                         compute=lambda: (layout(data_of(summary, cached=True), include_hidden=can_write),
                                          differences(summary)))
    return render(request, "summary/detail.html", {
        "term": term, "summary": summary, "doc": doc, "edit": can_write,
        "can_submit": can_write and not doc.errors,
        "can_sign": _signer(request.user) and summary.status == TermSummary.Status.SUBMITTED,
        "differences": changed, "timeline": _timeline(summary),
        "return_form": ReturnForm(initial={"version": summary.version}),
    })


@login_required
@require_POST
def summary_start(request, term_pk):
    term = get_object_or_404(Term, pk=term_pk)
    if not _writer(request.user):
        raise Http404
    services.start(term, request.user)
    return redirect("summary:detail", term.pk)


def _editable_or_back(request, summary):
    if summary is None:
        raise Http404
    if not summary.editable:
        messages.error(request, _("A summary that is “%(status)s” cannot be edited.")
                       % {"status": summary.get_status_display()})
        return redirect("summary:detail", summary.term_id)
    return None


def _figures_for_editor(doc):
    """The figures the words may quote, by chapter: [(chapter title, [(name, label, value)])] of the document
    laid out with its hidden chapters."""
    groups = []
    for ch in doc.chapters:
        rows = [(f.key, f.label, f"{f.value} {f.unit}".strip()) for f in ch.figures]
        if rows:
            groups.append((ch.title, rows))
    known = {key for _t, rows in groups for key, _l, _v in rows}
    rest = [(key, label, doc.values[key]) for key, label in doc.figure_labels.items() if key not in known]
    if rest:
        groups.append((_("Open items"), rest))
    return groups


@login_required
def summary_opening(request, term_pk):
    term, summary = _summary(request, term_pk, editing=True)
    if back := _editable_or_back(request, summary):
        return back
    if request.method == "POST":
        form = OpeningForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_opening(summary.pk, request.user, version=d["version"], title=d["title"],
                                      opening=d["opening"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Opening saved."))
                return redirect("summary:detail", term.pk)
    else:
        form = OpeningForm(initial={"version": summary.version, "title": summary.title,
                                    "opening": summary.opening})
    return render(request, "summary/edit.html", {
        "term": term, "summary": summary, "form": form, "heading": _("Title and opening"),
        "text_field": form["opening"],
        "figures": _figures_for_editor(layout(collect(summary, cached=True), include_hidden=True))})


@login_required
def summary_chapter(request, term_pk, key):
    term, summary = _summary(request, term_pk, editing=True)
    if back := _editable_or_back(request, summary):
        return back
    chapter = get_object_or_404(SummaryChapter, summary=summary, key=key)
    if request.method == "POST":
        form = ChapterForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_chapter(chapter.pk, request.user, version=d["version"], title=d["title"],
                                      narrative=d["narrative"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Chapter saved."))
                if "preview" in request.POST:
                    return redirect("summary:chapter", term.pk, key)
                return redirect(f"{_detail_url(term)}#chapter-{key}")
    else:
        form = ChapterForm(initial={"version": chapter.version, "title": chapter.title,
                                    "narrative": chapter.narrative})
    doc = layout(collect(summary, cached=True), include_hidden=True)
    preview = next((c for c in doc.chapters if c.key == key), None)
    usual = default_titles().get(key)
    if usual:
        form.fields["title"].widget.attrs["placeholder"] = usual
    return render(request, "summary/edit.html", {
        "term": term, "summary": summary, "chapter": chapter, "form": form, "preview": preview, "doc": doc,
        "heading": preview.title if preview else chapter.key, "text_field": form["narrative"],
        "figures": _figures_for_editor(doc)})


def _detail_url(term):
    from django.urls import reverse

    return reverse("summary:detail", args=[term.pk])


@login_required
def summary_arrange(request, term_pk):
    term, summary = _summary(request, term_pk, editing=True)
    if back := _editable_or_back(request, summary):
        return back
    chapters = list(summary.chapters.all())
    usual_titles = {key: str(title) for key, title in default_titles().items()}
    if request.method == "POST":
        form = ArrangeForm(request.POST, chapters=chapters)
        if form.is_valid():
            try:
                services.arrange(summary.pk, request.user, version=form.cleaned_data["version"], rows=form.rows(),
                                 add_title=form.cleaned_data["add"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Chapters saved."))
                return redirect("summary:arrange" if form.cleaned_data["add"] else "summary:detail", term.pk)
    else:
        form = ArrangeForm(initial={"version": summary.version}, chapters=chapters)
    for c in chapters:
        if c.key in usual_titles:
            form.fields[f"chapter-{c.pk}-title"].widget.attrs["placeholder"] = usual_titles[c.key]
    return render(request, "summary/arrange.html", {
        "term": term, "summary": summary, "form": form,
        "rows": [(c, usual_titles.get(c.key, c.key), *fields) for c, *fields in form.bound_rows()]})


@login_required
@require_POST
def summary_remove_chapter(request, term_pk, key):
    term, summary = _summary(request, term_pk, editing=True)
    chapter = get_object_or_404(SummaryChapter, summary=summary, key=key)

    def call(obj, data):
        services.remove_chapter(obj.pk, request.user, version=data["version"])
    return run_move(request, chapter, VersionForm, call, _("Chapter removed."),
                    lambda obj: f"{_detail_url(term)}arrange/")


def _move(request, term_pk, form_class, call, success):
    term, summary = _summary(request, term_pk)
    if summary is None:
        raise Http404
    return run_move(request, summary, form_class, call, success, lambda obj: _detail_url(term))


@login_required
@require_POST
def summary_submit(request, term_pk):
    return _move(request, term_pk, VersionForm,
                 lambda s, d: services.submit(s.pk, request.user, version=d["version"]),
                 _("Submitted: the principal is asked to sign it off."))


@login_required
@require_POST
def summary_sign(request, term_pk):
    return _move(request, term_pk, VersionForm,
                 lambda s, d: services.sign(s.pk, request.user, version=d["version"]),
                 _("Signed off. The document is kept as it is now."))


@login_required
@require_POST
def summary_return(request, term_pk):
    return _move(request, term_pk, ReturnForm,
                 lambda s, d: services.return_to_head(s.pk, request.user, version=d["version"], comment=d["comment"]),
                 _("Returned to the head with your comment."))


@login_required
@permission_required(READ, raise_exception=True)
def summary_print(request, term_pk):
    """The A4 PDF: a signed summary in the school's language is the very file signed."""
    _term, summary = _summary(request, term_pk)
    if summary is None:
        raise Http404
    if (summary.status == TermSummary.Status.SIGNED and summary.signed_pdf
            and translation.get_language() == settings.LANGUAGE_CODE):
        response = private_file_response(summary.signed_pdf)
        response["Content-Type"] = "application/pdf"
        response["Content-Disposition"] = f'inline; filename="{filename(summary, "pdf")}"'
        return response
    return pdf_response("print/term_summary.html", context(summary), request, filename(summary, "pdf"))


@login_required
@permission_required(READ, raise_exception=True)
def summary_word(request, term_pk):
    _term, summary = _summary(request, term_pk)
    if summary is None:
        raise Http404
    response = HttpResponse(summary_docx(summary), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f'attachment; filename="{filename(summary, "docx")}"'
    response["Cache-Control"] = "private, no-store"
    return response

