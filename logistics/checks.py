"""System checks that say what a missing piece would otherwise hide."""
from django.core.checks import Warning, register


@register()
def cjk_font_installed(app_configs, **kwargs):
    """WeasyPrint prints Chinese as empty boxes without a CJK font, and says nothing: we say it."""
    from .pdf import find_cjk_font

    if find_cjk_font() is None:
        return [Warning(
            "No font with Chinese glyphs was found: printed documents would show boxes instead of Chinese.",
            hint="Install one (Debian: apt-get install fonts-wqy-microhei, or fonts-noto-cjk), "
                 "or set PDF_CJK_FONT_FILE to the path of a .ttf/.otf/.ttc font file.",
            id="logistics.W001",
        )]
    return []
