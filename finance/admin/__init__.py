"""Admin of finance: one module per area, each registering its own models."""
from . import procurement  # noqa: E402,F401
