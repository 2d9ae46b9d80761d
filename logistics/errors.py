from django.shortcuts import render


def forbidden(request, exception=None):
    """A 403 that says, in the user's language, why: usually a missing role."""
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)
