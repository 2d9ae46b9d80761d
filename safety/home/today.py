"""What the safety module's today area puts on the home page."""


def sections(user, now):
    return []
