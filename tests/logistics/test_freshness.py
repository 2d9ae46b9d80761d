"""logistics.freshness: a result is computed once, served from the cache while no record changes, and computed
again after any change that writes history — in the writer's own transaction too."""
import pytest

from logistics import freshness
from logistics.models import Building, Department

pytestmark = pytest.mark.django_db


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_served_from_the_cache_until_a_record_changes(django_assert_num_queries):
    calls, compute = counter()
    assert freshness.fresh("t", 1, compute=compute) == 1
    with django_assert_num_queries(1):  # the stamp (the cache is the process's own)
        assert freshness.fresh("t", 1, compute=compute) == 1
    assert len(calls) == 1

    Department.objects.create(name="教务处")  # writes a history row
    assert freshness.fresh("t", 1, compute=compute) == 2
    assert freshness.fresh("t", 1, compute=compute) == 2
    assert len(calls) == 2


def test_a_change_to_another_record_or_its_edit_also_counts():
    calls, compute = counter()
    building = Building.objects.create(name="教学楼")
    freshness.fresh("t", compute=compute)
    building.name = "综合楼"
    building.save()
    freshness.fresh("t", compute=compute)
    building.delete()
    freshness.fresh("t", compute=compute)
    assert len(calls) == 3


def test_the_key_keeps_results_apart():
    calls, compute = counter()
    assert freshness.fresh("t", 1, compute=compute) == 1
    assert freshness.fresh("t", 2, compute=compute) == 2
    assert freshness.fresh("t", 1, compute=compute) == 1


def test_a_stamp_read_once_serves_several_results(django_assert_num_queries):
    calls, compute = counter()
    current = freshness.stamp()
    freshness.fresh("a", compute=compute, current=current)
    with django_assert_num_queries(0):
        freshness.fresh("a", compute=compute, current=current)
    assert freshness.stamp() == current


def test_a_result_that_reads_some_apps_is_kept_through_another_apps_change():
    """reads=("canteen",): a change to the register's records leaves it in the cache; the canteen's own and the
    kernel's (a building) do not."""
    import datetime

    from assets.models import AssetCategory
    from canteen.models import MenuWeek

    calls, compute = counter()
    assert freshness.fresh("c", reads=("canteen",), compute=compute) == 1
    everything_calls, everything = counter()
    freshness.fresh("all", compute=everything)

    AssetCategory.objects.create(name="投影设备")  # another app's record changes (its history)
    assert freshness.fresh("c", reads=("canteen",), compute=compute) == 1
    assert freshness.fresh("all", compute=everything) == 2  # reads=None: any change counts

    Building.objects.create(name="实验楼")  # the kernel's
    assert freshness.fresh("c", reads=("canteen",), compute=compute) == 2

    MenuWeek.objects.create(week_start=datetime.date(2026, 11, 30))  # its own
    assert freshness.fresh("c", reads=("canteen",), compute=compute) == 3


def test_the_cache_keeps_each_keys_latest_result_only():
    """Each change makes the results computed before it stale: the one computed next replaces it, so the cache
    (and a worker's memory) does not grow with the number of changes."""
    from django.core.cache import cache

    calls, compute = counter()
    other_calls, other = counter()
    freshness.fresh("t", 1, compute=compute)
    freshness.fresh("t", 2, compute=other)
    before = len(cache._cache)  # the process's own cache (locmem): its entries
    for n in range(5):
        Department.objects.create(name=f"处室{n}")
        assert freshness.fresh("t", 1, compute=compute) == n + 2
        assert freshness.fresh("t", 2, compute=other) == n + 2
    assert len(cache._cache) == before == 4  # per key: its result and which one is the latest


def test_a_stamp_survives_the_cache():
    import pickle

    current = freshness.stamp()
    copy = pickle.loads(pickle.dumps(current))
    assert copy == current and copy.of(("assets",)) == current.of(("assets",))
    assert current.of(("assets",)) != current.of(("canteen",))


def test_today_is_part_of_the_key(monkeypatch):
    import datetime

    calls, compute = counter()
    freshness.fresh("t", compute=compute, today=True)
    monkeypatch.setattr(freshness.timezone, "localdate", lambda: datetime.date(2030, 1, 1))
    freshness.fresh("t", compute=compute, today=True)
    assert len(calls) == 2


def test_a_shared_cache_in_the_database_works_the_same(monkeypatch, django_assert_num_queries):
    from django.core.cache.backends.db import DatabaseCache

    monkeypatch.setattr(freshness, "cache", DatabaseCache("logistics_cache", {}))  # CACHE_URL=dbcache://…
    calls, compute = counter()
    freshness.fresh("db", compute=compute)
    with django_assert_num_queries(2):  # the stamp and the cache's table (made by migration 0008)
        assert freshness.fresh("db", compute=compute) == 1
    Department.objects.create(name="总务处")
    assert freshness.fresh("db", compute=compute) == 2


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_connection_prepares_the_stamp_once_and_it_still_sees_changes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads the stamp as a plain query")
    before = freshness.stamp()  # outside a transaction: prepared here
    with CaptureQueriesContext(connection) as queries:
        assert freshness.stamp() == before
        Department.objects.create(name="教务处")
        after = freshness.stamp()
    assert after != before
    stamps = [q["sql"] for q in queries.captured_queries if "logistics_stamp" in q["sql"]]
    assert stamps == ["EXECUTE logistics_stamp"] * 2
