"""The term summary's moves: start, arrange the chapters, write, submit, sign off or return.

The head (logistics.change_termsummary) writes and submits; the principal (logistics.sign_termsummary)
signs off or returns with a comment. Every move locks the summary, checks the page's version, and leaves a
history sentence. Signing keeps the document as it is that moment (signed_data and its PDF).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics import modules
from logistics.history import history_reason
from logistics.models import SummaryChapter, TermSummary
from logistics.services import lock, refuse, require, save_with_history

from .document import CUSTOM_PREFIX, OUTLOOK, collect, default_chapters, default_titles, layout, previous_term
from .text import name_errors

WRITE = "logistics.change_termsummary"
SIGN = "logistics.sign_termsummary"
MAX_CHAPTERS = 30


def _what():
    return _("term summary")


def _editable(summary, action):
    if not summary.editable:
        refuse(summary, action)


def start(term, by):
    """The term's summary, started (once) with the arrangement of the term before's summary, else the
    default chapters. Chapters a module added since then join before the last chapter."""
    require(by, WRITE)
    existing = TermSummary.objects.filter(term=term).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            summary = TermSummary(term=term)
            before = previous_term(term)
            earlier = TermSummary.objects.filter(term=before).first() if before else None
            if earlier:
                reason = history_reason(gettext_noop("started from the arrangement of %(term)s"), term=before.name)
            else:
                reason = history_reason(gettext_noop("started"))
            save_with_history(summary, by, reason, bump=False)
            rows = ([(c.key, c.title, c.hidden) for c in earlier.chapters.all()] if earlier
                    else [(c.key, "", False) for c in default_chapters()])
            present = {key for key, _t, _h in rows}
            missing = [(c.key, "", False) for c in default_chapters() if c.key not in present]
            at = next((i for i, (key, _t, _h) in enumerate(rows) if key == OUTLOOK), len(rows))
            rows[at:at] = missing
            for position, (key, title, hidden) in enumerate(rows, start=1):
                chapter = SummaryChapter(summary=summary, key=key, title=title, hidden=hidden, position=position)
                save_with_history(chapter, by, history_reason(gettext_noop("chapter added")), bump=False)
            return summary
    except IntegrityError:  # started at the same moment by another request
        return TermSummary.objects.get(term=term)


def _chapter_errors(summary, narrative, opening=None):
    """Name errors of the words against the figures of the summary's term (shown in the editor). Only the
    term's figures are read: not the term before's, not the charts."""
    labels = {f.key: str(f.label) for f in modules.term_figures(summary.term)}
    return name_errors(narrative if opening is None else opening, labels)


@transaction.atomic
def save_opening(summary_pk, by, *, version, title, opening):
    require(by, WRITE)
    summary = lock(TermSummary, summary_pk, version, _what(), by=by)
    _editable(summary, _("edited"))
    if errors := _chapter_errors(summary, None, opening):
        raise ValidationError({"opening": errors}, code="names")
    summary.title, summary.opening = title.strip(), opening.strip()
    return save_with_history(summary, by, history_reason(gettext_noop("opening written")))


@transaction.atomic
def save_chapter(chapter_pk, by, *, version, title, narrative):
    """Write a chapter's title (empty: the default) and words. Unknown figure names are refused, listed."""
    require(by, WRITE)
    chapter = lock(SummaryChapter.objects.select_related("summary__term"), chapter_pk, version,
                   _("chapter"), by=by)
    summary = TermSummary.objects.select_for_update().get(pk=chapter.summary_id)
    _editable(summary, _("edited"))
    if errors := _chapter_errors(summary, narrative):
        raise ValidationError({"narrative": errors}, code="names")
    if chapter.custom and not title.strip():
        raise ValidationError({"title": _("A chapter you added needs a title.")}, code="required")
    chapter.title, chapter.narrative = title.strip(), narrative.strip()
    title = chapter.title or default_titles().get(chapter.key, chapter.key)
    save_with_history(chapter, by, history_reason(gettext_noop("wrote chapter “%(title)s”"), title=title))
    _touch(summary, by)
    return chapter


def _touch(summary, by):
    """A change to a chapter makes earlier pages of the summary (submit, arrange) stale."""
    summary.version += 1
    TermSummary.objects.filter(pk=summary.pk).update(version=summary.version)


