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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read once from the environment."""
    return Settings()
