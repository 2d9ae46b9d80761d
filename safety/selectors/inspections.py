"""Safety: inspections (selectors)."""
