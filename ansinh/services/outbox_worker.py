"""Sending the outbox from the running web app: a background thread that delivers what is due.

In production the outbox can be sent by ``ansinh outbox deliver`` from a timer, or by this
worker inside the app (``ANSINH_OUTBOX_INTERVAL_SECONDS`` above 0); both may run at once,
since delivery claims each message before sending it. The demo turns the worker on, so the
messages each step writes show as sent on the messages page a few seconds later (through
the recording ports, nothing leaves the machine).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.services import outbox
from ansinh.services.ports import configured_ports

log = logging.getLogger(__name__)


class OutboxWorker:
    """Delivers due messages every ``interval`` seconds until stopped."""

    def __init__(self, engine: Engine, interval: float) -> None:
        if interval <= 0:
            raise ValueError("the outbox worker needs an interval above 0 seconds")
        self.engine, self.interval = engine, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ansinh-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the loop to end and wait for the round in progress."""
        self._stop.set()
        self._thread.join(timeout=max(self.interval, 5.0) * 2)

    def deliver_once(self) -> outbox.DeliveryReport:
        """One round: every message due now, through the configured ports."""
        return outbox.deliver_due(uow=UnitOfWork(self.engine), ports=configured_ports(get_settings()),
                                  at=clock.now())

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.deliver_once()
                if report.sent or report.retrying or report.dead:
                    log.info("outbox: %d sent, %d to retry, %d given up", report.sent, report.retrying, report.dead)
            except Exception:  # a round that fails is logged and the next one tries again
                log.exception("outbox delivery round failed")
            self._stop.wait(self.interval)
