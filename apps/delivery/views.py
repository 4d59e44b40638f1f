"""SendGrid's Event Webhook: authenticate, store every event once, answer.

SendGrid retries a batch it could not deliver, so we answer 2xx as soon as
the events are stored and 5xx only when they could not be; applying them
(state moves, suppressions) happens in a task after the commit.
"""

import json
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.ops.basic_auth import basic_auth_ok
from tasks.delivery import apply_events

from . import signatures
from .services import sendgrid_events_store

logger = logging.getLogger(__name__)


def authenticate(request, body: bytes) -> str | None:
    """None when the request is genuine, else the reason it is refused.

    Each configured method must pass: a signature when keys are configured,
    Basic credentials when those are.
    """
    keys, basic = settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEYS, settings.SENDGRID_EVENT_WEBHOOK_BASIC_AUTH
    if not keys and not basic:
        return "the event webhook has no credentials configured"
    if basic and not basic_auth_ok(request, basic):
        return "wrong or missing HTTP Basic credentials"
    if keys:
        try:
            signatures.verify(
                body=body,
                signature=request.headers.get(signatures.SIGNATURE_HEADER),
                timestamp=request.headers.get(signatures.TIMESTAMP_HEADER),
                public_keys=keys, tolerance=settings.SENDGRID_EVENT_WEBHOOK_TOLERANCE,
            )
        except signatures.SignatureError as exc:
            return str(exc)
    return None


@csrf_exempt
@require_POST
def sendgrid_events(request):
    body = request.body
    refused = authenticate(request, body)
    if refused:
        logger.warning("event webhook refused: %s", refused)
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Basic realm="donemail-events"'
        return response
    try:
        events = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return HttpResponse("body is not JSON\n", status=400, content_type="text/plain")
    try:
        with transaction.atomic():
            ids = sendgrid_events_store(events=events)
            if ids:
                transaction.on_commit(lambda: _enqueue(apply_events, ids))
    except ValueError as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain")
    except DatabaseError:
        logger.exception("could not store SendGrid events; SendGrid will retry")
        return HttpResponse("could not store events\n", status=503, content_type="text/plain")
    return JsonResponse({"stored": len(ids), "received": len(events)})


def _enqueue(task, ids):
    try:
        task.delay(ids)
    except Exception:  # broker down: the sweep applies unprocessed events later
        logger.exception("could not enqueue apply_events; the sweep will pick them up")
