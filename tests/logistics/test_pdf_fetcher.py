"""Printed documents fetch nothing from the network (logistics.pdf.make_url_fetcher), whatever the school's name
or a user's text holds; the app's own static files, uploaded media, data: URIs and the CJK font still print.

A real HTTP server on 127.0.0.1 counts the requests the renderer makes to it: it must see none."""
import base64
import http.server
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from assets import services as asset_services
from logistics import pdf
from logistics.models import SchoolProfile
from tests.conftest import image_bytes

PORT = 8612
OUTSIDE = f"http://127.0.0.1:{PORT}"


class _Counter(http.server.BaseHTTPRequestHandler):
    paths = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.paths.append(self.path)
        body = b"@page { margin: 0 }" if self.path.endswith(".css") else image_bytes("PNG", size=(4, 4))
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def outside():
    """The requests made to an outside server during the test (a list of paths)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), _Counter)
    _Counter.paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Counter.paths
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def doc_template(settings, tmp_path):
    """A print template in a temporary folder: the print style with `body` (raw markup) as its content."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    def write(body):
        (tmp_path / "doc.html").write_text(
            '{% extends "print/base.html" %}{% block content %}<h1>打印测试</h1>' + body + "{% endblock %}",
            encoding="utf-8")
        return "doc.html"
    return write


def pdf_text(data, tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(data)
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


def pdf_image_count(data, tmp_path):
    out = tmp_path / "img.pdf"
    out.write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    return len(listing.splitlines()) - 2  # two heading lines


NAMES = [
    f'实验小学"\n@import url({OUTSIDE}/a.css);',
    f"实验小学'\n@import url('{OUTSIDE}/b.css');",
    f'实验小学\\"; }} @import "{OUTSIDE}/c.css"; html {{ x: "',
    f'实验小学</style><link rel="stylesheet" href="{OUTSIDE}/d.css"><style>',
    f'实验小学\r\n}} html {{ background: url({OUTSIDE}/e.png) }}',
    f'实验小学<img src="{OUTSIDE}/f.png">',
]


@pytest.mark.parametrize("name", NAMES)
def test_a_school_name_made_to_reach_outside_fetches_nothing_and_still_prints(
        name, school, outside, doc_template, tmp_path):
    SchoolProfile.objects.filter(pk=SchoolProfile.get().pk).update(name=name)
    data = pdf.render_pdf(doc_template("<p>正文</p>"), {}, base_url="http://testserver/")
    assert outside == []
    text = pdf_text(data, tmp_path)
    assert "实验小学" in text and "打印测试" in text


def test_a_real_document_with_such_a_name_and_title_fetches_nothing(users, school, client, outside, tmp_path):
    SchoolProfile.objects.filter(pk=SchoolProfile.get().pk).update(name=NAMES[0])
    repair = asset_services.repair_report(
        reporter=users["teacher"], category="plumbing", location=school["room"],
        title=f'水龙头<img src="{OUTSIDE}/t.png">', description=f'<link rel=stylesheet href="{OUTSIDE}/u.css">')
    client.force_login(users["head"])
    response = client.get(reverse("assets:repair_print", args=[repair.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert outside == []
    assert repair.number in pdf_text(response.content, tmp_path)


def test_markup_pointing_outside_is_not_fetched_though_the_renderer_would(db, school, outside, doc_template):
    """The fetcher, not escaping alone: markup that reached the HTML (a template's mistake) fetches nothing —
    while WeasyPrint's own fetcher on the same HTML calls the server (so the counting server works)."""
    from weasyprint import HTML

    markup = (f'<img src="{OUTSIDE}/g.png"><link rel="stylesheet" href="{OUTSIDE}/h.css">'
              f'<style>@import url({OUTSIDE}/i.css);</style><div style="background: url({OUTSIDE}/j.png)">x</div>'
              '<img src="file:///etc/hostname"><img src="ftp://127.0.0.1/k.png">')
    pdf.render_pdf(doc_template(markup), {}, base_url="http://testserver/")
    assert outside == []
    HTML(string=markup).write_pdf()
    assert len(outside) >= 3


def test_the_apps_static_files_media_and_data_uris_still_print(db, school, settings, tmp_path, doc_template):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "repairs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "repairs" / "p.png").write_bytes(image_bytes("PNG", size=(40, 30)))
    data_uri = "data:image/png;base64," + base64.b64encode(image_bytes("PNG", size=(20, 20))).decode()
    markup = (f'<img src="/media/repairs/p.png"><img src="{data_uri}">'
              '<link rel="stylesheet" href="/static/css/app.css">')
    data = pdf.render_pdf(doc_template(markup), {}, base_url="http://testserver/")
    assert pdf_image_count(data, tmp_path) == 2


@pytest.fixture
def fetch(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "repairs").mkdir(parents=True)
    (tmp_path / "media" / "repairs" / "p.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    return pdf.make_url_fetcher("http://testserver/")


def test_the_fetcher_serves_only_the_apps_own_files(fetch, tmp_path):
    app_css = Path(django_settings.BASE_DIR / "static" / "css" / "app.css").read_bytes()
    assert fetch("http://testserver/static/css/app.css")["string"] == app_css
    assert fetch("http://testserver/media/repairs/p.png")["string"] == b"png"
    assert fetch((tmp_path / "media" / "repairs" / "p.png").as_uri())["string"] == b"png"
    data = fetch("data:text/plain;base64,aGk=")
    assert (data.get("string") or data["file_obj"].read()) == b"hi"
    font = pdf.find_cjk_font()
    if font:
        assert fetch(Path(font[1]).as_uri())["string"][:4]
    refused = [
        f"{OUTSIDE}/x.css", "https://testserver/static/css/app.css", "http://evil.example/static/css/app.css",
        "http://testserver/static/../../logistics/settings.py", "http://testserver/static/%2e%2e/%2e%2e/README.md",
        "http://testserver/media/../secret.txt", "http://testserver/media/%2e%2e/secret.txt",
        "http://testserver/media/repairs/missing.png", "http://testserver/logistics/settings.py",
        "file:///etc/passwd", (tmp_path / "secret.txt").as_uri(), (tmp_path / "media" / ".." / "secret.txt").as_uri(),
        "ftp://127.0.0.1/x.png", "gopher://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(pdf.FetchRefused):
            fetch(url)


def test_a_value_written_into_css_cannot_end_its_string():
    """The CSS parser WeasyPrint uses reads the escaped value back as one string token, equal to the value."""
    import tinycss2

    for value in ['a"b', "a\\", "a\nb", "a'\r\n} html { color: red } x {", "</style>", "a\fb", "\\\"\n@import"]:
        css = f"@font-face {{ font-family: {pdf._css_string(value)}; }} p {{ color: blue }}"
        rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
        assert [r.type for r in rules] == ["at-rule", "qualified-rule"], (value, css)
        strings = [t.value for t in rules[0].content if t.type == "string"]
        assert strings == [value], (value, css)
