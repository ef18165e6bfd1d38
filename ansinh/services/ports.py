"""Ports: how an outbox message leaves ansinh, one per channel.

The outbox decides *when* a message is sent and what to do when sending fails; a port only
knows *how* to send one: by SMTP for e-mail, by an HTTP gateway for SMS, by an HTTP callback
for the National Public Service Portal. A port raises :class:`DeliveryFailed` with a reason
a person can act on, and the outbox retries later. :func:`configured_ports` picks a real
port for each channel that has settings and a :class:`RecordingPort` for the others, so the
demo sends nothing off the machine while production configures each channel (docs/outbox.md).

HTTP goes through the standard library (``urllib.request``): the runtime dependencies carry
no HTTP client, and two small JSON POSTs do not need one.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from ansinh.services.models import OutboxChannel

if TYPE_CHECKING:
    from ansinh.core.settings import Settings
    from ansinh.services.outbox import OutboxMessagePublic

TIMEOUT_SECONDS = 30.0
"""How long a port waits for the other side; a hung gateway is a failed attempt, retried later."""


class DeliveryFailed(Exception):
    """A message could not be sent this time; the reason is kept on the outbox row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Port(Protocol):
    """Sends one message or raises :class:`DeliveryFailed`."""

    def send(self, message: OutboxMessagePublic) -> None: ...


@dataclass(frozen=True)
class SmtpEmailPort:
    """E-mail through an SMTP relay (plain Vietnamese text, UTF-8)."""

    host: str
    port: int
    sender: str
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT_SECONDS

    def send(self, message: OutboxMessagePublic) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body, charset="utf-8")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: a callback that moved is a failure to look at, not a POST to resend elsewhere."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _check_http_url(url: str) -> None:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"{url!r} is not an http(s) URL")


def post_json(url: str, body: bytes, *, api_key: str | None, timeout: float = TIMEOUT_SECONDS) -> None:
    """POST ``body`` (JSON) to ``url``; anything but a 2xx answer is :class:`DeliveryFailed`."""
    _check_http_url(url)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "ansinh-outbox"}
    if api_key:
        headers["X-Api-Key"] = api_key
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
            answer = response.read(200)
    except urllib.error.HTTPError as exc:
        detail = exc.read(200).decode("utf-8", "replace")
        raise DeliveryFailed(f"POST {url}: HTTP {exc.code} {detail}".rstrip()) from exc
    except OSError as exc:  # URLError, refused connections and timeouts are all OSError
        raise DeliveryFailed(f"POST {url}: {type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"POST {url}: HTTP {status} {answer.decode('utf-8', 'replace')}".rstrip())


@dataclass(frozen=True)
class HttpSmsPort:
    """SMS through an HTTP gateway that takes ``{"to": phone, "text": text}``."""

    url: str
    api_key: str | None = None
    timeout: float = TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        _check_http_url(self.url)

    def send(self, message: OutboxMessagePublic) -> None:
        payload = json.dumps({"to": message.recipient, "text": message.body}, ensure_ascii=False)
        post_json(self.url, payload.encode("utf-8"), api_key=self.api_key, timeout=self.timeout)


def _under(candidate: str, base: str) -> bool:
    """Whether ``candidate`` is ``base`` or a path below it, on the same scheme, host and port."""
    c, b = urlsplit(candidate), urlsplit(base)
    if (c.scheme, c.netloc.lower()) != (b.scheme, b.netloc.lower()):
        return False
    prefix = b.path.rstrip("/")
    return c.path == prefix or c.path.startswith(prefix + "/")


@dataclass(frozen=True)
class PortalCallbackPort:
    """Status callbacks to the National Public Service Portal.

    The message body is the JSON callback (docs/outbox.md) and its recipient the callback
    URL; ``url`` is the configured portal endpoint. A recipient outside ``url`` is refused,
    so a callback address that came in with a dossier can never make ansinh send its portal
    key elsewhere; an empty recipient means ``url`` itself.
    """

    url: str
    api_key: str | None = None
    timeout: float = TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        _check_http_url(self.url)

    def send(self, message: OutboxMessagePublic) -> None:
        target = message.recipient or self.url
        if not _under(target, self.url):
            raise DeliveryFailed(f"callback URL {target!r} is not under the configured portal URL {self.url!r}")
        post_json(target, message.body.encode("utf-8"), api_key=self.api_key, timeout=self.timeout)


@dataclass
class RecordingPort:
    """Accepts every message and keeps it in memory; nothing leaves the machine.

    The demo runs on it (the outbox row then reads ``sent``, which is what the messages
    page shows), and tests use ``fail_times`` to make the first attempts fail.
    """

    fail_times: int = 0
    sent: list[OutboxMessagePublic] = field(default_factory=list)
    failures: int = 0

    def send(self, message: OutboxMessagePublic) -> None:
        if self.failures < self.fail_times:
            self.failures += 1
            raise DeliveryFailed(f"simulated failure {self.failures} of {self.fail_times}")
        self.sent.append(message)


@dataclass(frozen=True)
class Ports:
    """One port per outbox channel."""

    email: Port
    sms: Port
    portal: Port

    def for_channel(self, channel: OutboxChannel | str) -> Port:
        """The port that sends messages of ``channel``."""
        return {OutboxChannel.EMAIL: self.email, OutboxChannel.SMS: self.sms,
                OutboxChannel.PORTAL: self.portal}[OutboxChannel(channel)]


def recording_ports() -> Ports:
    """Ports that record everything and send nothing (the demo, tests)."""
    return Ports(email=RecordingPort(), sms=RecordingPort(), portal=RecordingPort())


def configured_ports(settings: Settings) -> Ports:
    """A real port for each channel with settings, a :class:`RecordingPort` for the others."""
    email: Port = RecordingPort()
    sms: Port = RecordingPort()
    portal: Port = RecordingPort()
    if settings.smtp_host:
        email = SmtpEmailPort(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
                              starttls=settings.smtp_starttls, username=settings.smtp_username,
                              password=settings.smtp_password)
    if settings.sms_gateway_url:
        sms = HttpSmsPort(url=settings.sms_gateway_url, api_key=settings.sms_api_key)
    if settings.portal_callback_url:
        portal = PortalCallbackPort(url=settings.portal_callback_url, api_key=settings.portal_api_key)
    return Ports(email=email, sms=sms, portal=portal)
