"""The benchmark of `make bench` (README, "Performance"): pages, documents and a load run at the database's size.

pages.py picks what is measured, measure.py measures it, report.py writes JSON and Markdown, __main__.py serves
the app with gunicorn and runs it all; document.py times one document in its own process.
"""
