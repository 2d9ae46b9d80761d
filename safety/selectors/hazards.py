"""Safety: hazards (selectors)."""
