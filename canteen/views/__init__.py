"""The canteen's views, one module per area."""
