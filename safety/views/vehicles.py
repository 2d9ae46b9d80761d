"""Safety: vehicles (views)."""
