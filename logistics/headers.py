"""The Permissions-Policy header: the browser features no page of the app uses are switched off for every page.

The repair form's photos come from the phone's camera through <input type=file accept=image/* capture>: the phone's
own camera app takes the picture and hands the form a file, so the page itself never asks for the camera and
`camera=()` does not stop it (tests/browser/test_csp.py checks the file input still takes a photo)."""
from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
