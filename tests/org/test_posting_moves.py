"""Staff postings moved by a restructuring keep their history (a database of the test's own)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from ansinh.accounts.models import Posting
from ansinh.accounts.postings import move_postings
from ansinh.db.uow import UnitOfWork
from ansinh.org import service
from tests.signin import staff


def test_a_back_dated_move_keeps_a_later_end_date(org_engine: Engine) -> None:
    """A posting at Cao Bằng from 2025-07-01 to 2026-06-30, moved to Lạng Sơn from 2026-01-01:
    2025-07-01 .. 2025-12-31 at Cao Bằng, 2026-01-01 .. 2026-06-30 at Lạng Sơn."""
    uow = UnitOfWork(org_engine)
    cao_bang = service.resolve_office(uow=uow, code="P34-04", on=dt.date(2026, 1, 1)).id
    lang_son = service.resolve_office(uow=uow, code="P34-20", on=dt.date(2026, 1, 1)).id
    staff(org_engine, office_code="P34-04", username="officer.cb")
    with uow:
        for posting in uow.session.scalars(select(Posting)):
            posting.valid_to = dt.date(2026, 6, 30)
        uow.commit()
    with uow:
        moved = move_postings(uow=uow, moves={cao_bang: lang_son}, effective_on=dt.date(2026, 1, 1))
        uow.commit()
    assert [(m.from_office_id, m.to_office_id) for m in moved] == [(cao_bang, lang_son)]
    with UnitOfWork(org_engine) as check:
        rows = [(p.office_id, p.valid_from, p.valid_to)
                for p in check.session.scalars(select(Posting).order_by(Posting.valid_from))]
    assert rows == [(cao_bang, dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
                    (lang_son, dt.date(2026, 1, 1), dt.date(2026, 6, 30))]
