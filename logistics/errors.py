"""The error pages (403, 404, 500, a refused form post): in the reader's language, saying nothing of the code,
the paths or the database — and shown even while the database is down.

404 and 500 are drawn on a small layout of their own (templates/errors/layout.html) without the request's
context processors: the normal layout asks the database for the school's name and the menu for the user (whose
session lives in the database), so a missing page or a fault would turn into a bare 500 while the database is
down. Their language comes from the request itself (cookie, Accept-Language), read here again because a fault
may have left the middleware that sets it."""
from django.db import DatabaseError
from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation


def _bare(request, template_name, context=None):
    """The page on the database-free layout, in the request's language."""
    with translation.override(translation.get_language_from_request(request)):
        return render_to_string(template_name, context or {})


def forbidden(request, exception=None):
    """A 403 that says, in the user's language, why: usually a missing role. The full layout (with the menu):
    the database has just answered who the user is; the bare one if it has stopped answering since."""
    message = str(exception) if exception and str(exception) else ""
    try:
        return render(request, "403.html", {"message": message}, status=403)
    except DatabaseError:
        return HttpResponseForbidden(_bare(request, "errors/403.html", {"message": message}))


def not_found(request, exception=None):
    """A 404 that tells nothing of what was looked for or why it was not found."""
    return HttpResponseNotFound(_bare(request, "404.html"))


def server_error(request):
    """A 500 with no traceback, path or query: the fault is in the log (django.request), not on the page."""
    return HttpResponseServerError(_bare(request, "500.html"))


def csrf_failure(request, reason=""):
    """A refused form post (missing or stale CSRF token): the reason goes to the log, not to the page."""
    return HttpResponseForbidden(_bare(request, "errors/csrf.html"))
