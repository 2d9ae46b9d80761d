"""Safety: vehicles (admin)."""
