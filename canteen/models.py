"""Models arrive with this module's issue; the app is installed so the layout is fixed now."""
