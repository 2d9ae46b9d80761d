"""Admin of the canteen's inspections area (registers its models)."""
