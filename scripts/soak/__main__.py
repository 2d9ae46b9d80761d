"""`python -m scripts.soak` (or `make soak`): see scripts/soak/run.py for what it does and its settings."""
import sys

from .run import main

if __name__ == "__main__":
    sys.exit(main())
