"""The kernel's one task: every background job goes through it (settings.TASKS, `manage.py db_worker`)."""
from django_tasks import task

from .services import job_run


@task()
def run_job(job_id):
    """Run the job with this id (its kind's function, as its module declares it)."""
    return job_run(job_id)
