"""Admin of the canteen's meals area (registers its models)."""
