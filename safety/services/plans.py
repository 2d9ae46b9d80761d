"""Safety: plans (services)."""
