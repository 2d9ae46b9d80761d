"""Pages render with the production static storage (hashed, compressed names), not only the test one."""
import re

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "logistics.storage.StaticStorage"},
}


def test_login_page_links_hashed_css_after_collectstatic(client, db, tmp_path):
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        response = client.get(reverse("login"))
        assert response.status_code == 200
        css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', response.content.decode())
        assert css, "the stylesheet should be linked by its hashed name"
        assert (tmp_path / css.group(1).removeprefix("/static/")).exists()
        assert (tmp_path / (css.group(1).removeprefix("/static/") + ".gz")).exists()
