"""The main menu, assembled from every module's entries (logistics.modules) and the kernel's own.
Shown by permission; an entry whose page does not exist is left out, and a page is listed once."""
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .modules import MenuEntry, menu_entries

# The kernel's own entries, after every module's.
KERNEL_MENU = [
    MenuEntry("findings:list", _("Rectifications"), "logistics.view_finding", also=("findings:detail", "findings:new"),
              order=890),
    MenuEntry("summary:list", _("Term summary"), "logistics.view_termsummary",
              also=("summary:detail", "summary:opening", "summary:chapter", "summary:arrange"), order=900),
    MenuEntry("admin:index", _("Records"), "is_staff", order=1000),
]


# {(url name, URLconf, script prefix): its address, or None when there is no such page}: the menu's addresses
# take no arguments, so each is worked out once per process rather than on every page (some thirty reverse()).
_URLS = {}


def _url(name):
    key = (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def menu_for(request):
    """[{url, label, current, cta}] for the signed-in user (worked out once per request)."""
    if hasattr(request, "_main_menu"):
        return request._main_menu
    user = request.user
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    items, seen = [], set()
    for entry in [*menu_entries(), *KERNEL_MENU]:
        if not entry.visible_to(user):
            continue
        url = _url(entry.url_name)
        if url is None:
            continue
        # A page is in the menu once: the first entry the user sees wins (a module may offer one page as a
        # call to action to those who work in it and as a plain entry to those who read it).
        if url in seen:
            continue
        seen.add(url)
        items.append({"url": url, "label": entry.label, "cta": entry.cta,
                      "current": here == entry.url_name or here in entry.also})
    request._main_menu = items
    return items
