"""Safety: plans (views)."""
