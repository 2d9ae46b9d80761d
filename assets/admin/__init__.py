"""Admin of the assets app: one module per area, each registering its own models."""
from . import movements, register, repairs, settings, stocktake, supplies  # noqa: F401
