"""Admin of the canteen's menus area (registers its models)."""
