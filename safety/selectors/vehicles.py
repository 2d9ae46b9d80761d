"""Safety: vehicles (selectors)."""
