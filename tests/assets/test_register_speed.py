"""The register at a big school's size: a bounded number of queries whatever the rows, filter, search or page
(ids first for a page, choices drawn without a template per option), a whole tag found through its index, and
the trigram indexes of migration 0010 on PostgreSQL only."""
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from assets.forms.register import AssetFilterForm
from assets.models import Asset
from logistics.models import Building, Department, Location

from ._register import bulk_assets

LIST_MAX = 15  # measured 13 (14 with a place chosen), with 30 and with 2,000 assets, on SQLite and PostgreSQL
INDEXES = {"asset_name_trgm", "asset_tag_trgm", "asset_serial_trgm", "repair_number_trgm", "repair_title_trgm",
           "repair_description_trgm", "repair_work_done_trgm", "asset_tag_page"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def many_rooms(n=60):
    """Rooms over three buildings and a few departments, so the filter has long lists to draw."""
    buildings = [Building.objects.create(name=f"楼{b}", sort_order=b + 1) for b in range(3)]
    Location.objects.bulk_create([Location(building=buildings[i % 3], name=f"室{i:03d}", floor=1 + i % 4)
                                  for i in range(n)])
    Department.objects.bulk_create([Department(name=f"部门{d}") for d in range(5)])


@pytest.mark.parametrize("n", [30, 2_000])
def test_register_query_count_does_not_grow_plain_filtered_searched_or_deep(
        users, school, login, django_assert_max_num_queries, n):
    many_rooms()
    bulk_assets(n, school)
    client = login(users["head"])
    last = (n * 3 // 4 + 24) // 25  # three in four are on the register (bulk_assets writes one in four off)
    for params in ({}, {"location": school["room"].pk}, {"q": "资产1"}, {"q": "ZC-2025-00002"},
                   {"status": "all", "category": "", "funding_source": "fiscal"}, {"page": str(last)},
                   {"page": "last", "q": "资产"}, {"page": "99999"}):
        with django_assert_max_num_queries(LIST_MAX):
            response = client.get(reverse("assets:asset_list"), params)
        assert response.status_code == 200
        assert response.context["page"].object_list


def test_a_deep_page_shows_the_rows_of_that_page_in_register_order(users, school, login):
    bulk_assets(120, school)
    client = login(users["head"])
    response = client.get(reverse("assets:asset_list"), {"status": "all", "page": "3"})
    tags = [a.tag for a in response.context["page"].object_list]
    assert tags == [f"ZC-2025-{i:05d}" for i in range(51, 76)]
    assert response.context["page"].number == 3
    assert response.context["totals"]["records"] == 120
    # The rows come with their joins: drawing them reads nothing more.
    assert response.context["page"].object_list[0].location.building.name == "教学楼"


def test_totals_stay_exact_for_the_whole_filtered_list(users, school, login):
    bulk_assets(60, school)  # 100.50 yuan each, quantity 1, 2 or 3; one in four written off
    client = login(users["head"])
    response = client.get(reverse("assets:asset_list"), {"status": "all"})
    totals = response.context["totals"]
    assert totals["records"] == 60
    assert totals["items"] == 120
    assert totals["value"] == Decimal("100.50") * 120
    response = client.get(reverse("assets:asset_list"))
    assert response.context["totals"]["records"] == 45


def test_a_search_by_a_whole_tag_finds_exactly_that_asset(users, school, login):
    bulk_assets(300, school)
    client = login(users["head"])
    for typed in ("ZC-2025-00010", "zc-2025-00010", "  ZC-2025-00010 "):
        response = client.get(reverse("assets:asset_list"), {"q": typed})
        assert [a.tag for a in response.context["page"].object_list] == ["ZC-2025-00010"], typed
        assert response.context["totals"]["records"] == 1
    # Part of a tag still finds every tag that contains it.
    response = client.get(reverse("assets:asset_list"), {"q": "2025-0001", "status": "all"})
    assert response.context["totals"]["records"] == 10  # 00010–00019
    # With the parts of its batch that left the register, when those are listed.
    Asset.objects.filter(tag="ZC-2025-00004").update(tag="X-ZC-2025-00010-1")
    response = client.get(reverse("assets:asset_list"), {"q": "ZC-2025-00010", "status": "all"})
    assert [a.tag for a in response.context["page"].object_list] == ["X-ZC-2025-00010-1", "ZC-2025-00010"]
    # A whole tag that no asset has finds nothing, not its neighbours.
    response = client.get(reverse("assets:asset_list"), {"q": "ZC-2025-09999", "status": "all"})
    assert response.context["totals"]["records"] == 0


def test_a_serial_number_shaped_like_a_tag_is_still_found(users, school, login):
    bulk_assets(5, school)
    Asset.objects.filter(tag="ZC-2025-00002").update(serial_number="SN-2024-12345")
    client = login(users["head"])
    response = client.get(reverse("assets:asset_list"), {"q": "sn-2024-12345"})
    assert [a.tag for a in response.context["page"].object_list] == ["ZC-2025-00002"]


def test_a_chinese_search_reads_names_and_serials_not_tags(users, school, login):
    """Tags are ASCII: words that cannot be part of one leave the tag's condition out (with
    it beside the name's, PostgreSQL read the whole register instead of the name's trigram index)."""
    from assets.selectors.register import asset_list, filter_assets

    bulk_assets(6, school)
    Asset.objects.filter(tag="ZC-2025-00003").update(name="教室音响 甲")
    Asset.objects.filter(tag="ZC-2025-00005").update(serial_number="音响-7")
    client = login(users["head"])
    response = client.get(reverse("assets:asset_list"), {"q": "教室音响"})
    assert [a.tag for a in response.context["page"].object_list] == ["ZC-2025-00003"]
    response = client.get(reverse("assets:asset_list"), {"q": "音响-7"})
    assert [a.tag for a in response.context["page"].object_list] == ["ZC-2025-00005"]
    chinese = str(filter_assets(asset_list(), {"q": "教室音响"}).query)
    assert '"tag"' not in chinese.split("WHERE", 1)[1].split("ORDER BY")[0]
    latin = str(filter_assets(asset_list(), {"q": "2025-0000"}).query)
    assert '"tag"' in latin.split("WHERE", 1)[1].split("ORDER BY")[0]


def test_the_filter_draws_rooms_grouped_by_building_with_the_chosen_one_selected(users, school, login):
    many_rooms(9)
    room = Location.objects.get(name="室004")
    html = str(AssetFilterForm({"location": str(room.pk)})["location"])
    assert html.startswith('<select name="location" id="id_location">')
    assert html.count("<optgroup") == 4  # 教学楼 and three more
    assert f'<option value="{room.pk}" selected>室004</option>' in html
    assert '<option value="">' in html
    people = str(AssetFilterForm({"custodian": str(users["teacher"].pk)})["custodian"])
    assert f'<option value="{users["teacher"].pk}" selected>{users["teacher"].get_full_name()}</option>' in people


def test_names_in_the_filter_are_escaped(users, school, login):
    Location.objects.create(building=school["building"], name="<b>实验室</b>")
    html = str(AssetFilterForm()["location"])
    assert "&lt;b&gt;实验室&lt;/b&gt;" in html
    assert "<b>" not in html


@pytest.mark.django_db
def test_the_search_indexes_exist_on_postgresql_only():
    assert trigram_indexes() == (INDEXES if connection.vendor == "postgresql" else set())


@pytest.mark.django_db
def test_the_index_migration_runs_backwards_and_forwards():
    migration = importlib.import_module("assets.migrations.0010_register_search_indexes")
    if connection.vendor != "postgresql":
        # SQLite: nothing is run either way (its schema editor cannot open inside a test's transaction, and the
        # migration needs none of it: it only asks the vendor).
        ran = []
        editor = SimpleNamespace(connection=connection, execute=ran.append)
        migration.create_indexes(None, editor)
        migration.drop_indexes(None, editor)
        assert ran == []
        assert trigram_indexes() == set()
        return
    with connection.schema_editor() as editor:
        migration.drop_indexes(None, editor)
    assert trigram_indexes() == set()
    with connection.schema_editor() as editor:
        migration.create_indexes(None, editor)
        migration.create_indexes(None, editor)  # twice does no harm
    assert trigram_indexes() == INDEXES


def trigram_indexes():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [sorted(INDEXES)])
            return {row[0] for row in cursor.fetchall()}
        return {i for t in ("assets_asset", "assets_repairrequest")
                for i in connection.introspection.get_constraints(cursor, t)} & INDEXES


REPEAT_MAX = 7  # session, user, permissions (2), the records' stamp, the menu's roles, the school's name


@pytest.mark.parametrize("n", [30, 2_000])
def test_a_register_page_seen_again_is_served_from_its_rendering(users, school, login, django_assert_max_num_queries,
                                                                  n):
    many_rooms()
    bulk_assets(n, school)
    client = login(users["head"])
    for params in ({}, {"location": school["room"].pk}, {"page": "2"}):
        first = client.get(reverse("assets:asset_list"), params)
        with django_assert_max_num_queries(REPEAT_MAX):
            again = client.get(reverse("assets:asset_list"), params)
        assert again.content.split(b"<table")[1] == first.content.split(b"<table")[1]
        assert again.content.count(b'name="ids"') == first.content.count(b'name="ids"') > 0


def test_a_change_shows_at_once_and_each_language_gets_its_own(users, school, login, settings):
    from ._register import register

    client = login(users["head"])
    register(users["head"], school, name="投影仪甲")
    assert "投影仪甲" in client.get(reverse("assets:asset_list")).content.decode()
    register(users["head"], school, name="投影仪乙")  # writes history: the stamp moves
    page = client.get(reverse("assets:asset_list")).content.decode()
    assert "投影仪乙" in page and "投影仪甲" in page
    assert "筛选与搜索" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("assets:asset_list")).content.decode()
    assert "Assets listed" in english and "Filter and search" in english


