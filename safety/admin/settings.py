"""Admin of the safety settings."""
