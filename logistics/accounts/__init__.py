"""Logins and sessions: throttling of failed logins (django-axes, with a limit per address of its own), the login
records the head of logistics reads, unlocking, the idle timeout the school sets, and ending one's other sessions.

    throttle.py   where a login comes from, how many failures lock it, the page a locked-out person sees
    sessions.py   the idle timeout (middleware) and ending a user's other sessions
    records.py    the login records and the locks in force (selectors) and unlocking (a service)
    views.py      the records page, unlock, "log out my other sessions"
"""
