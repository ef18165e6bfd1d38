"""The signed-in principal: an account acting as one role, at one office for staff."""

from __future__ import annotations

from dataclasses import dataclass

from ansinh.accounts.models import AccountKind
from ansinh.accounts.roles import Permission, Role, permits
from ansinh.core.actor import Actor


@dataclass(frozen=True)
class Principal:
    """Who is asking, as what, and for which office, records or facility."""

    account_id: int
    username: str
    kind: AccountKind
    role: Role
    display_name: str
    office_id: int | None = None
    office_code: str | None = None
    national: bool = False
    person_id: int | None = None
    employer_id: int | None = None
    facility_code: str | None = None
    credential_id: int | None = None

    @property
    def actor(self) -> Actor:
        """The principal as the audit log records it."""
        return Actor(username=self.username, role=self.role.value, office_code=self.office_code,
                     account_id=self.account_id)

    def may(self, permission: Permission) -> bool:
        """Whether the principal's role holds ``permission``."""
        return permits(self.role, permission)
