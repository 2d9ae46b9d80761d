"""Request bodies bounded before anything reads them (settings.MAX_REQUEST_BYTES, MAX_ANONYMOUS_REQUEST_BYTES).

Django streams a multipart body to temporary files as soon as anything touches request.POST — the CSRF check
does, for every visitor, also one who holds only the login page's token. This middleware sits before the
session and CSRF middleware and answers 413 from the Content-Length header alone, so a refused body is never
read: a signed-in user may send a few photos' worth, a visitor who is not signed in only what the login form
needs. A body without a Content-Length (Transfer-Encoding: chunked) is refused with 411: Django would read
nothing of it anyway (its WSGI request reads exactly Content-Length bytes), so the form would arrive empty.
The proxy in front (nginx client_max_body_size, see the README) should refuse the same sizes first.
"""
from importlib import import_module

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _


def _size_label(n):
    """n bytes as a short size (MB above 1 MB, else KB), for the refusal page."""
    if n >= 1024 * 1024:
        return _("%(n)s MB") % {"n": round(n / (1024 * 1024))}
    return _("%(n)s KB") % {"n": max(1, round(n / 1024))}


def _signed_in(request):
    """Whether the request's session cookie names a session with a signed-in user (one read of the session
    store, made only for a body larger than a visitor may send)."""
    from django.contrib.auth import SESSION_KEY

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    try:
        return store.get(SESSION_KEY) is not None
    except Exception:  # an unreadable session (the database down …) counts as no session: the small limit
        return False


def refusal(request, status, message):
    """A short page in the visitor's language (from the language cookie or Accept-Language: the locale
    middleware has not run yet), asking the database for nothing. message: a function giving the text, called
    in that language."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        title = _("The request is too large") if status == 413 else _("The request has no length")
        body = format_html(
            '<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
            '<title>{title}</title><link rel="stylesheet" href="{css}"></head><body><main class="page">'
            '<section class="card narrow" data-testid="error-page"><h1>{title}</h1><p>{message}</p>'
            '<p><a href="{home}">{back}</a></p></section></main></body></html>',
            lang=translation.get_language(), title=title, message=message(), css=static("css/app.css"),
            home=reverse("home"), back=_("Back to the start page"))
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class RequestSizeLimitMiddleware:
    """413 for a body over the limit (the visitor's small one unless signed in), 411 for a chunked body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self.check(request)
        return refused if refused is not None else self.get_response(request)

    def check(self, request):
        meta = request.META
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not meta.get("CONTENT_LENGTH") and "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            return refusal(request, 411, lambda: _("Send the form again from its page."))
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return refusal(request, 413, lambda: _("The form is larger than %(size)s. Send fewer or smaller photos "
                                                   "at a time.") % {"size": _size_label(limit)})
        if length > settings.MAX_ANONYMOUS_REQUEST_BYTES and not _signed_in(request):
            return refusal(request, 413, lambda: _("Sign in first, then send the form again."))
        return None
