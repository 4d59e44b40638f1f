import json

import pytest


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(client, settings):
    from tests.conftest import free_port

    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{free_port()}//"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["broker"].startswith("error:")


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database_when_it_cannot_connect(client, monkeypatch, tmp_path):
    """Point the check at a database that really cannot be reached."""
    from django.conf import settings
    from django.db.utils import ConnectionHandler

    from apps.ops import health
    from tests.conftest import free_port

    broken = dict(settings.DATABASES["default"])
    if broken["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = str(tmp_path / "missing-dir" / "db.sqlite3")
    else:
        broken.update(HOST="127.0.0.1", PORT=free_port(), OPTIONS={"connect_timeout": 2})
    handler = ConnectionHandler({"default": broken})
    monkeypatch.setattr(health, "connections", handler)
    response = client.get("/healthz")
    handler.close_all()
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"].startswith("error:")
    assert body["broker"] == "ok"
