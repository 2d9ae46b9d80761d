"""Admin of the canteen's suppliers area (registers its models)."""
