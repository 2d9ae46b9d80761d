"""Models of the assets app, one module per area."""
from .movements import *  # noqa: F403
from .register import *  # noqa: F403
from .repairs import (  # noqa: F401
    CheckSchedule,
    CheckTask,
    RepairCategory,
    RepairPhoto,
    RepairRequest,
    RepairRequestQuerySet,
    Urgency,
    repair_photo_path,
)
from .settings import *  # noqa: F403
from .stocktake import *  # noqa: F403
from .supplies import *  # noqa: F403
