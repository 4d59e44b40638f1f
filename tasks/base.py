from celery import shared_task


def idempotent(**options):
    """Declare a task whose effect comes from guarded writes, so running it twice
    is harmless: it is acknowledged after the work, and handed back to the
    broker if the worker process dies mid-task, instead of being lost."""
    return shared_task(acks_late=True, reject_on_worker_lost=True, **options)
