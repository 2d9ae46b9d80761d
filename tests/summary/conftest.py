"""The term summary's tests: two terms (the one before and the current one), repairs built through the assets
services, and summaries moved through the summary's own services."""
import datetime

import pytest
from django.utils import timezone

from logistics.models import Term

D = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Signing stores the PDF: under a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def term(school):
    """The current term (around today), from the school fixture."""
    return school["term"]


@pytest.fixture
def earlier(school):
    """The term before the current one."""
    today = timezone.localdate()
    return Term.objects.create(name="上学期", start=today - 250 * D, end=today - 100 * D)
