"""SMTP through a small per-process pool of persistent connections.

Opening an SMTP session (TCP, greeting, EHLO, TLS, AUTH) costs more than
sending a reminder over it, so connections stay open across batches and are
shared by the threads of one worker process, at most EMAIL_POOL_SIZE of them.
A connection enters the pool only after TLS and AUTH succeeded; one that
fails any step is closed and forgotten, never reused.

Each message is its own SMTP transaction (MAIL, RCPT per recipient, DATA), so
each gets its own outcome: a refused recipient or a 4xx/5xx reply is an
Outcome, never an exception, and the next message of the batch goes on.

What we promise about a connection that dies under a message:
- it died before the content's final dot was sent (a 421, a reset, a timeout
  before or during DATA): a server accepts nothing without that dot, so the
  message is retried once on a fresh connection;
- it died after the dot: the server may have queued it, so the outcome is
  TEMPORARY (the sender retries later, a possible duplicate), never "sent" by
  guess and never retried at once.

A connection that cannot be made at all (refused, 421 greeting, TLS or AUTH
failure) is tried twice, then the rest of the batch is TEMPORARY without
further attempts: the server is down, not the messages. A refused AUTH (535)
is also TEMPORARY, so the mail waits while an operator fixes EMAIL_URL; it is
logged as an error on every batch until then. So is a MAIL FROM the server
refuses for who *we* are (530 authentication required, 553 sender not
allowed, any 5.7.x policy reply): that says nothing about the message or its
recipient, so it is not a permanent failure of every message in the batch.
"""

import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address

from ..mime import message_bytes
from .base import Outcome
from .email_url import IMPLICIT_TLS, PLAIN, STARTTLS

logger = logging.getLogger("donemail.transports.smtp")

_LEADING_DOT = re.compile(rb"(?m)^\.")
_QUEUED_AS = re.compile(r"queued as (\S+)", re.IGNORECASE)
# MAIL FROM replies that refuse our sender or our session, not the message:
# 530 (AUTH needed), 553 (sender address not allowed), or an enhanced status
# 5.7.x (security or policy: relay denied, sender not authorised, SPF...).
_SENDER_CODES = frozenset({530, 553})
_POLICY_STATUS = re.compile(r"5\.7\.\d{1,3}(?:\s|$)")


class _Dead(Exception):
    """The connection is unusable; `before_data` says whether the server
    can have queued the message (False) or certainly did not (True)."""

    def __init__(self, detail: str, *, before_data: bool):
        super().__init__(detail)
        self.detail = detail
        self.before_data = before_data


class _Unreachable(Exception):
    """No connection could be had for this batch."""


class _SenderRefused(Exception):
    """The server refused our MAIL FROM for a reason of ours (see
    _refuses_our_sender): every message of the batch would meet it."""


class _Connection:
    """One open SMTP session and what the pool knows about it."""

    __slots__ = ("smtp", "messages", "last_used")

    def __init__(self, smtp: smtplib.SMTP):
        self.smtp = smtp
        self.messages = 0
        self.last_used = time.monotonic()

    @property
    def closed(self) -> bool:
        """smtplib drops its socket when it closes, whoever closed it."""
        return self.smtp.sock is None

    def quit(self) -> None:
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()

    def abandon(self) -> None:
        """Close our socket without a word: after fork the parent still owns
        the session, and a QUIT from the child would end it under the parent."""
        self.smtp.close()


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _by_code(code: int, detail: str) -> Outcome:
    """SMTP's own split: 5xx is permanent, anything else (4xx, or a reply
    that makes no sense) is worth another try later."""
    if 500 <= code <= 599:
        return Outcome.permanent(detail)
    return Outcome.temporary(detail)


def _refuses_our_sender(code: int, text: bytes | str) -> bool:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return code in _SENDER_CODES or bool(_POLICY_STATUS.match(text.lstrip()))


# "Name <local@example.com>" or "local@example.com", all ASCII and one line:
# the address is read off directly. Anything else goes through Django's
# sanitize_address, which handles encoded names and IDN domains and refuses
# newlines, but costs half a millisecond a call (the bench shows it).
_PLAIN_ADDRESS = re.compile(
    r"(?:[\x20-\x3b\x3d\x3f-\x7e]*<)?([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>?",
    re.ASCII,
)


def _mailbox(address: str, encoding: str) -> str:
    """The bare addr-spec of `address`, as it goes between < and > on the wire."""
    plain = _PLAIN_ADDRESS.fullmatch(address)
    if plain and (address.endswith(">") == ("<" in address)):
        return plain.group(1)
    return parseaddr(sanitize_address(address, encoding))[1]


