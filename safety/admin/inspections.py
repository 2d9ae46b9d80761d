"""Safety: inspections (admin)."""
