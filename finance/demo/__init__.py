"""Demo data of finance by area, called by seed_demo after the assets app's (see assets/demo).

Purchases come before procurement, whose demo orders and pays the approved ones."""
from . import fees, procurement, purchases

AREAS = [fees, purchases, procurement]
