"""Demo data of finance by area, called by seed_demo after the assets app's (see assets/demo)."""
from . import fees
from . import procurement
from . import purchases

AREAS = []
AREAS.append(fees)
AREAS.append(purchases)
AREAS.append(procurement)
