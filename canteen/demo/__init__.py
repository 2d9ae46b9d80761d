"""The canteen's demo, one module per area."""
