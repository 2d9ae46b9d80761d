"""Safety: inspections (forms)."""
