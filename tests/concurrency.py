"""Two people at once: run calls in threads that start together, on their own database connections (tests
marked django_db(transaction=True), PostgreSQL: SQLite serialises writers by itself)."""
import threading

from django.db import connections


def race(*calls):
    """Run the calls at once in threads; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
