"""The safety module's views, one module per area."""
