"""Reads of the responsibility pledges (安全责任书) shared by their page, the home page and the ledger."""
from django.db.models import Case, Count, IntegerField, Q, Value, When

from ..models import Pledge


def pledge_list(year, data=None):
    """The year's pledges, departments first, then classes; data: the filter form's cleaned data
    (party, state "signed" / "unsigned")."""
    data = data or {}
    qs = Pledge.objects.filter(year=year).select_related("signer")
    if data.get("party"):
        qs = qs.filter(party=data["party"])
    if data.get("state") == "signed":
        qs = qs.filter(signed_on__isnull=False)
    elif data.get("state") == "unsigned":
        qs = qs.filter(signed_on__isnull=True)
    # Departments first, then the classes, each in the order they were put on the list (一(1)班 … 六(2)班).
    party_order = Case(When(party=Pledge.Party.DEPARTMENT, then=Value(0)),
                       When(party=Pledge.Party.CLASS_TEACHER, then=Value(1)), default=Value(2),
                       output_field=IntegerField())
    return qs.order_by(party_order, "pk")


def pledge_counts(year):
    """{"total", "signed", "unsigned"} of the year's pledges, in one query."""
    counts = Pledge.objects.filter(year=year).aggregate(total=Count("pk"),
                                                        signed=Count("pk", filter=Q(signed_on__isnull=False)))
    counts["unsigned"] = counts["total"] - counts["signed"]
    return counts


def pledge_years():
    """The school years that have pledges, newest first."""
    return list(Pledge.objects.order_by("-year").values_list("year", flat=True).distinct())
