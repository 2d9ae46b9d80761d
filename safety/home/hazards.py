"""What the safety module's hazards area puts on the home page."""


def sections(user, now):
    return []
