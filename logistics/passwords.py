"""Password rules with messages in the reader's language."""
from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with a message our catalogue translates: Django 5.2 changed its msgid
    (to "%d") and its Chinese catalogue still has the old one, so the message showed in English."""

    def get_error_message(self):
        return ngettext("This password is too short. It must contain at least %(min_length)d character.",
                        "This password is too short. It must contain at least %(min_length)d characters.",
                        self.min_length) % {"min_length": self.min_length}
