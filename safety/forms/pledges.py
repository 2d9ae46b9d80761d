"""Safety: pledges (forms)."""
