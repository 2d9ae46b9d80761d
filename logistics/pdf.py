"""The one way the app prints: a template rendered to HTML, then to an A4 PDF by WeasyPrint.

A printed document fetches nothing from the network: WeasyPrint asks ``fetch_url`` for every image, style sheet
and font it meets, and that serves only data: URIs, the app's own static files and uploaded media (read from
disk, under /static/ and /media/ of the document's own address or as file: paths inside those folders) and the
CJK font — anything else (another host, http to anywhere, file: elsewhere, ftp …) is refused, and WeasyPrint
leaves that resource out. So neither a template nor user text that reached the HTML can make the server call out.
"""
import mimetypes
import posixpath
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Source Han Sans SC", "AR PL UMing CN")


@lru_cache(maxsize=1)
def find_cjk_font():
    """(family, file) of a font that has Chinese glyphs, or None when none is installed."""
    configured = settings.PDF_CJK_FONT_FILE
    if configured:
        return ("SchoolCJK", configured) if Path(configured).is_file() else None
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = {}
    for line in out.splitlines():
        file, _, families = line.partition(":")
        for family in families.split(","):
            found.setdefault(family.strip(), file.strip())
    for family in CJK_FAMILIES:
        if family in found:
            return family, found[family]
    if found:
        family = sorted(found)[0]
        return family, found[family]
    return None


def _css_string(value):
    """A value as a CSS string: quotes and backslashes escaped, and every control character (a line break ends
    a CSS string and lets what follows be read as rules) written as a hex escape — nothing in it can end the
    string, the rule or the style sheet."""
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "<>":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class FetchRefused(ValueError):
    """A URL a printed document may not fetch (WeasyPrint logs it and leaves the resource out)."""


def _inside(path, root):
    """The resolved path when it is the root or inside it, else None (../ and symlinks out are refused)."""
    try:
        resolved = Path(path).resolve()
        return resolved if resolved.is_relative_to(Path(root).resolve()) and resolved.is_file() else None
    except (OSError, ValueError):
        return None


def _static_file(name):
    """The file of a static name, found as the static files finders find it (the app's folders, each path
    joined safely) or in STATIC_ROOT (collected, with the hashed names production prints), or None."""
    from django.contrib.staticfiles import finders
    from django.core.exceptions import SuspiciousFileOperation

    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        found = None
    if found and Path(found).is_file():
        return Path(found).resolve()
    return _inside(Path(settings.STATIC_ROOT) / name, settings.STATIC_ROOT) if settings.STATIC_ROOT else None


def _app_static_dirs():
    from django.apps import apps

    return [str(Path(app.path) / "static") for app in apps.get_app_configs()]


def _allowed_roots():
    roots = [str(d[1] if isinstance(d, (tuple, list)) else d) for d in settings.STATICFILES_DIRS]
    roots += _app_static_dirs()
    roots += [str(r) for r in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if r]
    return roots


def _local_file(url, base_url):
    """The file on disk an allowed URL names, or None."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = unquote(parts.path)
        font = find_cjk_font()
        if font and Path(path) == Path(font[1]):
            return _inside(path, Path(font[1]).parent)
        for root in _allowed_roots():
            inside = _inside(path, root)
            if inside:
                return inside
        return None
    if parts.scheme not in ("http", "https"):
        return None
    base = urlsplit(base_url or "")
    if not base.netloc or (parts.scheme, parts.netloc.lower()) != (base.scheme, base.netloc.lower()):
        return None  # another host, or no address of the app's own to compare with
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith("/") or ".." in unquote(parts.path).split("/"):
        return None
    for prefix, reader in ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file)):
        prefix = "/" + prefix.strip("/") + "/" if prefix and not prefix.startswith(("http:", "https:")) else None
        if prefix and path.startswith(prefix):
            return reader(path[len(prefix):])
    return None


def _media_file(name):
    if not settings.MEDIA_ROOT or name.startswith("/") or ".." in name.split("/"):
        return None
    return _inside(Path(settings.MEDIA_ROOT) / name, settings.MEDIA_ROOT)


def make_url_fetcher(base_url=None):
    """WeasyPrint's url_fetcher for a document whose own address is base_url (see the module's docstring)."""
    def fetch_url(url, timeout=10, ssl_context=None):
        from weasyprint.urls import default_url_fetcher

        if url.startswith("data:"):
            return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
        path = _local_file(url, base_url)
        if path is None:
            raise FetchRefused(f"printed documents fetch nothing outside the app's files: {url[:200]}")
        return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0],
                "redirected_url": path.as_uri()}
    return fetch_url


def print_context(context):
    """The context of a printed document with what print/base.html puts in every page header: the
    school's name (print_school) and the term (print_term: the caller's, else its `term`, else the current one)."""
    from .models import SchoolProfile, Term

    context = dict(context or {})
    if not context.get("print_school"):
        context["print_school"] = SchoolProfile.get().name
    if context.get("print_term") is None:
        context["print_term"] = context.get("term") or Term.objects.current()
    return context


def render_pdf(template_name, context, request=None, base_url=None):
    """Render a template under templates/print/ to PDF bytes, with a CJK font embedded."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # "℃" (one character) is missing from the CJK fonts Debian installs by default (WenQuanYi): print "°C",
    # which every font has and reads the same, whoever typed which.
    html = render_to_string(template_name, print_context(context), request=request).replace("℃", "°C")
    font_config = FontConfiguration()
    stylesheets = []
    font = find_cjk_font()
    if font:
        family, file = font
        # The font keeps its own family name, so pdffonts names the font a PDF embeds; 'SchoolCJK' stays an
        # alias for the charts (logistics/charts.py) that ask for it by that name.
        src = f"src: local({_css_string(family)}), url({_css_string(Path(file).as_uri())});"
    base = base_url or (request.build_absolute_uri("/") if request else str(settings.BASE_DIR))
    fetcher = make_url_fetcher(base)
    if font:
        stylesheets.append(CSS(string=(
            f"@font-face {{ font-family: {_css_string(family)}; {src} }}"
            f"@font-face {{ font-family: 'SchoolCJK'; {src} }}"
            f"html {{ font-family: {_css_string(family)}, sans-serif; }}"
        ), font_config=font_config, url_fetcher=fetcher))
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets,
                                                                           font_config=font_config)


def pdf_response(template_name, context, request, filename, *, inline=True):
    """The PDF of a print template as a response, shown in the browser (inline) or downloaded.

    filename: ASCII, e.g. "WX-2026-00042.pdf"; printed documents are never cached by a shared proxy."""
    from django.http import HttpResponse

    response = HttpResponse(render_pdf(template_name, context, request=request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
