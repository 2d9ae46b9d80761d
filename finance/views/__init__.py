"""Pages of finance, one module per area (see finance/urls/)."""
