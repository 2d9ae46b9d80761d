"""Safety: inspections (views)."""
