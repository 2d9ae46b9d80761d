"""A smaller demo for the ops tests: the demo school's people and places and the demo areas of a few modules, made
through the services as `manage.py seed_demo` makes them (logistics.demo.DemoBuilder), in a fraction of its time.

    DATABASE_URL=… DEBUG=true python -m tests.ops.small_demo [module …]   (default: assets canteen)
"""
import os
import sys
import time

MODULES = ("assets", "canteen")


def main(labels):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone, translation

    from logistics.demo import DEFAULT_PASSWORD, DemoBuilder
    from logistics.modules import demo_order

    started = time.monotonic()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        builder = DemoBuilder(password=DEFAULT_PASSWORD, now=timezone.now())
        builder.school()
        builder.terms()
        builder.people()
        builder.departments()
        builder.places()
        print(f"school, people and places: {time.monotonic() - started:.1f} s")
        for module in demo_order():
            if module.label in labels:
                at = time.monotonic()
                for area in module.demo_areas():
                    area.seed(builder)
                print(f"{module.label}: {time.monotonic() - at:.1f} s")
    print(f"small demo: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or MODULES)
