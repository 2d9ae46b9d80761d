"""Safety: hazards (services)."""
