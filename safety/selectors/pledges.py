"""Safety: pledges (selectors)."""
