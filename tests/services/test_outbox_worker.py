"""The web app sends its own outbox when the settings ask it to."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ansinh.api.app import create_app
from ansinh.core import clock
from ansinh.core.settings import get_settings
from ansinh.db.uow import UnitOfWork
from ansinh.services import outbox
from ansinh.services.models import OutboxChannel, OutboxMessage, OutboxStatus
from ansinh.services.outbox_worker import OutboxWorker

PATIENCE = 20.0
"""Seconds to wait for the worker's thread: a bound on a wait, not a measurement."""


@pytest.fixture
def sending(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ANSINH_OUTBOX_INTERVAL_SECONDS", "0.05")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _message(db: Engine) -> None:
    with UnitOfWork(db) as uow:
        outbox.enqueue(uow=uow, key="test:worker", channel=OutboxChannel.SMS, recipient="0912345678",
                       subject="Hồ sơ", body="Hồ sơ đã tiếp nhận.", dossier_id=None, at=clock.now())
        uow.commit()


def _status(db: Engine) -> str:
    with UnitOfWork(db) as uow:
        return str(uow.session.scalar(select(OutboxMessage.status).where(OutboxMessage.key == "test:worker")))


def test_the_app_sends_due_messages_while_it_runs(db: Engine, sending: None) -> None:
    _message(db)
    with TestClient(create_app(db)):  # the lifespan starts the worker and stops it on exit
        waited = 0.0
        while _status(db) != OutboxStatus.SENT and waited < PATIENCE:
            time.sleep(0.05)
            waited += 0.05
    assert _status(db) == OutboxStatus.SENT


def test_without_an_interval_the_app_leaves_the_outbox_to_the_command(db: Engine) -> None:
    _message(db)
    with TestClient(create_app(db)) as client:
        assert client.get("/api/v1/procedures").status_code == 200
    assert _status(db) == OutboxStatus.PENDING


def test_a_worker_needs_an_interval(db: Engine) -> None:
    with pytest.raises(ValueError, match="interval"):
        OutboxWorker(db, 0)
