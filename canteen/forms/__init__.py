"""The canteen's forms, one module per area."""
