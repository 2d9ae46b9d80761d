"""Reads that several pages share, one module per area, re-exported for callers."""
from .repairs import check_tasks_for, filter_repairs, repair_list, repair_stats, workers  # noqa: F401
