"""Checking and re-encoding uploaded photos.

Only JPEG, PNG and WebP are accepted, within a byte and a pixel budget. Every photo is decoded and
written anew, so whatever was hidden in the original (EXIF with GPS, appended data, scripts in
metadata) is dropped, and a file that only pretends to be an image is refused.
"""
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE = 2560  # longer side kept; phone photos shrink to a size a worker's phone opens quickly


class CleanPhoto(ContentFile):
    """A photo that has passed clean_photo: checked and re-encoded."""


def pixel_count(pixels):
    """A number of pixels as the reader counts them: "(at most) 40 million", "4000 万像素". Chinese counts in
    万 (ten thousand), so the catalogue gives the unit as well as the words."""
    try:
        unit = int(pgettext("the unit pixels are counted in (a number)", "1000000"))
    except ValueError:
        unit = 1_000_000
    return pgettext("a number of pixels", "%(count)s million") % {"count": f"{pixels / unit:g}"}


def upload_size(upload):
    """An upload's size in bytes, measured when the file object does not say (a stream)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def clean_photo(upload):
    """Return a ContentFile holding the re-encoded image, or raise ValidationError with a clear message."""
    name = getattr(upload, "name", "") or "photo"
    size = upload_size(upload)
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    not_an_image = ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name}, code="type")
    too_many_pixels = ValidationError(
        _("“%(name)s” has too many pixels (at most %(limit)s).")
        % {"name": name, "limit": pixel_count(settings.MAX_UPLOAD_PIXELS)},
        code="too_many_pixels",
    )
    # WeasyPrint, once it has printed, lets Pillow load truncated files process-wide: not for uploads.
    load_truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED:
                raise not_an_image
            width, height = image.size
            if width * height > settings.MAX_UPLOAD_PIXELS:
                raise too_many_pixels
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = load_truncated

    fmt = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Pillow writes a JPEG's comment back unless told otherwise: it may hold anything.
    image.info.pop("comment", None)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return CleanPhoto(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED[fmt]}")
