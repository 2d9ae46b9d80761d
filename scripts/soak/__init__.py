"""`make soak`: several roles reading and writing through gunicorn and PostgreSQL for ten minutes (README, "Load and
soak"). The driver is scripts/soak/run.py, the request mix scripts/soak/soak.lua (for wrk)."""
