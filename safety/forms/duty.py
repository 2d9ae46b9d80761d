"""Safety: duty (forms)."""
