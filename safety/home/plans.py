"""What the safety module's plans area puts on the home page."""


def sections(user, now):
    return []
