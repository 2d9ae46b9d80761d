"""The areas findings belong to: the installed modules, by app label (the kernel names none of them)."""
from fnmatch import fnmatchcase

from logistics.modules import modules

ADD_PERM = "logistics.add_finding"


def area_names():
    """{app label: the module's name} of every installed module."""
    return {m.label: m.verbose_name for m in modules()}


def area_name(area):
    return area_names().get(area, area)


def raising_areas():
    """[(label, name)] of the modules that grant logistics.add_finding to a role: the areas a finding may be
    raised in by hand (a module that raises none has no findings page of its own to answer them)."""
    return [(m.label, m.verbose_name) for m in modules()
            if any(fnmatchcase(ADD_PERM, p) for patterns in m.role_grants.values() for p in patterns)]
