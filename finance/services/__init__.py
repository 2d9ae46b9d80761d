"""State changes of the school's money, one module per area (purchases, procurement, fees), re-exported here."""
