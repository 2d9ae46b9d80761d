"""Safety: duty (services)."""
