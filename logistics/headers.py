"""Security headers of the app's own: the Content Security Policy on pages, and the Permissions-Policy.

The repair form's photos come from the phone's camera through its file input (<input type=file accept=image/…>):
the phone offers its camera app, which takes the picture and hands the form a file, so the page itself never asks
for the camera and `camera=()` does not stop it (tests/browser/test_csp.py: the page may not use the camera, the
file input still takes a photo and shows it)."""
from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on HTML pages only. A photo, a PDF or a spreadsheet
    the app serves is shown by the browser's own viewer, whose built-in styles the pages' policy would block; those
    files hold no markup of ours (photos are re-encoded, X-Content-Type-Options: nosniff keeps them images)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Permissions-Policy: every feature in settings.PERMISSIONS_POLICY_DENY switched off, for every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
