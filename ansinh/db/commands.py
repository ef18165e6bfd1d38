"""``ansinh db``: build and inspect the schema."""

from __future__ import annotations

import typer

from ansinh.cli_support import console
from ansinh.core.settings import get_settings
from ansinh.db import migrate

app = typer.Typer(help="Database schema: migrate and inspect.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply the migration chain (SQLite or PostgreSQL, from ANSINH_DATABASE_URL)."""
    url = get_settings().database_url
    migrate.upgrade(url, revision)
    console.print(f"Schema at [bold]{migrate.current_revision(url)}[/bold] on {_safe(url)}")


@app.command()
def current() -> None:
    """Show the revision the database is at."""
    url = get_settings().database_url
    console.print(migrate.current_revision(url) or "(empty database)")


def _safe(url: str) -> str:
    """The URL without its password, fit to print."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
