"""Safety: pledges (admin)."""
