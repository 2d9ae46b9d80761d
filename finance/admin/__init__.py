"""Admin of finance: one module per area, each registering its own models."""
