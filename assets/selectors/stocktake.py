"""Reads of stocktakes shared by the list, the summary, the room sheet and its print: each page's query
count is decided here, and does not grow with the number of rooms or assets."""
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from ..models import Stocktake, StocktakeLine, StocktakeRoom

Outcome = StocktakeLine.Outcome
RoomStatus = StocktakeRoom.Status
_MONEY = DecimalField(max_digits=16, decimal_places=2)
_ZERO = Decimal("0.00")


def stocktake_list(*, status="", term=None, kind=""):
    """Stocktakes, newest first, with their rooms' progress counted in the same query."""
    qs = (Stocktake.objects.select_related("term", "opened_by", "closed_by")
          .annotate(rooms_total=Count("rooms", distinct=True),
                    rooms_checked=Count("rooms", filter=~Q(rooms__status=RoomStatus.PENDING), distinct=True),
                    rooms_signed=Count("rooms", filter=Q(rooms__status=RoomStatus.SIGNED), distinct=True))
          .order_by("-opened_at", "-pk"))
    if status:
        qs = qs.filter(status=status)
    if term:
        qs = qs.filter(term=term)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _value(expr):
    return ExpressionWrapper(F("asset__unit_price") * expr, output_field=_MONEY)


def stocktake_figures(stocktake):
    """Counts, quantities and values by outcome, the shortfall and surplus, all in one aggregate query.

    Values: present, damaged and moved at book quantity × unit price; missing at the shortfall only;
    found items are unregistered and have no book value.
    """
    lines = StocktakeLine.objects.filter(room__stocktake=stocktake)
    shortfall = Q(counted_quantity__lt=F("expected_quantity"))
    surplus = Q(counted_quantity__gt=F("expected_quantity"), asset__isnull=False)
    aggregates = {
        "lines": Count("pk"),
        "unmarked": Count("pk", filter=Q(outcome="")),
        "book_value": Coalesce(Sum(_value(F("expected_quantity")), filter=Q(asset__isnull=False)), _ZERO),
        "shortfall_quantity": Coalesce(Sum(F("expected_quantity") - F("counted_quantity"), filter=shortfall), 0),
        "shortfall_value": Coalesce(Sum(_value(F("expected_quantity") - F("counted_quantity")), filter=shortfall),
                                    _ZERO),
        "surplus_quantity": Coalesce(Sum(F("counted_quantity") - F("expected_quantity"), filter=surplus), 0),
    }
    for outcome in Outcome.values:
        only = Q(outcome=outcome)
        aggregates[f"{outcome}_n"] = Count("pk", filter=only)
        if outcome == Outcome.FOUND:
            aggregates[f"{outcome}_qty"] = Coalesce(Sum("counted_quantity", filter=only), 0)
            continue
        if outcome == Outcome.MISSING:
            # What is missing is the shortfall, not the whole batch it belongs to.
            aggregates[f"{outcome}_qty"] = Coalesce(
                Sum(F("expected_quantity") - F("counted_quantity"), filter=only & shortfall), 0)
            aggregates[f"{outcome}_value"] = Coalesce(
                Sum(_value(F("expected_quantity") - F("counted_quantity")), filter=only & shortfall), _ZERO)
        else:
            aggregates[f"{outcome}_qty"] = Coalesce(Sum("expected_quantity", filter=only), 0)
            aggregates[f"{outcome}_value"] = Coalesce(Sum(_value(F("expected_quantity")), filter=only), _ZERO)
    data = lines.aggregate(**aggregates)
    by_outcome = []
    for outcome, label in Outcome.choices:
        by_outcome.append({"outcome": outcome, "label": label, "lines": data[f"{outcome}_n"],
                           "quantity": data[f"{outcome}_qty"], "value": data.get(f"{outcome}_value")})
    data["by_outcome"] = by_outcome
    return data


def room_progress(stocktake):
    """{total, pending, checked, signed} rooms of a stocktake, in one query."""
    data = stocktake.rooms.aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(status=RoomStatus.PENDING)),
        checked=Count("pk", filter=Q(status=RoomStatus.CHECKED)),
        signed=Count("pk", filter=Q(status=RoomStatus.SIGNED)))
    data["done"] = data["checked"] + data["signed"]
    return data


def stocktake_rooms(stocktake, *, status=""):
    """A stocktake's rooms with each room's figures annotated (for the paginated summary list)."""
    qs = (stocktake.rooms.select_related("location__building", "checked_by", "signed_by")
          .annotate(line_count=Count("lines", filter=Q(lines__asset__isnull=False)),
                    difference_count=Count("lines", filter=Q(lines__outcome__in=[
                        Outcome.MISSING, Outcome.DAMAGED, Outcome.MOVED])),
                    found_count=Count("lines", filter=Q(lines__outcome=Outcome.FOUND)))
          .order_by("location__building__sort_order", "location__building__name", "location__floor",
                    "location__name", "pk"))
    if status:
        qs = qs.filter(status=status)
    return qs


def found_lines(stocktake):
    """Items found but not registered (盘盈), for logistics to register."""
    return (StocktakeLine.objects.filter(room__stocktake=stocktake, asset__isnull=True)
            .select_related("room__location__building").order_by("room__location__floor", "room__location__name", "pk"))


def room_for_sheet(queryset=None):
    """Rooms with what their sheet page shows of them."""
    qs = queryset if queryset is not None else StocktakeRoom.objects.all()
    return qs.select_related("stocktake__term", "location__building", "checked_by", "signed_by")


def room_lines(room):
    """(registered lines, found lines) of a room sheet, in sheet order, in one query."""
    lines = list(room.lines.select_related("asset__category", "moved_to__building")
                 .order_by("asset__tag", "pk"))
    registered = [line for line in lines if line.asset_id]
    found = [line for line in lines if not line.asset_id]
    return registered, found


def room_print_rows(room):
    """The rows of the printed sheet (资产盘点表): all registered lines, and apart the surplus (盘盈) and
    the shortfall (盘亏)."""
    registered, found = room_lines(room)
    surplus = [{"name": f.found_name, "tag": "", "spec": "", "unit": "", "quantity": f.counted_quantity,
                "note": f.note, "line": f} for f in found]
    shortfall = []
    for line in registered:
        counted = line.counted_quantity
        if counted is None:
            continue
        if counted > line.expected_quantity:
            surplus.append({"name": line.asset.name, "tag": line.asset.tag, "spec": line.asset.spec,
                            "unit": line.asset.unit, "quantity": counted - line.expected_quantity,
                            "note": line.note, "line": line})
        elif counted < line.expected_quantity:
            short = line.expected_quantity - counted
            shortfall.append({"name": line.asset.name, "tag": line.asset.tag, "spec": line.asset.spec,
                              "unit": line.asset.unit, "quantity": short, "value": line.asset.unit_price * short,
                              "note": line.note, "line": line})
    return {"lines": registered, "surplus": surplus, "shortfall": shortfall,
            "shortfall_value": sum((s["value"] for s in shortfall), Decimal("0.00"))}