def _command(smtp: smtplib.SMTP, verb: str, argument: str) -> tuple[int, bytes]:
    """One command and its reply. smtplib's mail() and rcpt() would parse
    each address again (quoteaddr); ours are bare already."""
    smtp.putcmd(verb, argument)
    return smtp.getreply()


def _envelope(message: EmailMessage) -> tuple[str, list[str], bytes]:
    """MAIL FROM, RCPT TOs and the DATA bytes, exactly as they go on the wire.

    MAIL FROM is the message's VERP `envelope_from` when rendering set one, so
    a bounce names the message. Raises ValueError for an address that cannot
    be sent to (newlines in addresses are refused: no header injection).
    """
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = getattr(message, "envelope_from", None) or message.from_email
    sender = _mailbox(sender, encoding)
    recipients = [_mailbox(address, encoding) for address in message.recipients()]
    if not recipients:
        raise ValueError("the message has no recipients")
    data = message_bytes(message)
    return sender, recipients, data


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload with its terminator (RFC 5321 4.5.2), as smtplib does.
    The search first: most messages have no line to stuff, and the
    substitution copies all of them."""
    if data.startswith(b".") or b"\n." in data:
        data = _LEADING_DOT.sub(b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _transact(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes,
    before_handoff: Callable[[], None] | None = None,
) -> Outcome:
    """One SMTP transaction. Raises _Dead when the connection is lost.

    `before_handoff` runs when the server has said 354 and before the
    content goes with its final dot, the one byte sequence that lets the
    server accept the message: the sender waits there for the previous
    outcome to be recorded, so at most one message per connection is ever
    accepted but unrecorded. An exception from it propagates, the message
    not accepted (the connection, mid-DATA, is discarded)."""
    try:
        code, text = _command(smtp, "mail", f"FROM:<{sender}>")
        if code == 421:
            raise _Dead(_reply(code, text), before_data=True)
        if code != 250:
            _rset(smtp)
            detail = f"MAIL FROM:<{sender}> refused: {_reply(code, text)}"
            if 500 <= code <= 599 and _refuses_our_sender(code, text):
                raise _SenderRefused(detail)
            return _by_code(code, detail)
        refused = {}
        for recipient in recipients:
            code, text = _command(smtp, "rcpt", f"TO:<{recipient}>")
            if code == 421:
                raise _Dead(_reply(code, text), before_data=True)
            if code not in (250, 251):
                refused[recipient] = (code, _reply(code, text))
        if len(refused) == len(recipients):
            _rset(smtp)
            return _refused(refused)
        code, text = _command(smtp, "data", "")
        if code == 421:
            raise _Dead(_reply(code, text), before_data=True)
        if code != 354:
            _rset(smtp)
            return _by_code(code, f"DATA refused: {_reply(code, text)}")
    except (smtplib.SMTPException, OSError) as exc:
        raise _Dead(f"connection lost before the end of DATA: {exc}", before_data=True) from exc
    if before_handoff is not None:
        before_handoff()
    try:
        smtp.send(_dot_stuffed(data))
        code, text = smtp.getreply()
    except (smtplib.SMTPException, OSError) as exc:
        raise _Dead(f"connection lost after the end of DATA (the server may have queued it): {exc}", before_data=False) from exc
    detail = _reply(code, text)
    if code == 421:
        raise _Dead(detail, before_data=False)
    if code != 250:
        return _by_code(code, detail)
    if refused:
        detail += "; refused: " + "; ".join(f"{rcpt} {why}" for rcpt, why in refused.items())
    queued = _QUEUED_AS.search(detail)
    return Outcome.sent(provider_id=queued.group(1) if queued else "", detail=detail)


def _rset(smtp: smtplib.SMTP) -> None:
    """End a refused transaction. If RSET fails (no answer, or not 250) the
    session is in a state we do not know: it is closed here, and the lease,
    seeing it closed, drops it rather than reusing it or pooling it. The
    outcome of this message is already known."""
    try:
        code, _ = smtp.rset()
    except (smtplib.SMTPException, OSError):
        code = -1
    if code != 250:
        smtp.close()


def _refused(refused: dict[str, tuple[int, str]]) -> Outcome:
    """Every recipient refused: permanent only if every refusal was 5xx."""
    detail = "recipient refused: " + "; ".join(
        f"{rcpt} {why}" for rcpt, (_, why) in refused.items())
    if all(500 <= code <= 599 for code, _ in refused.values()):
        return Outcome.permanent(detail)
    return Outcome.temporary(detail)


class _Pool:
    """Idle connections (newest on top) and a count of all that exist, so a
    process never holds more than `size`. Thread-safe: the threads pool of a
    worker shares one."""

    def __init__(self, size: int):
        self.size = size
        self.idle: list[_Connection] = []
        self.existing = 0
        self.pid = os.getpid()
        self.condition = threading.Condition()

    def take(self, *, wait: float) -> _Connection | None:
        """An idle connection, or None: the caller may open one (its slot is
        reserved). Waits up to `wait` seconds when all are in use."""
        with self.condition:
            deadline = time.monotonic() + wait
            while True:
                if self.idle:
                    return self.idle.pop()
                if self.existing < self.size:
                    self.existing += 1
                    return None
                left = deadline - time.monotonic()
                if left <= 0 or not self.condition.wait(left):
                    raise _Unreachable(
                        f"all {self.size} SMTP connections of this process stayed busy "
                        f"for {wait:g}s (EMAIL_POOL_SIZE)"
                    )

    def give_back(self, connection: _Connection) -> None:
        with self.condition:
            self.idle.append(connection)
            self.condition.notify()

    def forget(self) -> None:
        """A connection (or a reserved slot) is gone."""
        with self.condition:
            self.existing -= 1
            self.condition.notify()

    def drain(self) -> list[_Connection]:
        with self.condition:
            idle, self.idle = self.idle, []
            self.existing -= len(idle)
            self.condition.notify_all()
            return idle


class SmtpTransport:
    """The SMTP transport; see the module docstring for what it promises.

    Build it once per process (get_transport() does) and call send() for each
    batch; do not wrap each batch in `with`, which closes the pool.
    """

    def __init__(
        self, *, host: str, port: int, security: str = PLAIN, username: str = "",
        password: str = "", timeout: float = 30.0, pool_size: int = 2,
        max_messages_per_connection: int = 100, noop_after: float = 30.0,
        ssl_context: ssl.SSLContext | None = None, local_hostname: str = "",
    ):
        if security not in (PLAIN, STARTTLS, IMPLICIT_TLS):
            raise ValueError(f"unknown SMTP security {security!r}")
        self.host, self.port, self.security = host, port, security
        self.username, self.password = username, password
        self.timeout = timeout
        self.max_messages_per_connection = max_messages_per_connection
        self.noop_after = noop_after
        self.local_hostname = local_hostname or None
        self.ssl_context = ssl_context
        if security != PLAIN and ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        self._pool_size = pool_size
        self._pool = _Pool(pool_size)

    def __repr__(self) -> str:
        return f"<SmtpTransport {self.security} {self.host}:{self.port}>"

    # --- the Transport interface -------------------------------------------
    def open(self) -> None:
        """Open one connection now, so a bad EMAIL_URL shows at start; raises
        what smtplib raises. send() does not need it."""
        pool = self._current_pool()
        connection = pool.take(wait=self.timeout)
        if connection is None:
            try:
                connection = _Connection(self._connect())
            except BaseException:
                pool.forget()
                raise
        pool.give_back(connection)

    def close(self) -> None:
        """QUIT every idle connection; the next send() opens new ones."""
        for connection in self._current_pool().drain():
            connection.quit()

    def __enter__(self) -> "SmtpTransport":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(
        self, messages: list[EmailMessage], *, before_handoff: Callable[[], None] | None = None,
    ) -> list[Outcome]:
        lease = _Lease(self, self._current_pool())
        try:
            outcomes = [self._send_one(lease, message, before_handoff) for message in messages]
        except BaseException:
            # Our bug, or Celery's time limit, may have struck mid-transaction:
            # a connection in an unknown state never goes back to the pool.
            lease.discard()
            raise
        lease.end()
        return outcomes

    # --- inside ------------------------------------------------------------
    def _current_pool(self) -> _Pool:
        """This process's pool. A child forked from a process that had
        connections starts its own and leaves the parent's sockets alone."""
        pool = self._pool
        if pool.pid != os.getpid():
            for connection in pool.idle:
                connection.abandon()
            pool = self._pool = _Pool(self._pool_size)
        return pool

    def _send_one(
        self, lease: "_Lease", message: EmailMessage, before_handoff: Callable[[], None] | None,
    ) -> Outcome:
        try:
            sender, recipients, data = _envelope(message)
        except ValueError as exc:
            return Outcome.permanent(f"cannot be sent: {exc}")
        retried = False
        while True:
            try:
                connection = lease.connection()
            except _Unreachable as exc:
                return Outcome.temporary(str(exc))
            try:
                outcome = _transact(connection.smtp, sender, recipients, data, before_handoff)
            except _SenderRefused as refused:
                detail = f"SMTP {self.host}:{self.port}: {refused}"
                logger.error("%s. Mail waits (temporary) until the sender address "
                             "(DEFAULT_FROM_EMAIL, INBOUND_DOMAIN) or EMAIL_URL's "
                             "credentials are fixed.", detail)
                lease.refuse_rest(detail)
                return Outcome.temporary(detail)
            except _Dead as dead:
                lease.discard()
                if dead.before_data and not retried:
                    retried = True
                    logger.info("SMTP %s: %s; retrying on a fresh connection", self, dead.detail)
                    continue
                return Outcome.temporary(dead.detail)
            connection.messages += 1
            if connection.closed:  # RSET failed after a refusal
                lease.discard()
            elif connection.messages >= self.max_messages_per_connection:
                lease.retire()
            return outcome

    def _connect(self) -> smtplib.SMTP:
        """A connection that completed TLS and AUTH, or an exception (and no
        open socket left behind)."""
        if self.security == IMPLICIT_TLS:
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, local_hostname=self.local_hostname,
                timeout=self.timeout, context=self.ssl_context,
            )
        else:
            smtp = smtplib.SMTP(
                self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout,
            )
        try:
            smtp.ehlo()
            if self.security == STARTTLS:
                smtp.starttls(context=self.ssl_context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
            # Each command is one small write awaiting its reply: Nagle's
            # algorithm would hold a write back for the ACK of the one before.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _connect_for_batch(self) -> _Connection:
        """Connect, trying twice (a 421 greeting is often a moment's overload)
        but not repeating a refused login. Raises _Unreachable."""
        for attempt in (1, 2):
            try:
                return _Connection(self._connect())
            except smtplib.SMTPAuthenticationError as exc:
                detail = f"SMTP AUTH refused by {self.host}:{self.port}: {_reply(*exc.args)}"
                logger.error("%s. Mail waits (temporary) until EMAIL_URL's credentials "
                             "are fixed.", detail)
                raise _Unreachable(detail) from exc
            except (smtplib.SMTPException, OSError) as exc:
                detail = f"cannot connect to SMTP {self.host}:{self.port}: {_connect_error(exc)}"
                level = logging.ERROR if isinstance(exc, ssl.SSLError) else logging.WARNING
                logger.log(level, "%s (attempt %d of 2)", detail, attempt)
        raise _Unreachable(detail)

    def _usable(self, connection: _Connection) -> bool:
        """An idle connection may have been closed by the server meanwhile:
        after EMAIL_NOOP_AFTER_SECONDS of idling, ask before trusting it."""
        if time.monotonic() - connection.last_used <= self.noop_after:
            return True
        try:
            code, _ = connection.smtp.noop()
        except (smtplib.SMTPException, OSError):
            code = -1
        if code == 250:
            return True
        connection.abandon()
        return False


def _connect_error(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return str(exc) or type(exc).__name__


class _Lease:
    """The one connection a batch holds while it sends, taken from the pool
    on first use and given back at the end."""

    def __init__(self, transport: SmtpTransport, pool: _Pool):
        self.transport = transport
        self.pool = pool
        self.current: _Connection | None = None
        self.unreachable: str = ""

    def connection(self) -> _Connection:
        if self.current is not None:
            return self.current
        if self.unreachable:
            raise _Unreachable(self.unreachable)
        try:
            self.current = self._take()
        except _Unreachable as exc:
            self.unreachable = str(exc)
            raise
        return self.current

    def _take(self) -> _Connection:
        while True:
            connection = self.pool.take(wait=self.transport.timeout)
            if connection is None:
                try:
                    return self.transport._connect_for_batch()
                except BaseException:
                    self.pool.forget()
                    raise
            if self.transport._usable(connection):
                return connection
            self.pool.forget()

    def discard(self) -> None:
        """The current connection died: close it and free its slot."""
        if self.current is not None:
            self.current.abandon()
            self.current = None
            self.pool.forget()

    def refuse_rest(self, detail: str) -> None:
        """The server refused our sender: the rest of the batch waits
        without asking again, and the connection is not kept."""
        self.unreachable = detail
        if self.current is not None and self.current.closed:
            self.discard()
        else:
            self.retire()

    def retire(self) -> None:
        """The current connection reached its message cap: QUIT politely."""
        if self.current is not None:
            self.current.quit()
            self.current = None
            self.pool.forget()

    def end(self) -> None:
        if self.current is not None and self.current.closed:
            self.discard()  # never pool a closed session
        if self.current is not None:
            self.current.last_used = time.monotonic()
            self.pool.give_back(self.current)
            self.current = None
