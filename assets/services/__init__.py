"""State changes of the assets app, one module per area, re-exported so callers write services.repair_assign."""
from .movements import (  # noqa: F401
    can_decide_writeoff,
    damage_pay,
    damage_record,
    damage_repaired,
    damage_waive,
    loan_lend,
    loan_return,
    quantity_available,
    writeoff_decide,
    writeoff_request,
)
from .register import (  # noqa: F401
    asset_category_create,
    asset_import,
    asset_register,
    asset_update,
)
from .repairs import (  # noqa: F401
    can_work,
    check_complete,
    generate_due_checks,
    repair_assign,
    repair_cancel,
    repair_complete,
    repair_confirm,
    repair_reject,
    repair_reopen,
    repair_report,
    repair_start,
    repair_take,
    target_hours,
)
from .stocktake import (  # noqa: F401
    rooms_with_assets,
    stocktake_close,
    stocktake_open,
    stocktake_room_save,
    stocktake_room_sign,
)
from .supplies import (  # noqa: F401
    distribution_create,
    distribution_issue,
    distribution_update,
    print_approve,
    print_cancel,
    print_done,
    print_needs_approval,
    print_reject,
    print_submit,
    requisition_cancel,
    requisition_issue,
    requisition_reject,
    requisition_submit,
    supply_item_save,
    supply_stock_in,
)
