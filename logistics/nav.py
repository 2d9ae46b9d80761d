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


# {(what the user may see, the entries, URLconf, script prefix): [(entry, its address)]}: which entries a user
# sees depends only on their permissions, so the twenty-odd permission checks run once per set of permissions a
# process meets (a school has a handful: one per mix of roles), not on every page. Bounded: cleared when it grows
# past MENUS_KEPT.
_MENUS = {}
MENUS_KEPT = 500


def _visible_entries(user):
    if user.is_superuser:
        who = ("superuser",)
    else:
        who = (user.is_active, user.is_staff, frozenset(user.get_all_permissions()))
    every = [*menu_entries(), *KERNEL_MENU]
    key = (who, tuple(map(id, every)), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _MENUS:
        entries, seen = [], set()
        for entry in every:
            if not entry.visible_to(user):
                continue
            url = _url(entry.url_name)
            # A page is in the menu once: the first entry the user sees wins (a module may offer one page as a
            # call to action to those who work in it and as a plain entry to those who read it).
            if url is None or url in seen:
                continue
            seen.add(url)
            entries.append((entry, url))
        if len(_MENUS) >= MENUS_KEPT:
            _MENUS.clear()
        _MENUS[key] = entries
    return _MENUS[key]


def menu_for(request):
    """[{url, label, current, cta}] for the signed-in user (worked out once per request)."""
    if hasattr(request, "_main_menu"):
        return request._main_menu
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    request._main_menu = [
        {"url": url, "label": entry.label, "cta": entry.cta,
         "current": here == entry.url_name or here in entry.also}
        for entry, url in _visible_entries(request.user)]
    return request._main_menu
