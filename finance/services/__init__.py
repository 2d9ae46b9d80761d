"""State changes of the school's money, one module per area (purchases, procurement, fees), re-exported here."""
from .fees import (  # noqa: F401
    aid_decide,
    aid_pay,
    aid_submit,
    fee_classes_save,
    fee_create,
    fee_publish,
    fee_settle,
    fee_spending_add,
    fee_update,
)
