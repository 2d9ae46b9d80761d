"""Findings are the kernel's; the modules grant their permissions to roles. Here a tests-only grant:
the inspector (安全员) raises and verifies, the worker fixes what they are responsible for, the head reads
everything (READ_ALL) and verifies, and a second worker may record anyone's fix (fix_finding)."""
import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from logistics.findings import services
from tests.conftest import image_bytes, make_user


def grant(user, *codenames):
    """The user, fresh, in a tests-only group holding these logistics permissions."""
    group, _ = Group.objects.get_or_create(name=f"findings-test-{'-'.join(sorted(codenames))}")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="logistics", codename__in=codenames))
    user.groups.add(group)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(users):
    """inspector (add + verify), worker (responsible, no permission), fixer (fix_finding), head (view via
    READ_ALL, + verify), teacher (nothing), verifier2 (verify only)."""
    return {
        "inspector": grant(users["safety"], "add_finding", "verify_finding", "view_finding"),
        "worker": users["worker"],
        "fixer": grant(users["worker2"], "fix_finding", "view_finding"),
        "head": grant(users["head"], "verify_finding", "add_finding"),
        "teacher": users["teacher"],
        "verifier2": grant(make_user("verifier2", "staff", "钱老师"), "verify_finding", "view_finding"),
        "auditor": users["auditor"],
    }


def photo(name="fix.png"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/png")


def raise_one(people, school, *, area="safety", days=7, **extra):
    fields = {"area": area, "title": "灭火器压力不足", "description": "三楼东侧走廊", "location": school["room"],
              "responsible": people["worker"], "deadline": timezone.localdate() + datetime.timedelta(days=days),
              "by": people["inspector"]}
    return services.finding_raise(**{**fields, **extra})


@pytest.fixture
def finding(people, school):
    return raise_one(people, school)
