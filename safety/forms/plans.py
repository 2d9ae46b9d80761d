"""Safety: plans (forms)."""
