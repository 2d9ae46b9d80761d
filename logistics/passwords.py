"""Password rules with messages in the reader's language, for staff who are not IT people: long rather than
clever (10 characters or more), not a common password, and not the demo's published password nor a variant."""
import re
from difflib import SequenceMatcher

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Printed in the README and on the demo's login page: anyone may know it.
DEMO_PASSWORD = "demo12345"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length (10 here: a short sentence is easier to remember than symbols), with a message
    our catalogue translates: Django 5.2 changed its msgid (to "%d") and its Chinese catalogue still has the old
    one, so the message showed in English."""

    def __init__(self, min_length=10):
        super().__init__(min_length=min_length)

    def get_error_message(self):
        return ngettext("This password is too short. It must contain at least %(min_length)d character.",
                        "This password is too short. It must contain at least %(min_length)d characters.",
                        self.min_length) % {"min_length": self.min_length}


def _letters_and_digits(text):
    return re.sub(r"[^0-9a-z]", "", text.lower())


class DemoPasswordValidator:
    """Refuses the demo's published password and close variants of it: in another case, with symbols or
    spaces, with digits added or the parts turned round ("Demo-12345!", "demo123456", "12345demo")."""

    def __init__(self, password=DEMO_PASSWORD, similarity=0.75):
        self.demo = _letters_and_digits(password)
        self.word = re.sub(r"\d", "", self.demo)  # "demo"
        self.similarity = similarity

    def is_variant(self, password):
        text = _letters_and_digits(password)
        if not text:
            return False
        if self.demo in text or SequenceMatcher(None, text, self.demo).ratio() >= self.similarity:
            return True
        # the word with nothing but digits around it: "demo2026", "12345demo", "0demo99"
        return bool(self.word) and self.word in text and not re.sub(r"\d", "", text.replace(self.word, "", 1))

    def validate(self, password, user=None):
        if self.is_variant(password):
            raise ValidationError(self.get_error_message(), code="password_is_demo")

    def get_error_message(self):
        return _("This password is the demo's published password or too close to it: anyone can guess it. "
                 "Choose another one.")

    def get_help_text(self):
        return _("Your password can't be the demo's password or close to it.")
