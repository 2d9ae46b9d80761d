"""Safety: hazards (admin). A hazard is the kernel's finding in the safety area (logistics.Finding, area "safety"),
kept in the admin under the kernel's findings, with its history; safety registers nothing of its own for it."""
