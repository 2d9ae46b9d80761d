"""Safety: today (selectors)."""
