"""Safety: hazards (forms)."""
