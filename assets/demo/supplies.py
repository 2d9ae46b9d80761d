"""Demo data for this area, called by manage.py seed_demo (see assets/demo/__init__.py)."""


def seed(builder):
    """Add this area's demo records; return a line for the command's summary, or None."""
    return None
