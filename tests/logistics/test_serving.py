"""logistics.serving: a web process compiles every template and imports its URLconf before its first request, then
keeps what it loaded out of the garbage collector's way."""
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from logistics import serving


def test_every_template_of_the_project_compiles():
    files = [p for folder in settings.TEMPLATES[0]["DIRS"] for p in Path(folder).rglob("*.html")]
    assert len(files) > 200
    assert serving.compile_templates() == len(files)


def test_the_wsgi_process_starts_with_its_templates_compiled_and_its_objects_frozen():
    """In a process of its own (as gunicorn's worker imports it): the collector is tuned after the import."""
    code = ("import gc; from logistics import wsgi; from django.template import engines; "
            "loader = engines['django'].engine.template_loaders[0]; "
            "print(gc.get_freeze_count(), tuple(gc.get_threshold()), len(loader.get_template_cache))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "logistics.settings", "DEBUG": "false",
           "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         cwd=settings.BASE_DIR, check=True).stdout.split(maxsplit=1)
    frozen, rest = int(out[0]), out[1]
    assert frozen > 50_000  # Django, the apps and their compiled templates
    threshold, templates = rest.rsplit(" ", 1)
    assert threshold == str(serving.GC_THRESHOLD)
    assert int(templates) > 200
