"""``ansinh demo`` (the README's first command) builds a country that every page has something to show for."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.collection.arrears_models import InterestCharge, Reminder
from ansinh.collection.declaration_models import Declaration
from ansinh.collection.models import AssessmentAdjustment, AssessmentRun
from ansinh.collection.payment_models import Allocation, BankTransaction
from ansinh.collection.risk import risk_list
from ansinh.collection.si_book import si_book
from ansinh.core.actor import SYSTEM
from ansinh.db.engine import make_engine
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.service import trial_balance
from ansinh.services.models import Dossier, OutboxMessage

DAY = dt.date(2026, 11, 24)
"""A fixed day, so that the cycle's months, draws and deadlines are the same on every run."""


def test_the_demo_runs_the_contribution_cycle_and_its_books_balance(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--people", "1500", "--no-serve", "--database", str(database),
                                      "--as-of", DAY.isoformat()])
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
            runs = session.scalars(select(AssessmentRun).order_by(AssessmentRun.month)).all()
            assert [r.status for r in runs] == ["completed"] * 4  # three months of the cycle and this one
            first, month = runs[0].month, runs[-1].month
            # Declared (a file with a rejected line, a back-dated raise re-assessed), paid and reconciled:
            declarations = session.scalars(select(Declaration).order_by(Declaration.id)).all()
            assert declarations[0].lines_rejected == 1 and declarations[0].lines_accepted >= 1
            assert (session.scalar(select(func.count()).select_from(AssessmentAdjustment)) or 0) > 0
            statuses = dict(session.execute(select(BankTransaction.status, func.count())
                                            .group_by(BankTransaction.status)).all())
            assert statuses["matched"] > 0 and statuses["unmatched"] >= 1
            assert (session.scalar(select(func.sum(Allocation.amount))) or 0) > 0
            assert (session.scalar(select(func.sum(InterestCharge.amount))) or 0) > 0
            assert (session.scalar(select(func.count()).select_from(Reminder)) or 0) > 0
        # Credited to people's records: the demo citizen's months with the demo employer are.
        citizen = next(re.search(r"\b\d{12}\b", line).group() for line in result.output.splitlines()  # type: ignore[union-attr]
                       if " citizen " in line)
        book = si_book(uow=UnitOfWork(engine), person_key=citizen, actor=SYSTEM,
                       at=dt.datetime.combine(DAY, dt.time(9), tzinfo=dt.UTC))
        assert book.months_credited > 0
        # Late employers accrue interest and lead the risk list.
        top = risk_list(uow=UnitOfWork(engine), as_of=DAY, limit=3).rows
        assert top[0].status in {"late", "evasion"} and top[0].score > 0
        end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        books = trial_balance(uow=UnitOfWork(engine), start=first, end=end)
        assert books.balanced and books.unbalanced_funds == []
        assert books.total_debits == books.total_credits > 0  # the months' dues and payments are on the books
    finally:
        engine.dispose()