@transaction.atomic
def arrange(summary_pk, by, *, version, rows, add_title=""):
    """Rename, reorder, hide and add chapters. rows: [(chapter pk, title, hidden, position)] for every chapter
    of the summary; add_title: a new chapter's title, added before the last chapter."""
    require(by, WRITE)
    summary = lock(TermSummary, summary_pk, version, _what(), by=by)
    _editable(summary, _("edited"))
    chapters = {c.pk: c for c in summary.chapters.select_for_update()}
    given = {pk for pk, *_rest in rows}
    if given != set(chapters):
        raise ValidationError(_("The chapters changed while this page was open. Nothing was saved; look at "
                                "them again."), code="stale")
    was = {pk: i for i, pk in enumerate(chapters)}
    order = sorted(rows, key=lambda r: (r[3], was[r[0]]))
    if all(hidden for _pk, _t, hidden, _p in rows):
        raise ValidationError(_("At least one chapter must be shown."), code="empty")
    for pk, title, _hidden, _p in rows:
        if chapters[pk].custom and not title.strip():
            raise ValidationError(_("A chapter you added needs a title."), code="required")
    changed = []
    for position, (pk, title, hidden, _p) in enumerate(order, start=1):
        chapter = chapters[pk]
        fields = {"title": title.strip(), "hidden": bool(hidden), "position": position}
        if any(getattr(chapter, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(chapter, k, v)
            save_with_history(chapter, by, history_reason(gettext_noop("chapters arranged")))
            changed.append(chapter)
    if add_title.strip():
        if len(chapters) >= MAX_CHAPTERS:
            raise ValidationError(_("A summary has at most %(n)s chapters.") % {"n": MAX_CHAPTERS}, code="limit")
        numbers = [int(c.key[len(CUSTOM_PREFIX):]) for c in chapters.values()
                   if c.custom and c.key[len(CUSTOM_PREFIX):].isdigit()]
        key = f"{CUSTOM_PREFIX}{max(numbers, default=0) + 1}"
        outlook = next((c for c in chapters.values() if c.key == OUTLOOK), None)
        position = outlook.position if outlook else len(chapters) + 1
        # Make room: the chapters after it move one place down (no history of their own: the summary's
        # "chapters arranged" row says it).
        SummaryChapter.objects.filter(summary=summary, position__gte=position).update(position=F("position") + 1)
        chapter = SummaryChapter(summary=summary, key=key, title=add_title.strip(), position=position)
        save_with_history(chapter, by, history_reason(gettext_noop("chapter “%(title)s” added"),
                                                      title=chapter.title), bump=False)
        changed.append(chapter)
    return save_with_history(summary, by, history_reason(gettext_noop("chapters arranged"))) if changed else summary


@transaction.atomic
def remove_chapter(chapter_pk, by, *, version):
    """Remove a chapter the head added and has not written in (a module's chapter is hidden, not removed)."""
    require(by, WRITE)
    chapter = lock(SummaryChapter, chapter_pk, version, _("chapter"), by=by)
    summary = TermSummary.objects.select_for_update().get(pk=chapter.summary_id)
    _editable(summary, _("edited"))
    if not chapter.custom:
        raise ValidationError(_("Only a chapter you added can be removed; hide this one instead."), code="kernel")
    if chapter.narrative.strip():
        raise ValidationError(_("This chapter has text: empty it first, or hide it."), code="has_text")
    chapter._change_reason = history_reason(gettext_noop("chapter “%(title)s” removed"), title=chapter.title)
    chapter._history_user = by
    chapter.delete()
    return save_with_history(summary, by, history_reason(gettext_noop("chapters arranged")))


@transaction.atomic
def submit(summary_pk, by, *, version):
    """The head hands the summary to the principal. Refused while any words quote an unknown figure name."""
    require(by, WRITE)
    summary = lock(TermSummary, summary_pk, version, _what(), by=by)
    _editable(summary, _("submitted"))
    doc = layout(collect(summary))
    if doc.errors:
        raise ValidationError(_("Some words quote a name that is not a figure's: correct them before "
                                "submitting (%(n)s chapter(s)).") % {"n": len(doc.errors)}, code="names")
    summary.status = TermSummary.Status.SUBMITTED
    summary.submitted_by, summary.submitted_at = by, timezone.now()
    summary.return_comment = ""
    return save_with_history(summary, by, history_reason(gettext_noop("submitted for sign-off")))


@transaction.atomic
def sign(summary_pk, by, *, version, pdf=True):
    """The principal signs off: the document is kept exactly as it is now, its data and its PDF."""
    require(by, SIGN)
    summary = lock(TermSummary.objects.select_related("term"), summary_pk, version, _what(), by=by)
    if summary.status != TermSummary.Status.SUBMITTED:
        refuse(summary, _("signed off"))
    summary.status = TermSummary.Status.SIGNED
    summary.signed_by, summary.signed_at = by, timezone.now()
    summary.signed_data = collect(summary)
    if pdf:
        from .export import summary_pdf

        with translation.override(settings.LANGUAGE_CODE):
            content = summary_pdf(summary)
        summary.signed_pdf.save(f"term-summary-{summary.term_id}.pdf", ContentFile(content), save=False)
    return save_with_history(summary, by, history_reason(gettext_noop("signed off")))


@transaction.atomic
def return_to_head(summary_pk, by, *, version, comment):
    require(by, SIGN)
    summary = lock(TermSummary, summary_pk, version, _what(), by=by)
    if summary.status != TermSummary.Status.SUBMITTED:
        refuse(summary, _("returned"))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change: the head reads it.")}, code="required")
    summary.status = TermSummary.Status.RETURNED
    summary.return_comment = comment.strip()
    return save_with_history(summary, by, history_reason(gettext_noop("returned: %(comment)s"),
                                                         comment=summary.return_comment))
