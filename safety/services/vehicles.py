"""Safety: vehicles (services)."""
