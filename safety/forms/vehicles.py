"""Safety: vehicles (forms)."""
