"""The safety module's forms, one module per area."""
