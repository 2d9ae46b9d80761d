"""Under ASGI too a body over settings.MAX_REQUEST_BYTES is refused before Django reads it (logistics.asgi):
from its Content-Length, and a body sent without one as soon as it passes the limit."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from logistics.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def call(headers, chunks, path="/accounts/login/"):
    """Send a POST of chunks through the ASGI application; (status, body, bytes the app asked for)."""
    sent, asked = [], {"bytes": 0, "messages": 0}
    chunks = list(chunks)

    async def receive():
        asked["messages"] += 1
        if chunks:
            body = chunks.pop(0)
            asked["bytes"] += len(body)
            return {"type": "http.request", "body": body, "more_body": bool(chunks)}
        await asyncio.sleep(60)  # the client waits for the answer (Django listens for a disconnect meanwhile)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"accept-language", b"zh-hans"), *headers],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    # In a thread of its own, with its own event loop: an earlier test (Playwright's sync API) may leave one
    # running in this thread, where asgiref refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, application(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body.decode(), asked


def test_a_declared_length_over_the_limit_is_refused_unread(settings):
    settings.MAX_REQUEST_BYTES = 1000
    status, body, asked = call([(b"content-length", b"5000000")], [b"x" * 1000] * 5000)
    assert status == 413
    assert "请求过大" in body or "大于" in body
    assert asked["bytes"] == 0


def test_a_chunked_body_is_stopped_at_the_limit(settings):
    settings.MAX_REQUEST_BYTES = 10_000
    status, body, asked = call([(b"transfer-encoding", b"chunked")], [b"x" * 1000] * 500)
    assert status == 413
    assert asked["bytes"] <= 11_000


def test_a_small_post_reaches_the_app(settings):
    status, body, asked = call([(b"content-type", b"application/x-www-form-urlencoded"),
                                (b"content-length", b"20")], [b"username=a&password=b"[:20]])
    assert status == 403  # the login form without its CSRF token: Django's answer, not the limit's
    assert asked["bytes"] == 20
