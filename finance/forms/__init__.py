"""Forms of finance, one module per area. Forms only validate; services change state."""
