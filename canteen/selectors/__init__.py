"""The canteen's selectors, one module per area."""
