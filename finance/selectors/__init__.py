"""Reads that several finance pages share, one module per area."""
