"""The safety module's selectors, one module per area."""
