"""The domain error hierarchy.

Every error carries a stable ``code`` (never reused for another meaning), the offending
``field`` where there is one, and the ``rule`` it broke, so that the API can answer RFC 9457
problem+json and the CLI a clear message without either knowing the cause.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar


@dataclasses.dataclass
class AnsinhError(Exception):
    """Base of every error a service may raise on purpose."""

    message: str
    code: str = "error"
    field: str | None = None
    rule: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Request cannot be processed"

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.message}"


class InvalidInput(AnsinhError):
    """Input breaks a validation rule (a malformed ID, an impossible date, a negative wage)."""

    status = 422
    title = "Invalid input"


class NotFound(AnsinhError):
    """The record asked for does not exist (or is not visible to the caller)."""

    status = 404
    title = "Not found"


class Conflict(AnsinhError):
    """The request contradicts what is already recorded (a duplicate, an overlap)."""

    status = 409
    title = "Conflict with existing records"


class NotAuthenticated(AnsinhError):
    """No valid credential: not signed in, a wrong password, an expired or forged token."""

    status = 401
    title = "Sign-in required"


class Forbidden(AnsinhError):
    """The signed-in role may not do this (a permission, or maker-checker)."""

    status = 403
    title = "Not permitted"


class IdentityMismatch(InvalidInput):
    """The identity given does not match the national population register."""

    title = "Identity does not match the population register"


class ParameterNotInForce(AnsinhError):
    """A legal parameter was asked for on a date when it was not in force."""

    status = 422
    title = "Legal parameter not in force on that date"


class ParameterLoadError(Exception):
    """A parameter file is malformed; raised at start so bad law data never runs."""
