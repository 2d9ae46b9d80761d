"""Safety: hazards (admin)."""
