"""`manage.py check --deploy` is clean with the production environment the README documents: the example file
production.env.example, read as a deployment reads it (ENV_FILE), with its SECRET_KEY made the way the file says.
The README and the settings cannot drift apart unnoticed: a warning added by a setting, or a documented value
that no longer holds, fails here."""
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

EXAMPLE = Path(settings.BASE_DIR) / "production.env.example"


def production_env_file(tmp_path):
    """The example file as an administrator fills it in: only the SECRET_KEY is theirs to make."""
    text = EXAMPLE.read_text()
    assert re.search(r"^SECRET_KEY=$", text, re.M), "the example names the SECRET_KEY to fill in"
    filled = re.sub(r"^SECRET_KEY=$", "SECRET_KEY=" + secrets.token_urlsafe(50), text, flags=re.M)
    path = tmp_path / "school-logistics.env"
    path.write_text(filled)
    return path


def check_deploy(env_file):
    # Nothing of the test run's own environment (TESTING, PYTEST_VERSION, DATABASE_URL, DEBUG …) reaches it.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(env_file.parent), "LANG": "C.UTF-8", "ENV_FILE": str(env_file)}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    result = check_deploy(production_env_file(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert not re.search(r"\b(WARNINGS|ERRORS):", output), output


def test_the_check_is_not_blind_a_missing_key_is_reported(tmp_path):
    """The same file without its key filled in: the check names the key (so the test above can fail)."""
    path = tmp_path / "unfilled.env"
    path.write_text(EXAMPLE.read_text())
    result = check_deploy(path)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_the_readme_points_to_the_example_file():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert "production.env.example" in readme