def test_people_without_the_add_permission_see_the_same_rows_without_its_buttons(users, school, login):
    from ._register import register

    register(users["head"], school, name="投影仪甲")
    head = login(users["head"]).get(reverse("assets:asset_list")).content.decode()
    auditor = login(users["auditor"]).get(reverse("assets:asset_list")).content.decode()
    assert "投影仪甲" in head and "投影仪甲" in auditor
    assert reverse("assets:asset_create") in head and reverse("assets:asset_create") not in auditor


@pytest.mark.django_db
def test_a_serial_number_is_matched_through_its_own_index_on_postgresql():
    """migration 0011: UPPER(serial_number) has a B-tree (an exact serial beside a whole tag had only the trigram
    index: 5.6 ms of 6 over 50,000 assets), and the migration runs both ways."""
    migration = importlib.import_module("assets.migrations.0011_asset_serial_upper_index")

    def exists():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [migration.NAME])
            return [row[0] for row in cursor.fetchall()]

    if connection.vendor != "postgresql":
        ran = []
        migration.create_index(None, SimpleNamespace(connection=connection, execute=ran.append))
        assert ran == []
        return
    assert ["upper((serial_number)::text)" in d.lower() for d in exists()] == [True]
    with connection.schema_editor() as editor:
        migration.drop_index(None, editor)
    assert exists() == []
    with connection.schema_editor() as editor:
        migration.create_index(None, editor)
    assert len(exists()) == 1
