"""Long work in the background, with progress: a document or an export too big to make while the user waits.

A module declares its kinds of job (``Module.jobs``, logistics.modules); a view starts one with
``services.job_start`` (or ``views.start_response``), which records a ``Job`` and puts the kernel's one task,
``tasks.run_job``, on the queue of django-tasks (settings.TASKS: the database backend, so a worker on any machine
that reaches the database runs it, `manage.py db_worker`). The worker runs the kind's function, which reports
its progress and returns the file; the job's page shows a progress bar while it runs and the download link
when it is done (also in "My files"), or why it failed. Only the owner (and superusers) may download the file.
"""
