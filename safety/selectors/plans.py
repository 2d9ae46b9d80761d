"""Safety: plans (selectors)."""
