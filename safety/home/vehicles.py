"""What the safety module's vehicles area puts on the home page."""


def sections(user, now):
    return []
