from celery import shared_task


@shared_task(name="ops.ping")
def ping(token: str = "") -> str:
    """Answer 'pong:<token>': proves a message went broker → worker → result."""
    return f"pong:{token}"
