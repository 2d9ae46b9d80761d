"""One named user per role (like healthchecks' alice/bob), a school with rooms, and a current term."""
import datetime
import io
import os

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from PIL import Image

from logistics.models import Building, Location, SchoolProfile, Term
from logistics.modules import settings_models

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright's sync API

PASSWORD = "test-pass-123"

# username -> (role, display name)
PEOPLE = {
    "teacher": ("staff", "王丽"),
    "teacher2": ("staff", "刘洋"),
    "worker": ("logistics", "张师傅"),
    "worker2": ("logistics", "李师傅"),
    "head": ("logistics_head", "陈主任"),
    "principal": ("principal", "赵校长"),
    "finance": ("finance", "孙会计"),
    "canteen": ("canteen", "周师傅"),
    "safety": ("safety", "吴老师"),
    "auditor": ("auditor", "郑审计"),
}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (logistics.freshness): the database rolls back after a test, and on
    SQLite its ids and history ids come again, so a result cached in one test could pass for fresh in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(username, role=None, name=""):
    user = User.objects.create_user(username, password=PASSWORD, first_name=name)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


@pytest.fixture
def users(db):
    """All the people of PEOPLE, by username."""
    return {u: make_user(u, role, name) for u, (role, name) in PEOPLE.items()}


@pytest.fixture
def teacher(users):
    return users["teacher"]


@pytest.fixture
def worker(users):
    return users["worker"]


@pytest.fixture
def head(users):
    return users["head"]


@pytest.fixture
def auditor(users):
    return users["auditor"]


@pytest.fixture
def school(db):
    """A profile with each module's settings, a teaching building with two classrooms, and a term around today."""
    SchoolProfile.objects.create(name="实验小学")
    for model in settings_models():
        model.get()
    building = Building.objects.create(name="教学楼")
    rooms = [
        Location.objects.create(building=building, name="一(1)班", floor=1, kind=Location.Kind.CLASSROOM),
        Location.objects.create(building=building, name="一(2)班", floor=1, kind=Location.Kind.CLASSROOM),
    ]
    today = timezone.localdate()
    term = Term.objects.create(name="本学期", start=today - datetime.timedelta(days=60),
                               end=today + datetime.timedelta(days=60))
    return {"building": building, "rooms": rooms, "room": rooms[0], "term": term}


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 40, 40)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns the client."""
    def _login(user):
        client.force_login(user)
        return client
    return _login


@pytest.fixture
def english():
    """Messages in English for tests that compare them (the pages are read in Chinese elsewhere)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client, settings):
    """The test client asks for English pages (the language switch's cookie), as a reader who chose English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
