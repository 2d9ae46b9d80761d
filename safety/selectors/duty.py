"""Safety: duty (selectors)."""
