"""Reads that several pages share, one module per area, re-exported for callers."""
from .movements import (  # noqa: F401
    damage_list,
    filter_loans,
    loan_list,
    overdue_loans,
    waiting_for,
    writeoff_list,
    writeoffs_awaiting,
)
from .register import asset_list, asset_totals, filter_assets  # noqa: F401
from .repairs import (  # noqa: F401
    check_tasks_for,
    filter_repairs,
    repair_list,
    repair_page,
    repair_stats,
    with_photo_counts,
    workers,
)
from .stocktake import (  # noqa: F401
    found_lines,
    room_for_sheet,
    room_lines,
    room_print_rows,
    room_progress,
    stocktake_figures,
    stocktake_list,
    stocktake_rooms,
)
from .supplies import (  # noqa: F401
    distribution_list,
    low_stock_items,
    movement_ledger,
    print_usage,
    requisition_list,
    supply_list,
)
from .supplies import waiting_for as supplies_waiting_for  # noqa: F401
