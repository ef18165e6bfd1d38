"""The unit of work: each service call is one transaction.

Services open it with ``with uow:`` and call :meth:`UnitOfWork.commit` when their change is
complete; leaving the block without committing rolls back, so an exception never leaves
half a change written. It is re-entrant: a service that calls another area's service with
the same unit of work shares its transaction, and only the outermost block commits or
rolls back (an inner ``commit()`` is deferred to it).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class UnitOfWork:
    """One transaction over one session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._session: Session | None = None
        self._depth = 0
        self._commit_requested = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use it in a with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self._session = self._factory()
            self._commit_requested = False
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        try:
            if exc_type is None and self._commit_requested:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        """Commit now when outermost; inside another service, when the outermost block ends."""
        if self._depth <= 1:
            self.session.commit()
            self._commit_requested = False
        else:
            self._commit_requested = True

    def rollback(self) -> None:
        self.session.rollback()
        self._commit_requested = False
