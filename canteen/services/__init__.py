"""The canteen's services, one module per area."""
