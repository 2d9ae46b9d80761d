"""Safety: pledges (services)."""
