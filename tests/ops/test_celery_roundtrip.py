import uuid

from tasks.ops import ping


def test_task_goes_through_the_real_broker_to_a_real_worker(celery_worker, celery_app):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    assert result.get(timeout=30) == f"pong:{token}"
    assert celery_app.conf.worker_send_task_events is True
    assert celery_app.conf.task_serializer == "json"
