"""Demo data of the safety module's hazards area, built through its services (see canteen/demo for the pattern:
an object with build(builder) and summary())."""
AREA = None
