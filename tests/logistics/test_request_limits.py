"""Request bodies are refused from their Content-Length, before anything reads them (logistics.middleware)."""
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse

from assets.models import RepairRequest
from tests.conftest import PASSWORD, image_bytes

BOUNDARY = "BoUnDaRy"


class CountingBody:
    """A wsgi.input that would give `length` bytes of a multipart body, counting what is read of it — so a
    200 MB request costs the test nothing unless the app really reads it."""

    def __init__(self, length):
        self.length = length
        self.read_bytes = 0
        self.head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n"
                     "Content-Type: image/jpeg\r\n\r\n").encode()

    def _take(self, n):
        n = self.length - self.read_bytes if n is None or n < 0 else min(n, self.length - self.read_bytes)
        start = self.read_bytes
        self.read_bytes += n
        head = self.head[start:start + n]
        return head + b"x" * (n - len(head))

    def read(self, size=-1):
        return self._take(size)

    def readline(self, size=-1):
        return self._take(size if size and size > 0 else 65536)


def post_raw(path, length, body=None, cookies=None, headers=None):
    """A POST of `length` bytes (Content-Length) through the whole WSGI stack (every middleware, CSRF checked)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(length), **(headers or {}))
    body = body or CountingBody(length)
    environ["wsgi.input"] = body
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    return response, body


@pytest.mark.django_db
def test_a_200_mb_post_is_refused_having_read_nothing(client, users, school):
    client.force_login(users["teacher"])
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value}
    response, body = post_raw(reverse("assets:repair_report"), 200 * 1024 * 1024, cookies=cookies)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert 'data-testid="error-page"' in response.content.decode()
    assert not RepairRequest.objects.exists()


@pytest.mark.django_db
def test_a_200_mb_post_by_a_visitor_is_refused_having_read_nothing(client):
    response, body = post_raw(reverse("login"), 200 * 1024 * 1024)
    assert response.status_code == 413
    assert body.read_bytes == 0


@pytest.mark.django_db
def test_a_visitor_holding_the_login_pages_token_may_not_post_100_kb(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response, body = post_raw(reverse("login"), 100 * 1024, cookies={django_settings.CSRF_COOKIE_NAME: token},
                              headers={"HTTP_X_CSRFTOKEN": token})
    assert response.status_code == 413
    assert body.read_bytes == 0


@pytest.mark.django_db
def test_the_refusal_speaks_the_visitors_language(client):
    chinese, _ = post_raw(reverse("login"), 100 * 1024, headers={"HTTP_ACCEPT_LANGUAGE": "zh-hans"})
    english, _ = post_raw(reverse("login"), 100 * 1024,
                          cookies={django_settings.LANGUAGE_COOKIE_NAME: "en"})
    assert '<html lang="zh-hans">' in chinese.content.decode() and "返回首页" in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Sign in first" in english.content.decode() and "Back to the start page" in english.content.decode()
    assert "返回首页" not in english.content.decode()


@pytest.mark.django_db
def test_a_chunked_body_without_a_length_is_refused(client):
    environ_headers = {"HTTP_TRANSFER_ENCODING": "chunked"}
    body = CountingBody(10 * 1024 * 1024)
    environ = RequestFactory()._base_environ(
        PATH_INFO=reverse("login"), REQUEST_METHOD="POST", CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        **environ_headers)
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = body
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    assert response.status_code == 411
    assert body.read_bytes == 0


@pytest.mark.django_db
def test_the_login_form_still_signs_in(client, users):
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(users["teacher"].pk)


@pytest.mark.django_db
def test_a_repair_with_three_photos_is_still_reported(client, users, school, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(users["teacher"])
    photos = [SimpleUploadedFile(f"p{i}.png", image_bytes("PNG", size=(400, 300)), content_type="image/png")
              for i in range(3)]
    response = client.post(reverse("assets:repair_report"), {
        "category": "lighting", "location": school["room"].pk, "title": "灯不亮", "urgency": "normal",
        "submit_token": str(uuid.uuid4()), "photos": photos})
    assert response.status_code == 302
    assert RepairRequest.objects.get().photos.count() == 3


@pytest.mark.django_db
def test_a_signed_in_upload_just_under_the_limit_passes_the_middleware(client, users, settings):
    """Over the visitor's limit but under the signed-in one: the request reaches the view (CSRF refuses it,
    having read the body), so the limit is what a signed-in user gets, not the visitor's."""
    settings.MAX_REQUEST_BYTES = 2 * 1024 * 1024
    client.force_login(users["teacher"])
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
               django_settings.CSRF_COOKIE_NAME: "a" * 32}
    response, body = post_raw(reverse("assets:repair_report"), 1024 * 1024, cookies=cookies)
    assert response.status_code == 403  # no CSRF token in the body: refused by CSRF having read it, not by size
    assert body.read_bytes > 0
    over, body = post_raw(reverse("assets:repair_report"), 2 * 1024 * 1024 + 1, cookies=cookies)
    assert over.status_code == 413
    assert body.read_bytes == 0
