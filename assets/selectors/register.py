"""Reads of the asset register shared by the list, the Excel export and the label sheet: one place
decides their joins, so each page's query count stays the same however many assets there are."""
import functools
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from logistics.freshness import fresh

from ..models import Asset, AssetCategory

# The status filter's two extra values: the default shows what is on the books.
ON_REGISTER = ""
ALL_STATUSES = "all"


def asset_list():
    """Assets with what a row of the register shows (category, place, custodian, department)."""
    return Asset.objects.select_related("category", "location__building", "custodian", "department")


def filter_assets(qs, data):
    """Apply the register's filters (cleaned data of AssetFilterForm) to a queryset of assets."""
    data = data or {}
    status = data.get("status") or ON_REGISTER
    if status == ON_REGISTER:
        qs = qs.exclude(status__in=Asset.INACTIVE_STATUSES)
    elif status != ALL_STATUSES:
        qs = qs.filter(status=status)
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    if data.get("location"):
        qs = qs.filter(location=data["location"])
    if data.get("building"):
        qs = qs.filter(location__building=data["building"])
    if data.get("custodian"):
        qs = qs.filter(custodian=data["custodian"])
    if data.get("department"):
        qs = qs.filter(department=data["department"])
    if data.get("funding_source"):
        qs = qs.filter(funding_source=data["funding_source"])
    if q := (data.get("q") or "").strip():
        if is_tag_shaped(q):
            # A whole tag (typed or scanned from a label) is that asset, found through the tag's unique index, with
            # the parts of its batch that left the register (X-<tag>-1, -2 …, services.movements).
            # The parts are a range of the tag's unique index (tags are kept in capitals): X-<tag>- up to X-<tag>.
            # ('.' follows '-'); a case-blind prefix went through the trigram index, whose short common trigrams
            # (ZC-, C-2, -20 …) every tag has.
            tag = q.upper()
            qs = qs.filter(Q(tag=tag) | Q(tag__gte=f"X-{tag}-", tag__lt=f"X-{tag}.") | Q(serial_number__iexact=q))
        else:
            # On PostgreSQL these are served by the trigram indexes of migration 0010. Part of a tag is searched
            # only when the words could be one (tags are ASCII): a Chinese name's search with the tag's
            # condition beside it was read by a scan of the whole register, which PostgreSQL thought cheaper than
            # three index scans (116 ms for 教室音响 over 50,000 assets; 16–30 ms through the name's index).
            found = Q(name__icontains=q) | Q(serial_number__iexact=q)
            if q.isascii():
                found |= Q(tag__icontains=q)
            qs = qs.filter(found)
    return qs


# A whole asset tag as services.register numbers them (ZC-2025-00042): letters, a year, a number of five or more.
TAG_SHAPE = re.compile(r"^[A-Za-z]{1,6}-\d{4}-\d{5,}$")


def is_tag_shaped(text):
    return bool(TAG_SHAPE.match(text))


def asset_page(qs, number, size, count):
    """The page of a filtered register that ?page= asks for, ids first: the page's ids are chosen in a subquery
    from the asset table alone (a deep page's OFFSET skips rows of an index, not joined rows), and only those
    rows are read with their joins, in one query. count is the number of rows, already known from asset_totals:
    the paginator does not count again."""
    paginator = Paginator(qs.values_list("pk", flat=True), size)
    paginator.__dict__["count"] = count
    page = paginator.get_page(number)
    order = qs.query.order_by or Asset._meta.ordering
    page.object_list = list(asset_list().filter(pk__in=page.object_list).order_by(*order))
    return page


def asset_totals(qs):
    """Count of records, items and total value of a filtered queryset, in one aggregate query.

    The whole register's totals (no filter, or only "everything") are the same on every view until a record
    changes: they come from logistics.freshness, exact (money), read with one query and one cache read."""
    if _unfiltered(qs):
        return fresh("assets.asset_totals", str(qs.order_by().query), compute=lambda: _totals(qs))
    return _totals(qs)


def _unfiltered(qs):
    return str(qs.order_by().query) in _unfiltered_sql()


@functools.cache
def _unfiltered_sql():
    """The SQL of the whole register (on it, or everything), written once per process: compiling it took three
    compilations a view."""
    return frozenset(str(filter_assets(asset_list(), {"status": status}).order_by().query)
                     for status in (ON_REGISTER, ALL_STATUSES))


def _totals(qs):
    value = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=20,
                                                                                          decimal_places=2))
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=20, decimal_places=2))
    totals = qs.order_by().aggregate(
        records=Count("pk"), items=Coalesce(Sum("quantity"), 0), value=Coalesce(Sum(value), zero))
    totals["value"] = Decimal(totals["value"]).quantize(Decimal("0.01"))
    return totals


def asset_categories():
    return AssetCategory.objects.all()


def custodians():
    """People who may be made responsible for an asset: every active account, by name."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


def asset_detail(pk):
    return asset_list().get(pk=pk)


__all__ = ["ALL_STATUSES", "ON_REGISTER", "TAG_SHAPE", "asset_categories", "asset_detail", "asset_list",
           "asset_page", "asset_totals", "custodians", "filter_assets", "is_tag_shaped"]
