"""What every module's views share: pages of a list, one move run from a page, errors shown to the user.

A move is a small POST form (the record's version and perhaps a reason) sent from a record's page:
`run_move` validates it, calls the service, turns a ValidationError into a message the user reads,
and goes back. PermissionDenied is left to propagate: the 403 page says why.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

PAGE_SIZE = 25


def paginate(request, qs, size=PAGE_SIZE):
    """The page of qs that ?page= asks for (the last one when it is past the end, the first when not a number)."""
    return Paginator(qs, size).get_page(request.GET.get("page"))


def paginate_ids_first(request, qs, size=PAGE_SIZE):
    """paginate() for long lists read with joins: the page's ids are chosen first from the list's own table in
    its order (a deep page's OFFSET skips entries of the order's index, not joined rows), then only those rows
    are read with their joins. One query more than paginate(), whatever the page."""
    page = Paginator(qs.values_list("pk", flat=True), size).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = {obj.pk: obj for obj in qs.filter(pk__in=ids).order_by()} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def query_string(request, drop=("page",)):
    """The request's filters as a query string without the page number, for pagination and tabs."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def error_text(error: ValidationError):
    """A service's ValidationError as one line for a message."""
    return " ".join(error.messages)


def apply_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: by field where it names one the form has."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_form_errors(request, form):
    """A small form's errors as messages (its page is shown again by a redirect); a bad version is a
    stale page, said once."""
    for name, errors in form.errors.items():
        if name in ("version", "next"):
            continue
        label = form.fields[name].label if name in form.fields else ""
        for err in errors:
            messages.error(request, f"{label}: {err}" if label else err)
    if "version" in form.errors:
        messages.error(request, _("The page was out of date; it has been reloaded."))


def safe_next(request, next_url):
    """next_url when it is a path on this site, else None."""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return None


def run_move(request, obj, form_class, call, success, back, *, form_kwargs=None):
    """Run one move sent from a record's page and go back (to the form's safe "next", else to back).

    call(obj, cleaned_data) runs the service; its ValidationError becomes an error message, success
    a success message. back: a URL, a URL name with obj.pk, or a callable(obj)."""
    form = form_class(request.POST, request.FILES, **(form_kwargs or {}))

    def go_back(next_url=""):
        target = safe_next(request, next_url)
        if target:
            return redirect(target)
        if callable(back):
            return redirect(back(obj))
        if "/" in back:
            return redirect(back)
        return redirect(resolve_url(back, pk=obj.pk))

    if not form.is_valid():
        flash_form_errors(request, form)
        return go_back(request.POST.get("next", ""))
    try:
        call(obj, form.cleaned_data)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, success)
    return go_back(form.cleaned_data.get("next", ""))


def private_file_response(field_file):
    """An uploaded file (a photo) served by the app, after the view has checked who may read its record:
    cached by the browser only, never by a shared proxy; 404 when the file is gone from storage."""
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=86400"
    return response
