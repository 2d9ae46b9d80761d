"""Admin of finance: one module per area, each registering its own models."""
from . import fees, procurement, purchases, settings  # noqa: F401
