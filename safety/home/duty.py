"""What the safety module's duty area puts on the home page."""


def sections(user, now):
    return []
