"""Safety: plans (admin)."""
