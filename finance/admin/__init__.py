"""Admin of finance: one module per area, each registering its own models."""
from . import fees  # noqa: E402,F401
from . import procurement  # noqa: E402,F401
from . import purchases  # noqa: E402,F401
