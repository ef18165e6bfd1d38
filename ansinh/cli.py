"""The command line: ``ansinh <area> <verb>``. Each area brings its own sub-commands."""

from __future__ import annotations

import typer

from ansinh.accounts.commands import app as accounts_app
from ansinh.audit.commands import app as audit_app
from ansinh.cli_law import app as law_app
from ansinh.collection.arrears_commands import arrears_app, compliance_app
from ansinh.collection.commands import assess_command
from ansinh.collection.declaration_commands import declare_command
from ansinh.collection.payment_commands import payments_app
from ansinh.core.logging import configure_logging
from ansinh.db.commands import app as db_app
from ansinh.demo import demo, serve
from ansinh.ledger.commands import ledger_app
from ansinh.org.commands import app as org_app
from ansinh.quote.commands import quote_command
from ansinh.registry.commands import employers_app, people_app
from ansinh.services.commands import app as procedures_app
from ansinh.services.dossier_commands import app as dossiers_app
from ansinh.services.outbox_commands import outbox_app
from ansinh.synth.commands import command as synth_command

app = typer.Typer(
    help="ansinh: social, health and unemployment insurance administration.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(people_app, name="people")
app.add_typer(employers_app, name="employers")
app.add_typer(org_app, name="org")
app.add_typer(law_app, name="law")
app.add_typer(audit_app, name="audit")
app.add_typer(accounts_app, name="accounts")
app.add_typer(procedures_app, name="procedures")
app.add_typer(dossiers_app, name="dossiers")
app.add_typer(outbox_app, name="outbox")
app.add_typer(ledger_app, name="ledger")
app.add_typer(arrears_app, name="arrears")
app.add_typer(compliance_app, name="compliance")
app.add_typer(payments_app, name="payments")
app.command("synth")(synth_command)
app.command("quote")(quote_command)
app.command("assess")(assess_command)
app.command("declare")(declare_command)
app.command()(serve)
app.command()(demo)


def main() -> None:
    """Entry point of the ``ansinh`` script."""
    configure_logging()
    app()


if __name__ == "__main__":
    main()
