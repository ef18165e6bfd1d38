"""Secrets: password hashes, and the random tokens behind sessions, bearer tokens and API keys.

Passwords are hashed with argon2id (argon2-cffi's defaults, which follow RFC 9106). Session
cookies, bearer tokens and API keys are 256-bit random values; only their SHA-256 digest is
stored, so a copy of the database signs no one in. A digest needs no salt or slow hash: the
value it hides is random, not chosen by a person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()

# A hash checked against when the username is unknown, so that a wrong username takes as
# long as a wrong password and the timing does not tell which accounts exist.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _HASHER.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (always checks, even without a hash)."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_secret(prefix: str) -> str:
    """A fresh random secret, readable by its prefix (``ses_``, ``tok_``, ``key_``)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a random secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(left: str, right: str) -> bool:
    """Constant-time comparison of two digests or tokens."""
    return hmac.compare_digest(left.encode(), right.encode())
