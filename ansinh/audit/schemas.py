"""What the audit log's verbs return."""

from __future__ import annotations

from pydantic import BaseModel


class AuditEventPublic(BaseModel):
    """One event as read back; ``occurred_at`` is ISO text in UTC, as the digest covers it."""

    seq: int
    occurred_at: str
    actor: str
    role: str | None
    office_code: str | None
    action: str
    record_type: str
    record_id: str
    reason: str | None
    detail: dict[str, object]
    digest: str


class ChainHead(BaseModel):
    """The chain's last position: what an operator publishes to anchor it."""

    seq: int
    digest: str

    def anchor(self) -> str:
        """``seq:digest``, the form ``ansinh audit verify --anchor`` takes back."""
        return f"{self.seq}:{self.digest}"


class Verification(BaseModel):
    """The outcome of walking the chain."""

    ok: bool
    checked: int
    """Events found sound, from the first, before any problem."""
    first_bad_seq: int | None
    problem: str | None
