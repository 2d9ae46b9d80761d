"""Safety: inspections (services)."""
