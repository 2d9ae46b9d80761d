"""The one way the app prints: a template rendered to HTML, then to an A4 PDF by WeasyPrint."""
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

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
    """A value as a CSS string, quotes and backslashes escaped (a font or file name must not end the rule)."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


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
        stylesheets.append(CSS(string=(
            f"@font-face {{ font-family: {_css_string(family)}; {src} }}"
            f"@font-face {{ font-family: 'SchoolCJK'; {src} }}"
            f"html {{ font-family: {_css_string(family)}, sans-serif; }}"
        ), font_config=font_config))
    base = base_url or (request.build_absolute_uri("/") if request else str(settings.BASE_DIR))
    return HTML(string=html, base_url=base).write_pdf(stylesheets=stylesheets, font_config=font_config)


def pdf_response(template_name, context, request, filename, *, inline=True):
    """The PDF of a print template as a response, shown in the browser (inline) or downloaded.

    filename: ASCII, e.g. "WX-2026-00042.pdf"; printed documents are never cached by a shared proxy."""
    from django.http import HttpResponse

    response = HttpResponse(render_pdf(template_name, context, request=request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
