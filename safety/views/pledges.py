"""Safety: pledges (views)."""
