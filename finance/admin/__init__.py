"""Admin of finance: one module per area, each registering its own models."""
from . import (
    fees,  # noqa: E402,F401
    procurement,  # noqa: E402,F401
    purchases,  # noqa: E402,F401
)
