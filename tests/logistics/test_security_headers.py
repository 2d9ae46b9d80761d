"""The Content Security Policy and the Permissions-Policy on every area's pages, and no inline script or style in
any served template (so a new page cannot bring one in: the policy would break it in the browser)."""
import re
from pathlib import Path

import pytest
from django.conf import settings

from logistics.nav import menu_for

DENIED = ("camera", "microphone", "geolocation", "payment", "usb")


def directives(header):
    """{'script-src': ["'self'"], …} of a Content-Security-Policy header."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_headers(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "blob:"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    permissions = response["Permissions-Policy"]
    for feature in DENIED:
        assert f"{feature}=()" in permissions


@pytest.mark.parametrize("username", ["head", "teacher", "principal", "finance", "canteen", "safety", "auditor"])
def test_every_page_of_a_roles_menu_carries_the_policies(users, school, client, rf, username):
    """Each role's menu is every area it works in (each module adds its entries), so a new module is covered."""
    user = users[username]
    client.force_login(user)
    request = rf.get("/")
    request.user = user
    urls = [item["url"] for item in menu_for(request)]
    assert len(urls) >= 2, urls
    for url in ["/", *urls]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_headers(response)


def test_the_login_page_and_the_error_pages_carry_them_too(client, db):
    assert_headers(client.get("/accounts/login/"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_headers(response)


def test_a_photo_or_a_file_is_served_without_the_pages_policy(users, school, client):
    """Files are shown by the browser's own viewer (its built-in styles would be blocked); nosniff keeps them
    what they say they are. The Permissions-Policy is on every response."""
    client.force_login(users["head"])
    response = client.get("/healthz")
    assert not response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]


# --- the templates: nothing inline that the policy would block -------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Printed documents are rendered to PDF by WeasyPrint and never served as HTML: their <style> is theirs.
NOT_SERVED = ("print",)
INLINE = [
    ("an inline <script>", re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)),
    ("a <style> element", re.compile(r"<style\b", re.I)),
    ("a style attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)),
    ("an on… event handler", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)),
    ("a javascript: URL", re.compile(r"""(href|action|src)\s*=\s*["']?\s*javascript:""", re.I)),
]


def served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in NOT_SERVED:
            yield path


def inline_code(text):
    """[(what, line)] of everything inline in a template's text (template comments left out)."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", lambda m: "\n" * m[0].count("\n"), text,
                  flags=re.S)
    return [(what, text.count("\n", 0, m.start()) + 1) for what, pattern in INLINE for m in pattern.finditer(text)]


def test_no_served_template_has_inline_script_or_style():
    found = [f"{path.relative_to(TEMPLATES)}:{line}: {what}"
             for path in served_templates() for what, line in inline_code(path.read_text())]
    assert not found, "move these into static/ (the Content Security Policy blocks them):\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    assert list(served_templates())
    sample = """<script>alert(1)</script><script src="/static/js/app.js" defer></script>
<p style="color: red">x</p><style>p {}</style>
<select name="year"
        onchange="this.form.submit()"><a href="javascript:void(0)">{# <style> #}"""
    assert [what for what, _line in inline_code(sample)] == [
        "an inline <script>", "a <style> element", "a style attribute", "an on… event handler", "a javascript: URL"]
    assert ("an on… event handler", 3) in inline_code(sample)
    assert inline_code('<p class="onx" data-onchange="1">{{ style }}</p>') == []
