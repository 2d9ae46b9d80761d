"""Safety: today (services)."""
