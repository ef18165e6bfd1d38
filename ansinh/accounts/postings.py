"""Staff postings over dates: who holds which role at which office.

The organisation's restructuring moves postings to successor offices through
:func:`move_postings`; nothing else outside this area touches the ``posting`` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select

from ansinh.accounts.models import Posting
from ansinh.db.uow import UnitOfWork


@dataclass(frozen=True)
class PostingMove:
    """One posting closed at ``from_office_id`` and reopened at ``to_office_id``."""

    account_id: int
    role: str
    from_office_id: int
    to_office_id: int


def postings_in_force(*, uow: UnitOfWork, office_ids: set[int], on: dt.date) -> list[Posting]:
    """The postings at ``office_ids`` valid on ``on`` (rows of the caller's open unit of work)."""
    with uow:
        return list(uow.session.scalars(
            select(Posting).where(Posting.office_id.in_(office_ids), Posting.valid_from <= on,
                                  or_(Posting.valid_to.is_(None), Posting.valid_to >= on))
            .order_by(Posting.id)))


def move_postings(*, uow: UnitOfWork, moves: Mapping[int, int], effective_on: dt.date,
                  dry_run: bool = False) -> list[PostingMove]:
    """Move every posting in force on ``effective_on`` at an office in ``moves`` to its successor.

    The old posting ends the day before ``effective_on`` and a new one with the same role
    starts that day, so the history says where each officer worked on any date. With
    ``dry_run`` nothing is written and the moves are only listed. Joins the caller's
    transaction; the caller commits.
    """
    with uow:
        moved: list[PostingMove] = []
        for posting in postings_in_force(uow=uow, office_ids=set(moves), on=effective_on):
            target = moves[posting.office_id]
            moved.append(PostingMove(posting.account_id, posting.role, posting.office_id, target))
            if dry_run:
                continue
            if posting.valid_from == effective_on:
                posting.office_id = target
                continue
            ended = posting.valid_to  # a back-dated plan keeps a posting's later end date
            posting.valid_to = effective_on - dt.timedelta(days=1)
            uow.session.add(Posting(account_id=posting.account_id, office_id=target, role=posting.role,
                                    valid_from=effective_on, valid_to=ended))
        uow.session.flush()
        return moved
