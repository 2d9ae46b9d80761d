"""Pages of the assets app, one module per area (see assets/urls/)."""
