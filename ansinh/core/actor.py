"""Who acts: the signed-in account, the role it acts as and the office it acts for.

Every service verb that changes state or reads a person's record takes an ``Actor``; the
audit log records it. Jobs that run on their own (the monthly assessment, the demo loader)
act as :data:`SYSTEM`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """An account acting as one role, at one office for staff."""

    username: str
    role: str | None = None
    office_code: str | None = None
    account_id: int | None = None


SYSTEM = Actor(username="system", role="system")
"""The system itself: scheduled runs, loaders and migrations."""
