"""Photos of a fault: only real JPEG, PNG and WebP within budget, re-encoded so nothing hidden survives."""
import html
import io
import struct
import uuid
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageFile, PngImagePlugin

from assets import services
from assets.models import RepairPhoto, RepairRequest
from logistics import images
from tests.conftest import image_bytes


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def teacher_client(client, users):
    client.force_login(users["teacher"])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def shown(response):
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps_and_comment():
    """A phone photo that tells where it was taken, with a script in its comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 17.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buf, "JPEG", exif=exif,
                                                    comment=b"<script>alert(1)</script>")
    data = buf.getvalue()
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert original.info["comment"] == b"<script>alert(1)</script>"
    return data


def png_declaring(width, height):
    """A complete, valid 1-bit PNG of the given size: a few kilobytes that decode to a huge image."""
    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def report_data(school, photos):
    return {"category": "lighting", "location": school["room"].pk, "title": "灯不亮", "urgency": "normal",
            "submit_token": str(uuid.uuid4()), "photos": photos}


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def assert_nothing_saved(media):
    assert not RepairRequest.objects.exists()
    assert not RepairPhoto.objects.exists()
    assert stored_files(media) == []


# --- accepted through the report form ---------------------------------------------------------

@pytest.mark.parametrize(("fmt", "ext", "content_type"), [
    ("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp"),
])
def test_jpeg_png_and_webp_photos_are_accepted(users, school, teacher_client, media, fmt, ext, content_type):
    photo = upload(f"IMG_0001.{ext}", image_bytes(fmt), content_type)
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]), follow=True)
    repair = RepairRequest.objects.get()
    stored = RepairPhoto.objects.get(request=repair)
    assert stored.uploaded_by == users["teacher"]
    assert (stored.width, stored.height) == (64, 48)
    assert stored.image.name.endswith(f".{ext}")
    assert "IMG_0001" not in stored.image.name  # the name is ours, not the phone's
    with Image.open(stored.image.path) as image:
        assert image.format == fmt
        assert image.size == (64, 48)
    assert reverse("assets:repair_photo", args=[repair.pk, stored.pk]) in shown(response)


def test_three_photos_are_accepted(users, school, teacher_client):
    photos = [upload(f"p{i}.png", image_bytes("PNG"), "image/png") for i in range(3)]
    teacher_client.post(reverse("assets:repair_report"), report_data(school, photos))
    assert RepairRequest.objects.get().photos.count() == 3


def test_stored_photo_keeps_no_gps_and_no_comment(users, school, teacher_client):
    photo = upload("IMG_0002.jpg", jpeg_with_gps_and_comment())
    teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    stored = RepairPhoto.objects.get()
    raw = stored.image.read()
    assert b"Exif" not in raw
    assert b"script" not in raw
    with Image.open(io.BytesIO(raw)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert "comment" not in image.info


def test_png_text_and_appended_data_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buf, "PNG", pnginfo=info)
    data = buf.getvalue() + b"PK\x03\x04 hidden archive"
    cleaned = images.clean_photo(upload("a.png", data, "image/png")).read()
    assert b"script" not in cleaned
    assert b"hidden archive" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.text == {}


def test_a_sideways_phone_photo_is_turned_upright():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buf, "JPEG", exif=exif)
    cleaned = images.clean_photo(upload("a.jpg", buf.getvalue()))
    with Image.open(cleaned) as image:
        assert image.size == (48, 64)
        assert len(image.getexif()) == 0


def test_a_huge_photo_is_shrunk_to_the_longest_side():
    cleaned = images.clean_photo(upload("big.png", image_bytes("PNG", size=(3000, 1500)), "image/png"))
    with Image.open(cleaned) as image:
        assert image.size == (images.MAX_SIDE, images.MAX_SIDE // 2)


# --- refused through the report form: a message, and nothing saved ----------------------------

def test_a_text_file_named_jpg_is_refused(users, school, teacher_client, media):
    photo = upload("photo.jpg", b"This is not a picture, only text.\n" * 20)
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert response.status_code == 200
    assert "“photo.jpg” is not a JPEG, PNG or WebP photo." in shown(response)
    assert "please choose them again" in shown(response)
    assert_nothing_saved(media)


@pytest.mark.parametrize("name", ["anim.gif", "anim.jpg"])
def test_a_gif_is_refused_whatever_its_name(users, school, teacher_client, media, name):
    photo = upload(name, image_bytes("GIF"), "image/gif")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert response.status_code == 200
    assert f"“{name}” is not a JPEG, PNG or WebP photo." in shown(response)
    assert_nothing_saved(media)


def test_an_svg_is_refused(users, school, teacher_client, media):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    photo = upload("drawing.png", svg, "image/png")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert "“drawing.png” is not a JPEG, PNG or WebP photo." in shown(response)
    assert_nothing_saved(media)


def test_a_file_over_the_byte_limit_is_refused(users, school, teacher_client, media, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    data = image_bytes("PNG", size=(200, 200)) + b"\x00" * 1000
    photo = upload("large.png", data, "image/png")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert response.status_code == 200
    assert "“large.png” is" in shown(response)
    assert "a photo may be at most 1000 bytes." in shown(response)
    assert_nothing_saved(media)


def test_a_photo_just_over_ten_megabytes_is_refused(users, school, teacher_client, media):
    assert django_settings.MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    data = image_bytes("PNG")
    data += b"\x00" * (10 * 1024 * 1024 + 1 - len(data))
    photo = upload("phone.png", data, "image/png")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert response.status_code == 200
    assert "“phone.png” is 10.0 MB; a photo may be at most 10.0 MB." in shown(response)
    assert_nothing_saved(media)


def test_a_photo_of_exactly_ten_megabytes_is_accepted():
    data = image_bytes("PNG")
    data += b"\x00" * (10 * 1024 * 1024 - len(data))
    cleaned = images.clean_photo(upload("phone.png", data, "image/png"))
    assert len(cleaned.read()) < 10_000


@pytest.mark.parametrize(("width", "height"), [
    (10_000, 10_000),  # over Pillow's own bomb warning
    (20_000, 20_000),  # over twice that: Pillow's bomb error
    (7_000, 7_000),  # Pillow would open it; over our MAX_UPLOAD_PIXELS (40 million)
])
def test_a_decompression_bomb_is_refused(users, school, teacher_client, media, width, height):
    data = png_declaring(width, height)
    assert len(data) < 100_000
    photo = upload("bomb.png", data, "image/png")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert response.status_code == 200
    assert "“bomb.png” has too many pixels (at most 40 million)." in shown(response)
    assert_nothing_saved(media)


def test_the_pixel_budget_is_a_setting(users, school, teacher_client, media, settings):
    settings.MAX_UPLOAD_PIXELS = 2_000_000
    photo = upload("wide.png", png_declaring(2000, 1001), "image/png")
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert "“wide.png” has too many pixels (at most 2 million)." in shown(response)
    assert_nothing_saved(media)


def test_the_pixel_budget_reads_in_ten_thousands_in_chinese(users, school, client, media):
    client.force_login(users["teacher"])  # Chinese, the default language
    photo = upload("bomb.png", png_declaring(7_000, 7_000), "image/png")
    response = client.post(reverse("assets:repair_report"), report_data(school, [photo]))
    assert "“bomb.png”像素过多（最多 4000 万像素）。" in shown(response)
    assert "百万" not in shown(response)
    assert_nothing_saved(media)


def test_four_photos_are_refused(users, school, teacher_client, media):
    photos = [upload(f"p{i}.png", image_bytes("PNG"), "image/png") for i in range(4)]
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, photos))
    assert response.status_code == 200
    assert "At most 3 photos." in shown(response)  # photos of a repair or of damage: not "per request"
    assert_nothing_saved(media)


def test_one_bad_photo_among_good_ones_saves_nothing(users, school, teacher_client, media):
    photos = [upload("good.png", image_bytes("PNG"), "image/png"), upload("bad.jpg", b"not an image")]
    response = teacher_client.post(reverse("assets:repair_report"), report_data(school, photos))
    assert "“bad.jpg” is not a JPEG, PNG or WebP photo." in shown(response)
    assert "good.png" not in shown(response)
    assert_nothing_saved(media)


def test_the_typed_report_is_kept_when_a_photo_is_refused(users, school, teacher_client):
    data = report_data(school, [upload("bad.jpg", b"not an image")])
    data["title"] = "窗户关不上"
    response = teacher_client.post(reverse("assets:repair_report"), data)
    assert 'value="窗户关不上"' in shown(response)


# --- the service checks too: all or nothing ---------------------------------------------------

def test_the_service_refuses_four_photos(users, school, media):
    photos = [upload(f"p{i}.png", image_bytes("PNG"), "image/png") for i in range(4)]
    with pytest.raises(ValidationError):
        services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                               title="灯不亮", photos=photos)
    assert_nothing_saved(media)


def test_the_service_checks_raw_uploads_before_writing_anything(users, school, media):
    photos = [upload("good.png", image_bytes("PNG"), "image/png"), upload("bad.gif", image_bytes("GIF"))]
    with pytest.raises(ValidationError) as exc:
        services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                               title="灯不亮", photos=photos)
    assert exc.value.code == "type"
    assert_nothing_saved(media)


def test_the_service_stores_raw_uploads_re_encoded(users, school, media):
    repair = services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                    title="灯不亮", photos=[upload("a.jpg", jpeg_with_gps_and_comment())])
    photo = repair.photos.get()
    with Image.open(photo.image.path) as image:
        assert len(image.getexif()) == 0
    assert len(stored_files(media)) == 1


# --- clean_photo directly ---------------------------------------------------------------------

@pytest.mark.parametrize(("data", "code"), [
    (b"", "type"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "type"),  # a PNG signature with nothing valid after it
    (image_bytes("PNG")[:60], "type"),  # a photo cut short in transfer
    (image_bytes("BMP"), "type"),
    (image_bytes("TIFF"), "type"),
])
def test_clean_photo_refuses_what_is_not_a_whole_allowed_photo(data, code):
    with pytest.raises(ValidationError) as exc:
        images.clean_photo(upload("x.png", data, "image/png"))
    assert exc.value.code == code


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_photo_cut_short_is_refused_even_after_a_pdf_was_printed(fmt):
    import weasyprint.images  # noqa: F401  what printing a work order does to this process

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole = image_bytes(fmt, size=(400, 300))
    with pytest.raises(ValidationError) as exc:
        images.clean_photo(upload(f"cut.{fmt.lower()}", whole[: len(whole) // 2]))
    assert exc.value.code == "type"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


def test_clean_photo_measures_a_file_without_a_size():
    class Stream(io.BytesIO):
        name = "stream.png"

    with pytest.raises(ValidationError) as exc:
        images.clean_photo(Stream(image_bytes("PNG") + b"\x00" * (10 * 1024 * 1024)))
    assert exc.value.code == "too_large"
    assert images.clean_photo(Stream(image_bytes("PNG"))).name.endswith(".png")


# --- who may see a photo ----------------------------------------------------------------------

@pytest.fixture
def repair_with_photo(users, school):
    return services.repair_report(reporter=users["teacher"], category="lighting", location=school["room"],
                                  title="灯不亮", photos=[upload("a.png", image_bytes("PNG"), "image/png")])


@pytest.mark.parametrize("who", ["teacher", "worker", "head", "auditor"])
def test_reporter_and_readers_of_the_queue_see_the_photo(users, client, repair_with_photo, who):
    photo = repair_with_photo.photos.get()
    client.force_login(users[who])
    response = client.get(reverse("assets:repair_photo", args=[repair_with_photo.pk, photo.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=86400"
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (64, 48)


@pytest.mark.parametrize("who", ["teacher2", "finance"])
def test_other_staff_get_404_on_the_photo(users, client, repair_with_photo, who):
    photo = repair_with_photo.photos.get()
    client.force_login(users[who])
    response = client.get(reverse("assets:repair_photo", args=[repair_with_photo.pk, photo.pk]))
    assert response.status_code == 404


def test_a_photo_is_only_found_under_its_own_request(users, school, client, repair_with_photo):
    photo = repair_with_photo.photos.get()
    own = services.repair_report(reporter=users["teacher2"], category="doors", location=school["room"],
                                 title="门锁坏了")
    client.force_login(users["teacher2"])
    response = client.get(reverse("assets:repair_photo", args=[own.pk, photo.pk]))
    assert response.status_code == 404


def test_a_photo_missing_on_disk_is_a_404(users, client, repair_with_photo):
    photo = repair_with_photo.photos.get()
    photo.image.storage.delete(photo.image.name)
    client.force_login(users["teacher"])
    response = client.get(reverse("assets:repair_photo", args=[repair_with_photo.pk, photo.pk]))
    assert response.status_code == 404
