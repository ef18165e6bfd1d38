"""Configuration by environment, so one build runs as a demo or in production.

Every setting can be given as an ``ANSINH_*`` environment variable (or in a ``.env``
file); nothing else in the code reads the environment.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """The process-wide settings."""

    model_config = SettingsConfigDict(env_prefix="ANSINH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./ansinh.db"
    """SQLAlchemy URL. SQLite is the embedded default; PostgreSQL (psycopg 3) is production."""

    default_locale: str = "vi"
    """Language of the pages when the user has not chosen one."""

    sql_echo: bool = False

    cookie_secure: bool = True
    """Send the session cookie over HTTPS only. The demo on plain http://localhost turns it off."""

    session_hours: int = 8
    """How long a web session or bearer token lasts."""

    signin_max_failures: int = 5
    """Failed sign-ins in a row before the account is locked."""

    signin_lock_minutes: int = 15
    """How long a locked account stays locked."""

    oidc_issuer: str | None = None
    """The national e-identity OpenID Connect issuer; unset, citizens sign in locally (demo)."""

    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None

    state_key: str | None = None
    """Signs the short-lived OpenID Connect state cookie; unset, a random key per process
    (sign-ins in flight are lost on restart, nothing else)."""

    smtp_host: str | None = None
    """The mail relay e-mails to applicants go through; unset, e-mails are only recorded (demo)."""

    smtp_port: int = 587
    smtp_sender: str = "no-reply@ansinh.local"
    """The From address of e-mails to applicants."""

    smtp_starttls: bool = True
    """Upgrade the relay connection to TLS before sending (the relay must offer STARTTLS)."""

    smtp_username: str | None = None
    smtp_password: str | None = None

    sms_gateway_url: str | None = None
    """The SMS gateway's HTTP endpoint (JSON ``{"to", "text"}``); unset, SMS are only recorded."""

    sms_api_key: str | None = None

    portal_callback_url: str | None = None
    """Where status callbacks to the National Public Service Portal go; a callback URL a
    message names must lie under it. Unset, callbacks are only recorded."""

    portal_api_key: str | None = None
    """The key ansinh presents to the portal (``X-Api-Key``) on its callbacks."""

    outbox_interval_seconds: float = 0.0
    """How often the web app sends the outbox itself; 0 (the default) leaves it to
    ``ansinh outbox deliver`` run from a timer. The demo sends every few seconds."""

    outbox_max_attempts: int = 6
    """Attempts at sending a message before it is given up as dead (docs/outbox.md)."""

    upload_max_bytes: int = 10 * 1024 * 1024
    """The largest document file accepted with a dossier."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read once from the environment."""
    return Settings()
