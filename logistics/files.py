"""Checking, naming and serving uploaded documents (quotes, minutes, invoices).

Only PDF and images are accepted, told by their content (the first bytes), never by the name or the
type the browser claims; within settings.MAX_UPLOAD_BYTES. Images go through logistics.images (decoded
and written anew); a PDF is kept as sent. Every file is stored under a random name, so one file's
address says nothing about another's, and served as a download with a content type from our own list.
"""
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from . import images

# The extensions we store, and the only content types we ever send for them.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# What the file picker offers (the content is checked all the same).
ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"
_SNIFF_BYTES = 16


def _kind(head):
    """"pdf", "image" or None, from a file's first bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")):
        return "image"
    return None


class CleanDocument(ContentFile):
    """A document that has passed clean_document: checked, and named at random."""


def clean_document(upload):
    """Return a CleanDocument (a PDF as sent, an image re-encoded) under a random name, or raise a
    ValidationError that says why the file is refused."""
    name = getattr(upload, "name", "") or "file"
    size = images.upload_size(upload)
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    kind = _kind(upload.read(_SNIFF_BYTES))
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF or an image (JPEG, PNG, WebP): only these can be attached.")
            % {"name": name},
            code="type",
        )
    if kind == "image":
        photo = images.clean_photo(upload)
        return CleanDocument(photo.read(), name=photo.name)
    return CleanDocument(upload.read(), name=f"{uuid.uuid4().hex}.pdf")


def random_upload_path(folder, filename):
    """folder/YYYY/MM/<random>.<ext>: the extension kept only when it is one we store (a cleaned
    document's always is)."""
    ext = os.path.splitext(filename)[1].lower()
    if ext not in CONTENT_TYPES:
        ext = ""
    return f"{folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


def document_response(field_file, download_name):
    """A stored document as a download, after the view has checked who may read its record: a content
    type from CONTENT_TYPES (anything else, such as a file stored before uploads were checked, as
    bytes), never sniffed, never shown inline; 404 when the file is gone."""
    from django.http import FileResponse

    ext = os.path.splitext(field_file.name)[1].lower()
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=f"{download_name}{ext}",
                            content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response
