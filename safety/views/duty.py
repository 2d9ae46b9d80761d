"""Safety: duty (views)."""
