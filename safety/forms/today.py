"""Safety: today (forms)."""
