"""ASGI entry point, with request bodies bounded before Django reads them.

Under WSGI (gunicorn, as the README deploys it) logistics.middleware refuses a body from its Content-Length
before anything reads it. Under ASGI Django reads the whole body into a file before any middleware runs, so
that check would come too late: ``BodyLimit`` answers 413 from the Content-Length header, and stops a body sent
without one (chunked) as soon as it passes settings.MAX_REQUEST_BYTES. The smaller limit for visitors who are
not signed in is still the middleware's, from the Content-Length."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from django.conf import settings

        limit = settings.MAX_REQUEST_BYTES
        headers = dict(scope.get("headers") or [])
        try:
            length = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return await _refuse(scope, receive, send)
        received = 0

        async def bounded():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge
            return message

        try:
            return await self.app(scope, bounded, send)
        except TooLarge:
            return await _refuse(scope, receive, send)


class TooLarge(Exception):
    """A body without a Content-Length grew past the limit while it was read."""


async def _refuse(scope, receive, send):
    from asgiref.sync import sync_to_async
    from django.core.handlers.asgi import ASGIRequest

    from .middleware import _size_label, refusal

    def page():
        from django.conf import settings
        from django.utils.translation import gettext as _

        request = ASGIRequest(dict(scope, headers=[h for h in scope.get("headers", [])
                                                   if h[0] != b"content-length"]), _EMPTY)
        limit = settings.MAX_REQUEST_BYTES
        return refusal(request, 413, lambda: _("The form is larger than %(size)s. Send fewer or smaller photos at "
                                               "a time.") % {"size": _size_label(limit)})

    response = await sync_to_async(page)()
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
                + [(b"connection", b"close")]})
    await send({"type": "http.response.body", "body": response.content})


class _Empty:
    def read(self, *args):
        return b""

    readline = read


_EMPTY = _Empty()

application = BodyLimit(get_asgi_application())
