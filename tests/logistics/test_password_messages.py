"""Changing one's password in Chinese (the default language): every rule's message is in Chinese."""
import pytest
from django.urls import reverse

from ..conftest import PASSWORD


@pytest.mark.parametrize("new, message", [
    ("Qx7#", "密码太短，至少需要 10 个字符。"),
    ("84736291058", "密码只包含数字。"),
    ("password123", "这个密码太常见了。"),
])
def test_the_password_rules_speak_chinese_on_the_change_page(users, login, new, message):
    response = login(users["teacher"]).post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "This password" not in html and "Your password" not in html
