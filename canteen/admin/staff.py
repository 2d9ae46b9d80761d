"""Admin of the canteen's staff area (registers its models)."""
