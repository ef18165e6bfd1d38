"""``ansinh demo`` (the README's first command) builds a country that every page has something to show for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.collection.models import AssessmentRun
from ansinh.db.engine import make_engine
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.service import trial_balance
from ansinh.services.models import Dossier, OutboxMessage


def test_the_demo_synthesises_files_dossiers_and_assesses_the_month(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--people", "1500", "--no-serve", "--database", str(database)])
    assert result.exit_code == 0, result.output
    assert "Filed 5 demo dossiers" in result.output
    assert "officer.p34-79" in result.output and "portal.demo" in result.output
    engine = make_engine(f"sqlite:///{database}")
    try:
        with UnitOfWork(engine) as uow:
            session = uow.session
            statuses = dict(session.execute(select(Dossier.status, func.count()).group_by(Dossier.status)).all())
            assert statuses == {"submitted": 1, "delivered": 1, "refused": 1, "in_review": 1,
                                "awaiting_supplement": 1}
            assert (session.scalar(select(func.count()).select_from(OutboxMessage)) or 0) > 0
            run = session.scalar(select(AssessmentRun))
            assert run is not None and run.status == "completed"
            month = run.month
        end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        books = trial_balance(uow=UnitOfWork(engine), start=month, end=end)
        assert books.balanced and books.unbalanced_funds == []
        assert books.total_debits == books.total_credits > 0  # the month's dues are on the books
    finally:
        engine.dispose()
