"""Forms of the assets app, one module per area. Forms only validate; services change state."""
from .repairs import (  # noqa: F401
    CheckCompleteForm,
    OptionalReasonForm,
    ReasonForm,
    RepairAssignForm,
    RepairCompleteForm,
    RepairFilterForm,
    RepairReportForm,
)
