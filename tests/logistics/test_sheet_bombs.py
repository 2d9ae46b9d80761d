"""An uploaded workbook's parts are measured before openpyxl opens it (logistics.sheets.zip_parts_problem): a 1 MB
file that expands to 300 MB is refused at once with a message, nothing imported; a normal file still imports."""
import io
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assets import excel
from assets.models import Asset
from logistics.sheets import zip_parts_problem
from tests.assets._register import category, row, xlsx

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


class _RepeatingDeflate:
    """Stands in for zipfile's compressor: each 1 MB chunk of rows is deflated once, as a block ending in a full
    flush (which references nothing before it), and that block is written again for every repeat — so the test
    writes a real 300 MB part in a fraction of a second instead of deflating 300 MB."""

    def __init__(self, chunk):
        self.deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.chunk = chunk
        self.block = self.deflate.compress(chunk) + self.deflate.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data):
        if data == self.chunk:
            return self.block
        return self.deflate.compress(data) + self.deflate.flush(zlib.Z_FULL_FLUSH)

    def flush(self):
        return self.deflate.flush()


def bomb(megabytes=300, name="register.xlsx"):
    """A real .xlsx (the template's header row) whose sheet part inflates to `megabytes` MB of repeated rows."""
    source = xlsx([row()])
    source.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != SHEET:
                zout.writestr(item.filename, zin.read(item.filename))
                continue
            xml = zin.read(SHEET).decode()
            head, tail = xml[:xml.index("</sheetData>")], xml[xml.index("</sheetData>"):]
            one = "<row><c t=\"inlineStr\"><is><t>学生计算机</t></is></c><c><v>1</v></c></row>".encode()
            chunk = one * (MB // len(one))
            with zout.open(SHEET, "w", force_zip64=True) as part:
                part._compressor = _RepeatingDeflate(chunk)
                part.write(head.encode())
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(tail.encode())
    return SimpleUploadedFile(name, out.getvalue(), content_type=excel.XLSX_TYPE)


@pytest.fixture
def cats(db):
    return [category(), category("教学、实验用桌", "A05010203", False)]


def test_the_crafted_file_is_a_real_bomb():
    """What the refusal guards against: 1 MB that a parser would inflate to 300 MB of valid rows."""
    file = bomb()
    assert len(file.read()) < 2 * MB
    file.seek(0)
    with zipfile.ZipFile(file) as z:
        info = z.getinfo(SHEET)
        assert info.file_size > 290 * MB
        with z.open(SHEET) as part:
            start = part.read(4 * MB)  # inflates as declared: the repeated blocks are a valid deflate stream
    assert start.count("学生计算机".encode()) > 40_000


def test_a_bomb_import_is_refused_at_once_and_nothing_is_imported(users, school, login, cats):
    client = login(users["worker"])
    started = time.monotonic()
    with translation.override("en"):
        response = client.post(reverse("assets:asset_import"), {"file": bomb()}, **EN)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    page = response.content.decode()
    assert "expands to more than 64 MB" in page
    assert Asset.objects.count() == 0
    assert elapsed < 10, elapsed  # the check reads only the directory (under 1 ms); the rest is the request


def test_the_refusal_is_in_chinese_by_default(users, school, login, cats):
    response = login(users["worker"]).post(reverse("assets:asset_import"), {"file": bomb(80)})
    assert response.status_code == 200
    assert Asset.objects.count() == 0
    assert "64 MB" in response.content.decode()  # the message, in Chinese: 文件打开后超过 64 MB …


def _zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    out.seek(0)
    return out


def test_too_many_parts_a_part_too_compressed_and_too_much_in_all_are_each_refused():
    assert zip_parts_problem(_zip([(f"x/{i}.xml", b"<a/>") for i in range(1001)]))
    assert zip_parts_problem(_zip([("xl/sharedStrings.xml", b"<si><t>a</t></si>" * (8 * MB // 16))]))  # ~1000:1
    assert zip_parts_problem(_zip([("a.xml", b"x" * MB)]), max_total=MB // 2)
    assert zip_parts_problem(io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert zip_parts_problem(_zip([("a.xml", b"<a/>"), ("b.xml", b"<b/>")])) is None


def test_a_normal_register_still_imports(users, school, login, cats):
    file = xlsx([row(), row(name="教师机", serial_number="PC0001")])
    with translation.override("en"):
        response = login(users["worker"]).post(reverse("assets:asset_import"), {"file": file}, **EN)
    assert response.status_code == 302
    assert Asset.objects.count() == 2


def test_the_largest_register_an_import_takes_is_within_bounds():
    """The import's largest file (MAX_ROWS rows, every column filled) is not refused by the size check: measured
    on 2,000 rows written by openpyxl (inline strings: more than Excel writes), times ten, well within."""
    values = row(name="学生计算机（教学用）", notes="备注" * 20, serial_number="SN-0000000000",
                 department="教导处", custodian="teacher")
    file = xlsx([values] * (excel.MAX_ROWS // 10))
    with zipfile.ZipFile(file) as z:
        expanded = sum(i.file_size for i in z.infolist())
    assert expanded * 10 < 64 * MB, expanded
    file.seek(0)
    assert zip_parts_problem(io.BytesIO(file.read())) is None
