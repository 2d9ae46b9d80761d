"""Demo data of the safety module's inspections area, built through its services (see canteen/demo for the pattern:
an object with build(builder) and summary())."""
AREA = None
