"""Safety: duty (admin)."""
