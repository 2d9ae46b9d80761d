"""Helpers shared by the fee and aid tests."""
from decimal import Decimal

from finance.services import fees as services


def make_fee(user, term, rooms, *, amount="15.00", rows=((40, 2, "570.00"), (45, 1, "660.00")), name="作业本费"):
    fee = services.fee_create(by=user, term=term, name=name, amount_per_pupil=Decimal(amount),
                              description="语文、数学作业本", policy="低保家庭免收")
    services.fee_classes_save(fee_id=fee.pk, by=user, rows=[
        (room, p, e, Decimal(c)) for room, (p, e, c) in zip(rooms, rows, strict=False)])
    return fee
