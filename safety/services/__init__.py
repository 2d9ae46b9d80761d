"""The safety module's services, one module per area."""
