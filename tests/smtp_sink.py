"""A real SMTP server on loopback (aiosmtpd) that can be told to misbehave.

Tests send real SMTP to it and assert on what it received, byte for byte.
Each misbehaviour is armed for a number of uses, so a test can say "refuse
the next connection with 421, then behave" and watch the retry succeed.

It can also speak TLS (STARTTLS with `tls_context`, implicit TLS with
`implicit_tls=True`) and require AUTH (`credentials=("user", "password")`),
and it counts connections and NOOPs, so tests can see a pool at work.
"""

import asyncio
import hmac
import socket
import ssl
import threading
import warnings
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class _Armed:
    reply: str
    times: int  # uses left; -1 = forever


@dataclass
class SinkState:
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    greeting: list[_Armed] = field(default_factory=list)
    mail_from: list[_Armed] = field(default_factory=list)
    drop_rset: int = 0
    rcpt: dict[str, _Armed] = field(default_factory=dict)
    data: list[_Armed] = field(default_factory=list)
    drop_data: int = 0
    delay: float = 0.0
    noops: int = 0
    auth_failures: int = 0
    sessions: set = field(default_factory=set)
    reply_delay: float = 0.0
    on_accept: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _take(armed: list[_Armed]) -> str | None:
    if not armed:
        return None
    head = armed[0]
    if head.times > 0:
        head.times -= 1
        if head.times == 0:
            armed.pop(0)
    return head.reply


class _Handler:
    def __init__(self, state: SinkState):
        self.state = state

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.state.lock:
            reply = _take(self.state.mail_from)
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RSET(self, server, session, envelope):
        with self.state.lock:
            if self.state.drop_rset:
                self.state.drop_rset -= 1
                server.transport.abort()  # the connection dies at RSET, no reply
                return "421 connection dropped"
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.state.lock:
            armed = self.state.rcpt.get(address.lower())
            if armed and armed.times != 0:
                if armed.times > 0:
                    armed.times -= 1
                return armed.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_NOOP(self, server, session, envelope, arg):
        with self.state.lock:
            self.state.noops += 1
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.state.delay:
            await asyncio.sleep(self.state.delay)
        with self.state.lock:
            if self.state.drop_data:
                self.state.drop_data -= 1
                server.transport.abort()  # the connection dies mid-DATA, no reply
                return "421 connection dropped"
            reply = _take(self.state.data)
            if reply:
                return reply
            self.state.received.append(Received(
                mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content or envelope.content,
            ))
            number = len(self.state.received)
        if self.state.on_accept is not None:
            self.state.on_accept(self.state.received[-1])
        if self.state.reply_delay:  # accepted, but the client has not heard so yet
            await asyncio.sleep(self.state.reply_delay)
        return f"250 2.0.0 Ok: queued as sink-{number}"


class _SMTP(SMTP):
    def __init__(self, handler, state: SinkState, **kwargs):
        with warnings.catch_warnings():  # AUTH without STARTTLS is on purpose here
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            super().__init__(handler, **kwargs)
        self._sink_state = state

    async def _handle_client(self):
        with self._sink_state.lock:
            self._sink_state.connections += 1
            greeting = _take(self._sink_state.greeting)
            self._sink_state.sessions.add(self)
        try:
            if greeting:
                await self.push(greeting)
                self.transport.close()
                return
            await super()._handle_client()
        finally:
            with self._sink_state.lock:
                self._sink_state.sessions.discard(self)


