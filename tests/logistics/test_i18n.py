"""Chinese first, English too: the default language, the switch, and a complete catalogue."""
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "Log in" not in html


def test_language_switch_turns_the_login_page_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "登录" not in html
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")},
                           follow=True)
    assert "登录" in response.content.decode()


def test_home_in_chinese_shows_no_english_menu(users, school, client):
    client.force_login(users["head"])
    html = client.get(reverse("home")).content.decode()
    for english in ("Report a repair", "My requests", "Repair queue", "What waits for me"):
        assert english not in html
    assert "报修" in html


def _entries(path):
    """(msgid, msgstrs, flags) for every entry of a .po file, header excluded."""
    text = path.read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n\s*\n", text):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((fields["msgid"], strs, flags))
    return entries


def test_zh_hans_catalogue_is_complete():
    entries = _entries(PO)
    assert len(entries) > 200
    untranslated = [msgid for msgid, strs, _ in entries if not all(strs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("msgid", ["Report a repair", "Repair queue", "Overdue", "Log in"])
def test_compiled_catalogue_matches_the_po_file(msgid):
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    translated = {m: s[0] for m, s, _ in _entries(PO) if len(s) == 1}
    assert catalogue.gettext(msgid) == translated[msgid] != msgid
