"""SendGrid's Inbound Parse webhook: authenticate, bound, store, answer.

SendGrid retries a POST answered 5xx for 72 hours but drops one answered
3xx or 4xx at once, telling nobody. So apart from wrong credentials (401)
this view answers 200 for everything it has recorded, including posts too
large to keep whole (recorded as rejected), and 503 when it could record
nothing (the database is down), so SendGrid tries again. Credentials and
Content-Length are checked before a byte of the body is read.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from apps.ops.basic_auth import CHALLENGE, basic_auth_ok

from .formdata import FormData, MalformedForm, form_read
from .models import InboundEmail
from .sendgrid import delivery_read
from .services import inbound_store

logger = logging.getLogger(__name__)

# Bytes kept of each field of a post too large to store: enough for headers.
KEEP_OF_REJECTED = 64 * 1024
# A post announcing more than this many times the limit is recorded unread:
# a slightly large one is read through (to keep its headers), a huge one could
# keep a web worker busy for minutes.
UNREAD_FACTOR = 4


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body + "\n", status=status, content_type="text/plain")


def _content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


@csrf_exempt
def sendgrid_inbound(request):
    if request.method != "POST":
        response = _text("POST only", status=405)
        response["Allow"] = "POST"
        return response
    if not basic_auth_ok(request, settings.INBOUND_WEBHOOK_SECRET):
        logger.warning("inbound webhook: wrong or missing credentials from %s",
                       request.META.get("REMOTE_ADDR"))
        response = _text("unauthorized", status=401)
        response["WWW-Authenticate"] = CHALLENGE
        return response

    length, limit = _content_length(request), settings.INBOUND_MAX_BYTES
    too_large = length > limit
    if length > UNREAD_FACTOR * limit:  # no provider posts this: not worth reading through
        form = FormData()
        refused = (f"too large to read: {length} bytes announced, INBOUND_MAX_BYTES is {limit}"
                   f" (from {request.META.get('REMOTE_ADDR')}, "
                   f"{request.META.get('HTTP_USER_AGENT', 'no User-Agent')})")
    else:
        try:
            form = form_read(
                stream=request, content_type=request.META.get("CONTENT_TYPE", ""),
                length=length, keep=KEEP_OF_REJECTED if too_large else None,
            )
        except MalformedForm as exc:
            logger.warning("inbound webhook: %s", exc)
            form, refused = FormData(), str(exc)
        else:
            refused = (f"too large: {length} bytes posted, INBOUND_MAX_BYTES is {limit}"
                       if too_large else "")

    try:
        with form:
            delivery = delivery_read(form, keep_body=not refused)
            email = inbound_store(
                raw=delivery.raw, mode=delivery.mode, envelope=delivery.envelope,
                spf=delivery.spf, dkim=delivery.dkim, spam_score=delivery.spam_score,
                size=length if refused else None, rejected_reason=refused,
            )
    except DatabaseError:
        logger.exception("inbound webhook: could not store the email; SendGrid will retry")
        return _text("could not store the email, try again later", status=503)
    if email.state == InboundEmail.State.REJECTED:
        logger.warning("inbound webhook: recorded #%s as rejected: %s", email.pk, refused)
    return _text(f"stored #{email.pk}")
