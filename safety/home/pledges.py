"""What the safety module's pledges area puts on the home page."""


def sections(user, now):
    return []
