"""The outbox: written with the caller's change, sent afterwards with retries; and its ports."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine, func, select

from ansinh.core.errors import Conflict, NotFound
from ansinh.core.settings import Settings
from ansinh.db.uow import UnitOfWork
from ansinh.org.models import Office
from ansinh.services import outbox
from ansinh.services.models import Channel, Dossier, DossierStatus, OutboxChannel, OutboxMessage, OutboxStatus
from ansinh.services.outbox import BACKOFF, OutboxMessagePublic, deliver_due, enqueue, messages, requeue
from ansinh.services.ports import (
    DeliveryFailed,
    HttpSmsPort,
    PortalCallbackPort,
    Ports,
    RecordingPort,
    SmtpEmailPort,
    configured_ports,
    recording_ports,
)

VN = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)
SECOND = dt.timedelta(seconds=1)


def _enqueue(uow: UnitOfWork, key: str, *, channel: OutboxChannel = OutboxChannel.EMAIL, at: dt.datetime = T0,
             dossier_id: int | None = None, recipient: str = "an@example.vn") -> bool:
    with uow:
        written = enqueue(uow=uow, key=key, channel=channel, recipient=recipient, subject="Hồ sơ đã tiếp nhận",
                          body="Hồ sơ của bạn đã được tiếp nhận.", dossier_id=dossier_id, at=at)
        uow.commit()
    return written


def _row(db: Engine, key: str) -> OutboxMessagePublic:
    with UnitOfWork(db) as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        assert row is not None
        return OutboxMessagePublic.model_validate(row)


def _count(db: Engine) -> int:
    with UnitOfWork(db) as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def _dossier(uow: UnitOfWork) -> int:
    with uow:
        office_id = uow.session.scalar(select(Office.id).limit(1))
        assert office_id is not None
        dossier = Dossier(procedure_code="630", channel=Channel.ONLINE, status=DossierStatus.SUBMITTED,
                          citizen_id="001090000001", applicant_name="Nguyễn Văn An", data="{}",
                          submitted_at=T0, receiving_office_id=office_id, paused_days="[]")
        uow.session.add(dossier)
        uow.session.flush()
        dossier_id = dossier.id
        uow.commit()
    return dossier_id


# Enqueue: in the caller's transaction, once per key.


def test_enqueue_writes_a_pending_message_once_per_key(db: Engine) -> None:
    uow = UnitOfWork(db)
    assert _enqueue(uow, "dossier:1:1:email") is True
    assert _enqueue(uow, "dossier:1:1:email") is False
    assert _count(db) == 1
    row = _row(db, "dossier:1:1:email")
    assert (row.status, row.attempts, row.channel, row.recipient) == ("pending", 0, "email", "an@example.vn")
    assert row.created_at == T0 and row.next_attempt_at == T0
    assert row.sent_at is None and row.last_error is None


def test_the_same_key_twice_in_one_transaction_writes_once(db: Engine) -> None:
    uow = UnitOfWork(db)
    with uow:
        for _ in range(2):
            enqueue(uow=uow, key="k", channel=OutboxChannel.SMS, recipient="0912345678", subject="s", body="b",
                    dossier_id=None, at=T0)
        uow.commit()
    assert _count(db) == 1


def test_nothing_is_written_when_the_caller_rolls_back(db: Engine) -> None:
    uow = UnitOfWork(db)
    with uow:
        assert enqueue(uow=uow, key="k", channel=OutboxChannel.EMAIL, recipient="an@example.vn", subject="s",
                       body="b", dossier_id=None, at=T0)
    with pytest.raises(RuntimeError, match="step failed"), uow:  # the caller's step
        with uow:  # a service it calls, which asks to commit
            enqueue(uow=uow, key="k2", channel=OutboxChannel.EMAIL, recipient="an@example.vn", subject="s",
                    body="b", dossier_id=None, at=T0)
            uow.commit()  # deferred to the caller's block, which then fails
        raise RuntimeError("step failed")
    assert _count(db) == 0


def test_enqueue_refuses_what_it_cannot_keep(db: Engine) -> None:
    uow = UnitOfWork(db)
    with pytest.raises(RuntimeError, match="not open"):
        enqueue(uow=uow, key="k", channel=OutboxChannel.EMAIL, recipient="a@b.vn", subject="s", body="b",
                dossier_id=None, at=T0)
    with uow:
        with pytest.raises(ValueError, match="1 to 80"):
            enqueue(uow=uow, key="k" * 81, channel=OutboxChannel.EMAIL, recipient="a@b.vn", subject="s",
                    body="b", dossier_id=None, at=T0)
        with pytest.raises(ValueError, match="timezone-aware"):
            enqueue(uow=uow, key="k", channel=OutboxChannel.EMAIL, recipient="a@b.vn", subject="s", body="b",
                    dossier_id=None, at=T0.replace(tzinfo=None))
    assert _count(db) == 0


def test_a_long_subject_is_shortened_not_refused(db: Engine) -> None:
    uow = UnitOfWork(db)
    with uow:
        enqueue(uow=uow, key="k", channel=OutboxChannel.EMAIL, recipient="a@b.vn", subject="Hồ sơ " * 60,
                body="b", dossier_id=None, at=T0)
        uow.commit()
    subject = _row(db, "k").subject
    assert len(subject) == 200 and subject.endswith("…")


# Delivery.


def test_a_due_message_is_sent_once(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    ports = recording_ports()
    report = deliver_due(uow=uow, ports=ports, at=T0)
    assert (report.sent, report.retrying, report.dead) == (1, 0, 0)
    assert isinstance(ports.email, RecordingPort)
    assert [m.key for m in ports.email.sent] == ["k"]
    assert ports.email.sent[0].body == "Hồ sơ của bạn đã được tiếp nhận."
    row = _row(db, "k")
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, T0, None)
    again = deliver_due(uow=uow, ports=ports, at=T0 + dt.timedelta(days=1))
    assert (again.sent, again.retrying, again.dead) == (0, 0, 0)
    assert len(ports.email.sent) == 1


def test_a_message_not_yet_due_waits(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k", at=T0)
    ports = recording_ports()
    assert deliver_due(uow=uow, ports=ports, at=T0 - SECOND).sent == 0
    assert _row(db, "k").status == "pending"


def test_failures_wait_on_the_schedule_then_the_message_is_dead(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k", channel=OutboxChannel.SMS, recipient="0912345678")
    failing = RecordingPort(fail_times=100)
    ports = Ports(email=RecordingPort(), sms=failing, portal=RecordingPort())
    at = T0
    for attempt, wait in enumerate(BACKOFF, start=1):
        report = deliver_due(uow=uow, ports=ports, at=at)
        assert (report.sent, report.retrying, report.dead) == (0, 1, 0)
        row = _row(db, "k")
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at == at + wait
        assert row.last_error == f"simulated failure {attempt} of 100"
        assert deliver_due(uow=uow, ports=ports, at=at + wait - SECOND).retrying == 0
        at += wait
    assert [w.total_seconds() for w in BACKOFF] == [60, 300, 1800, 7200, 43200]
    final = deliver_due(uow=uow, ports=ports, at=at)
    assert (final.sent, final.retrying, final.dead) == (0, 0, 1)
    row = _row(db, "k")
    assert (row.status, row.attempts, row.last_error) == ("dead", 6, "simulated failure 6 of 100")
    assert failing.failures == 6
    assert deliver_due(uow=uow, ports=ports, at=at + dt.timedelta(days=7)).dead == 0


def test_a_retry_that_succeeds_is_sent(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    ports = Ports(email=RecordingPort(fail_times=1), sms=RecordingPort(), portal=RecordingPort())
    assert deliver_due(uow=uow, ports=ports, at=T0).retrying == 1
    later = T0 + BACKOFF[0]
    assert deliver_due(uow=uow, ports=ports, at=later).sent == 1
    row = _row(db, "k")
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, later)
    assert row.last_error == "simulated failure 1 of 1"


def test_max_attempts_can_be_given(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    ports = Ports(email=RecordingPort(fail_times=1), sms=RecordingPort(), portal=RecordingPort())
    assert deliver_due(uow=uow, ports=ports, at=T0, max_attempts=1).dead == 1
    assert _row(db, "k").status == "dead"


@dataclass
class _Port:
    """A port that fails for some recipients, raising what it is given."""

    fail_for: dict[str, Exception] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)

    def send(self, message: OutboxMessagePublic) -> None:
        if message.recipient in self.fail_for:
            raise self.fail_for[message.recipient]
        self.sent.append(message.key)


def test_one_failing_message_does_not_stop_or_undo_the_others(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "a", at=T0, recipient="a@example.vn")
    _enqueue(uow, "b", at=T0 + SECOND, recipient="down@example.vn")
    _enqueue(uow, "c", at=T0 + 2 * SECOND, recipient="c@example.vn")
    port = _Port(fail_for={"down@example.vn": ConnectionRefusedError(111, "Connection refused")})
    report = deliver_due(uow=uow, ports=Ports(email=port, sms=port, portal=port), at=T0 + dt.timedelta(minutes=1))
    assert (report.sent, report.retrying, report.dead) == (2, 1, 0)
    assert port.sent == ["a", "c"]
    assert [_row(db, key).status for key in "abc"] == ["sent", "pending", "sent"]
    assert _row(db, "b").last_error == "ConnectionRefusedError: [Errno 111] Connection refused"


def test_delivery_takes_the_oldest_first_up_to_the_limit(db: Engine) -> None:
    uow = UnitOfWork(db)
    for index, key in enumerate(["new", "old", "mid"]):
        _enqueue(uow, key, at=T0 - dt.timedelta(minutes=[1, 3, 2][index]))
    port = _Port()
    assert deliver_due(uow=uow, ports=Ports(email=port, sms=port, portal=port), at=T0, limit=2).sent == 2
    assert port.sent == ["old", "mid"]


def test_a_sender_that_stopped_mid_attempt_retries_on_the_schedule(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    crash = _Port(fail_for={"an@example.vn": KeyError("bug in a port")})
    with pytest.raises(KeyError):
        deliver_due(uow=uow, ports=Ports(email=crash, sms=crash, portal=crash), at=T0)
    row = _row(db, "k")
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, T0 + BACKOFF[0])
    assert row.last_error == f"attempt 1 began at {T0.isoformat()} and recorded no outcome"
    port = _Port()
    assert deliver_due(uow=uow, ports=Ports(email=port, sms=port, portal=port), at=T0 + BACKOFF[0]).sent == 1
    assert _row(db, "k").attempts == 2


def test_a_message_another_sender_took_is_not_sent_twice(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "first", at=T0)
    _enqueue(uow, "second", at=T0 + SECOND)
    other_port = _Port()

    @dataclass
    class _Racing:
        sent: list[str] = field(default_factory=list)

        def send(self, message: OutboxMessagePublic) -> None:
            if message.key == "first":  # another sender runs while this one is busy with "first"
                deliver_due(uow=UnitOfWork(db), ports=Ports(email=other_port, sms=other_port, portal=other_port),
                            at=T0 + SECOND)
            self.sent.append(message.key)

    racing = _Racing()
    report = deliver_due(uow=uow, ports=Ports(email=racing, sms=racing, portal=racing), at=T0 + SECOND)
    assert report.sent == 1
    assert racing.sent == ["first"]
    assert other_port.sent == ["second"]
    assert _row(db, "second").attempts == 1


def test_delivery_refuses_to_run_inside_a_transaction(db: Engine) -> None:
    uow = UnitOfWork(db)
    with uow, pytest.raises(RuntimeError, match="outside any open transaction"):
        deliver_due(uow=uow, ports=recording_ports(), at=T0)


# Requeue and listing.


def test_requeue_brings_a_dead_message_back(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    failing = Ports(email=RecordingPort(fail_times=1), sms=RecordingPort(), portal=RecordingPort())
    deliver_due(uow=uow, ports=failing, at=T0, max_attempts=1)
    message_id = _row(db, "k").id
    fixed_at = T0 + dt.timedelta(days=1)
    requeue(uow=uow, message_id=message_id, at=fixed_at)
    row = _row(db, "k")
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, fixed_at)
    assert row.last_error == "simulated failure 1 of 1"
    assert deliver_due(uow=uow, ports=recording_ports(), at=fixed_at).sent == 1
    with pytest.raises(Conflict) as error:
        requeue(uow=uow, message_id=message_id, at=fixed_at)
    assert (error.value.field, error.value.code) == ("message_id", "outbox.not_dead")
    assert _row(db, "k").status == "sent"


def test_requeue_of_a_pending_or_unknown_message_is_refused(db: Engine) -> None:
    uow = UnitOfWork(db)
    _enqueue(uow, "k")
    with pytest.raises(Conflict, match="is pending, not dead") as error:
        requeue(uow=uow, message_id=_row(db, "k").id, at=T0)
    assert error.value.field == "message_id"
    with pytest.raises(NotFound) as missing:
        requeue(uow=uow, message_id=999_999, at=T0)
    assert missing.value.field == "message_id"


def test_messages_newest_first_and_filtered(db: Engine) -> None:
    uow = UnitOfWork(db)
    dossier_id = _dossier(uow)
    _enqueue(uow, "d:email", at=T0, dossier_id=dossier_id)
    _enqueue(uow, "d:sms", at=T0 + SECOND, dossier_id=dossier_id, channel=OutboxChannel.SMS, recipient="0912345678")
    _enqueue(uow, "other", at=T0 + 2 * SECOND)
    deliver_due(uow=uow, ports=recording_ports(), at=T0, limit=1)
    assert [m.key for m in messages(uow=uow)] == ["other", "d:sms", "d:email"]
    assert [m.key for m in messages(uow=uow, dossier_id=dossier_id)] == ["d:sms", "d:email"]
    assert [m.key for m in messages(uow=uow, channel=OutboxChannel.SMS)] == ["d:sms"]
    sent = messages(uow=uow, status=OutboxStatus.SENT)
    assert [m.key for m in sent] == ["d:email"]
    assert sent[0].channel is OutboxChannel.EMAIL and sent[0].status is OutboxStatus.SENT
    assert sent[0].sent_at == T0 and sent[0].dossier_id == dossier_id
    assert [m.key for m in messages(uow=uow, limit=1)] == ["other"]


# Ports.


@dataclass
class _Received:
    path: str
    headers: Message
    body: bytes


@dataclass
class _Server:
    url: str
    status: int = 200
    received: list[_Received] = field(default_factory=list)


@pytest.fixture
def http_server() -> Iterator[_Server]:
    """A local HTTP server on 127.0.0.1 that answers ``status`` and keeps what it was sent."""
    state = _Server(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.received.append(_Received(self.path, self.headers, self.rfile.read(length)))
            self.send_response(state.status)
            if state.status in {301, 302, 307}:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "7")
            self.end_headers()
            self.wfile.write(b"answer.")

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def _message(channel: OutboxChannel, recipient: str, body: str) -> OutboxMessagePublic:
    return OutboxMessagePublic(id=1, key="dossier:1:2:x", channel=channel, recipient=recipient,
                               subject="Hồ sơ 001: đã tiếp nhận", body=body, dossier_id=1,
                               status=OutboxStatus.PENDING, attempts=0, created_at=T0, next_attempt_at=T0,
                               sent_at=None, last_error=None)


def test_sms_port_posts_to_and_text(http_server: _Server) -> None:
    port = HttpSmsPort(url=f"{http_server.url}/sms", api_key="sms-key")
    port.send(_message(OutboxChannel.SMS, "0912345678", "Hồ sơ đã tiếp nhận."))
    [request] = http_server.received
    assert request.path == "/sms"
    assert request.headers["X-Api-Key"] == "sms-key"
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.body) == {"to": "0912345678", "text": "Hồ sơ đã tiếp nhận."}


def test_sms_port_fails_on_a_server_error(http_server: _Server) -> None:
    http_server.status = 500
    with pytest.raises(DeliveryFailed, match=r"HTTP 500 answer\."):
        HttpSmsPort(url=f"{http_server.url}/sms").send(_message(OutboxChannel.SMS, "0912345678", "x"))


PAYLOAD = json.dumps({"portal_dossier_id": "G22.99-260302-0001", "receipt_code": "R1", "status": "received",
                      "status_at": T0.isoformat(), "due_on": "2026-03-12", "note": None})


def test_portal_port_posts_the_body_to_the_recipient_url(http_server: _Server) -> None:
    port = PortalCallbackPort(url=f"{http_server.url}/callbacks", api_key="portal-key")
    port.send(_message(OutboxChannel.PORTAL, f"{http_server.url}/callbacks/dossiers", PAYLOAD))
    [request] = http_server.received
    assert request.path == "/callbacks/dossiers"
    assert request.headers["X-Api-Key"] == "portal-key"
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.body)["portal_dossier_id"] == "G22.99-260302-0001"


def test_portal_port_fails_on_error_redirect_or_a_foreign_url(http_server: _Server) -> None:
    port = PortalCallbackPort(url=f"{http_server.url}/callbacks", api_key="portal-key")
    http_server.status = 500
    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        port.send(_message(OutboxChannel.PORTAL, f"{http_server.url}/callbacks", PAYLOAD))
    http_server.status = 302
    with pytest.raises(DeliveryFailed, match="HTTP 302"):
        port.send(_message(OutboxChannel.PORTAL, f"{http_server.url}/callbacks", PAYLOAD))
    for foreign in (f"{http_server.url}/callbacks-evil", "http://attacker.example/callbacks"):
        with pytest.raises(DeliveryFailed, match="not under the configured portal URL"):
            port.send(_message(OutboxChannel.PORTAL, foreign, PAYLOAD))
    assert len(http_server.received) == 2


def test_an_unreachable_gateway_is_a_failed_delivery() -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/sms"
    closed.server_close()
    with pytest.raises(DeliveryFailed, match=r"POST http://127\.0\.0\.1"):
        HttpSmsPort(url=url, timeout=5).send(_message(OutboxChannel.SMS, "0912345678", "x"))


def test_ports_refuse_a_url_that_is_not_http() -> None:
    with pytest.raises(ValueError, match="not an http"):
        HttpSmsPort(url="file:///etc/passwd")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    """A minimal SMTP server on 127.0.0.1 that accepts every message and keeps its data."""
    received: list[bytes] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 stub\r\n")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    self.wfile.write(b"354 go on\r\n")
                    data = b"".join(iter(self.rfile.readline, b".\r\n"))
                    received.append(data)
                    self.wfile.write(b"250 queued\r\n")
                elif verb == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()
    thread.join()


def test_smtp_port_sends_vietnamese_text(smtp_server: tuple[int, list[bytes]]) -> None:
    port_number, received = smtp_server
    port = SmtpEmailPort(host="127.0.0.1", port=port_number, sender="no-reply@ansinh.local", starttls=False)
    port.send(_message(OutboxChannel.EMAIL, "an@example.vn", "Hồ sơ của bạn đã được tiếp nhận."))
    [data] = received
    sent = email.message_from_bytes(data, policy=email.policy.default)
    assert sent["To"] == "an@example.vn" and sent["From"] == "no-reply@ansinh.local"
    assert sent["Subject"] == "Hồ sơ 001: đã tiếp nhận"
    assert sent.get_content().strip() == "Hồ sơ của bạn đã được tiếp nhận."


def test_smtp_port_fails_when_the_relay_is_down() -> None:
    closed = socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
    port_number = closed.server_address[1]
    closed.server_close()
    port = SmtpEmailPort(host="127.0.0.1", port=port_number, sender="a@b.vn", starttls=False, timeout=5)
    with pytest.raises(DeliveryFailed, match=r"SMTP 127\.0\.0\.1"):
        port.send(_message(OutboxChannel.EMAIL, "an@example.vn", "x"))


def test_configured_ports_record_unless_a_channel_is_set() -> None:
    demo = configured_ports(Settings(_env_file=None))
    assert all(isinstance(port, RecordingPort) for port in (demo.email, demo.sms, demo.portal))
    assert demo.email is not demo.sms
    production = configured_ports(Settings(
        _env_file=None, smtp_host="smtp.vss.gov.vn", sms_gateway_url="https://sms.example.vn/send",
        portal_callback_url="https://dichvucong.gov.vn/callbacks", portal_api_key="k"))
    assert isinstance(production.for_channel(OutboxChannel.EMAIL), SmtpEmailPort)
    assert isinstance(production.for_channel(OutboxChannel.SMS), HttpSmsPort)
    portal = production.for_channel("portal")
    assert isinstance(portal, PortalCallbackPort) and portal.api_key == "k"


def test_the_module_names_its_backoff_schedule() -> None:
    assert outbox.backoff_after(1) == dt.timedelta(minutes=1)
    assert outbox.backoff_after(5) == dt.timedelta(hours=12)
    assert outbox.backoff_after(9) == dt.timedelta(hours=12)