class _Controller(Controller):
    def __init__(self, state: SinkState, **kwargs):
        self._state = state
        super().__init__(_Handler(state), **kwargs)

    def factory(self):
        return _SMTP(self.handler, self._state, **self.SMTP_kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Start with `start()`; misbehaviours are armed with the methods below."""

    def __init__(
        self, *, auth_required: bool = False, credentials: tuple[str, str] | None = None,
        tls_context: ssl.SSLContext | None = None, implicit_tls: bool = False,
    ):
        """`credentials` makes AUTH required and checks it; `tls_context` (a
        server context) offers STARTTLS, or with `implicit_tls` wraps the
        whole connection. AUTH over plain text is allowed when no TLS is set."""
        self.state = SinkState()
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.credentials = credentials
        self.implicit_tls = implicit_tls
        self.tls_context = tls_context
        options = {}
        if credentials is not None:
            options.update(
                auth_required=True, authenticator=self._authenticate,
                # aiosmtpd sees TLS only when it came by STARTTLS
                auth_require_tls=tls_context is not None and not implicit_tls,
            )
        elif auth_required:
            options["auth_required"] = True
        if tls_context is not None and implicit_tls:
            options["ssl_context"] = tls_context
        elif tls_context is not None:
            options.update(tls_context=tls_context, require_starttls=True)
        self._controller = _Controller(
            self.state, hostname=self.host, port=self.port, decode_data=False,
            data_size_limit=50 * 1024 * 1024, ready_timeout=10, **options,
        )

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = self.credentials
        ok = hmac.compare_digest(auth_data.login, user.encode()) and hmac.compare_digest(
            auth_data.password, password.encode())
        if not ok:
            with self.state.lock:
                self.state.auth_failures += 1
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    @property
    def url(self) -> str:
        if self.tls_context is None:
            scheme = "smtp"
        else:
            scheme = "smtp+ssl" if self.implicit_tls else "smtp+tls"
        auth = ""
        if self.credentials:
            from urllib.parse import quote

            auth = f"{quote(self.credentials[0], safe='')}:{quote(self.credentials[1], safe='')}@"
        return f"{scheme}://{auth}{self.host}:{self.port}"

    def start(self) -> "SmtpSink":
        self._controller.start()
        with self.state.lock:  # the controller's own readiness probe is not a client
            self.state.connections = 0
        return self

    def stop(self) -> None:
        self._controller.stop()

    # --- what it received -------------------------------------------------
    @property
    def received(self) -> list[Received]:
        with self.state.lock:
            return list(self.state.received)

    @property
    def connections(self) -> int:
        return self.state.connections

    @property
    def noops(self) -> int:
        """NOOP commands received (a pool checking an idle connection)."""
        return self.state.noops

    @property
    def open_sessions(self) -> int:
        with self.state.lock:
            return len(self.state.sessions)

    # --- misbehaviours ------------------------------------------------------
    def refuse_connections(self, reply: str = "421 4.3.2 Service not available", times: int = 1):
        """Answer the next `times` connections with `reply` instead of 220, then hang up."""
        with self.state.lock:
            self.state.greeting.append(_Armed(reply, times))

    def refuse_recipient(self, address: str, reply: str, times: int = -1):
        """Answer RCPT TO:<address> with `reply` (e.g. '550 5.1.1 No such user')."""
        with self.state.lock:
            self.state.rcpt[address.lower()] = _Armed(reply, times)

    def refuse_mail_from(self, reply: str, times: int = 1):
        """Answer the next `times` MAIL FROM commands with `reply` (e.g.
        '530 5.7.0 Authentication required')."""
        with self.state.lock:
            self.state.mail_from.append(_Armed(reply, times))

    def drop_at_rset(self, times: int = 1):
        """Abort the connection at the next `times` RSET commands, without a reply."""
        with self.state.lock:
            self.state.drop_rset += times

    def refuse_data(self, reply: str, times: int = 1):
        """Answer the next `times` DATA commands with `reply` (e.g. '451 4.3.0 Try later')."""
        with self.state.lock:
            self.state.data.append(_Armed(reply, times))

    def drop_during_data(self, times: int = 1):
        """Abort the connection after the next `times` messages' DATA, without a reply."""
        with self.state.lock:
            self.state.drop_data += times

    def drop_connections(self):
        """Abort every open session at once, as a server restart does; the
        clients find out on their next command."""
        with self.state.lock:
            sessions = list(self.state.sessions)
        for session in sessions:
            if session.transport is not None:
                self._controller.loop.call_soon_threadsafe(session.transport.abort)

    def slow(self, seconds: float):
        """Wait `seconds` before answering each DATA."""
        self.state.delay = seconds

    def on_accept(self, callback):
        """Call `callback(received)` as each message is accepted, before the 250
        (on the sink's thread): the moment a client's message becomes ours."""
        self.state.on_accept = callback

    def slow_reply(self, seconds: float):
        """Keep each message the moment its DATA ends, then wait `seconds` before
        the 250: a client that dies meanwhile never learns it was delivered."""
        self.state.reply_delay = seconds
