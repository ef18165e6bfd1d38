"""Likely duplicates: flagged at registration, decided by an officer, never merged silently.

Listing the flags shows people's records, so it is audited (one ``duplicate.list`` event
per listing); a decision is a ``duplicate.resolve`` event on the flag.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ansinh.audit.service import record_event
from ansinh.core.actor import Actor
from ansinh.core.errors import Conflict, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import service as org
from ansinh.registry import views
from ansinh.registry.models import DuplicateFlag, DuplicateStatus, Person
from ansinh.registry.schemas import DuplicateFlagPublic


def _public(uow: UnitOfWork, flag: DuplicateFlag, first: Person, second: Person) -> DuplicateFlagPublic:
    communes = org.commune_infos(uow=uow, ids={first.residence_commune_id, second.residence_commune_id})
    return DuplicateFlagPublic(
        id=flag.id,
        person=views.person_summary(first, communes[first.residence_commune_id]),
        candidate=views.person_summary(second, communes[second.residence_commune_id]),
        reason=flag.reason,
        status=flag.status,
        raised_on=flag.raised_on,
    )


def list_duplicate_flags(
    *, uow: UnitOfWork, actor: Actor, at: dt.datetime, status: DuplicateStatus | None = DuplicateStatus.OPEN,
    limit: int = 100,
) -> list[DuplicateFlagPublic]:
    """Flags waiting for (or given) an officer's decision, oldest first."""
    with uow:
        first, second = aliased(Person), aliased(Person)
        statement = (
            select(DuplicateFlag, first, second)
            .join(first, DuplicateFlag.person_id == first.id)
            .join(second, DuplicateFlag.candidate_id == second.id)
            .order_by(DuplicateFlag.raised_on, DuplicateFlag.id)
            .limit(limit)
        )
        if status is not None:
            statement = statement.where(DuplicateFlag.status == status)
        result = [_public(uow, f, a, b) for f, a, b in uow.session.execute(statement).all()]
        record_event(uow=uow, actor=actor, action="duplicate.list", record_type="duplicate_flag", record_id="*",
                     at=at, detail={"status": status.value if status else None, "limit": limit,
                                    "found": len(result)})
        uow.commit()
        return result


def resolve_duplicate_flag(
    *, uow: UnitOfWork, flag_id: int, decision: DuplicateStatus, as_of: dt.date, actor: Actor, at: dt.datetime
) -> DuplicateFlagPublic:
    """Record an officer's decision that the pair is, or is not, one person.

    A confirmed duplicate is only recorded: merging two records moves contribution history
    and is a procedure of its own (the "merge SI books" public service).
    """
    with uow:
        if decision == DuplicateStatus.OPEN:
            raise InvalidInput(
                "a decision is confirmed_distinct or confirmed_duplicate", code="duplicate.decision",
                field="decision", rule="an officer decides a flag one way or the other",
            )
        flag = uow.session.get(DuplicateFlag, flag_id)
        if flag is None:
            raise NotFound(f"no duplicate flag {flag_id}", code="duplicate.not_found", field="flag_id")
        if flag.status != DuplicateStatus.OPEN:
            raise Conflict(
                f"flag {flag_id} was already decided ({flag.status})", code="duplicate.decided",
                field="flag_id", rule="a decided flag is not decided again",
            )
        flag.status, flag.resolved_on = decision, as_of
        first = uow.session.get_one(Person, flag.person_id)
        second = uow.session.get_one(Person, flag.candidate_id)
        result = _public(uow, flag, first, second)
        record_event(uow=uow, actor=actor, action="duplicate.resolve", record_type="duplicate_flag",
                     record_id=flag.id, at=at,
                     detail={"decision": decision.value, "person_id": first.id, "candidate_id": second.id})
        uow.commit()
        return result
