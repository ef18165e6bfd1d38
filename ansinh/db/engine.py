"""Engines for SQLite (embedded default) and PostgreSQL (production).

SQLite needs foreign keys switched on per connection and WAL journaling to let the web app
read while a batch writes; PostgreSQL needs nothing special.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from ansinh.core.settings import get_settings


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the settings ansinh relies on for that dialect."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (default: the configured database)."""
    settings = get_settings()
    url = url or settings.database_url
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url, echo=settings.sql_echo)
    return _ENGINES[url]


def dispose_engines() -> None:
    """Close every shared engine's connections (when settings change, and at exit)."""
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite (bulk loading differs)."""
    return engine.dialect.name == "sqlite"
