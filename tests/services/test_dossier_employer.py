"""An employer files for its own workers, and only for them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from ansinh.accounts import service as accounts
from ansinh.accounts.models import AccountKind
from ansinh.core.errors import NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.registry.lookups import employer_by_key
from ansinh.services import dossiers, views
from ansinh.services.models import Dossier
from tests.factories import add_participation, register_employer, register_person
from tests.services.conftest import CITIZEN_ID, Desk, correction, principal, vn
from tests.signin import BY_ADMIN, PASSWORD


@pytest.fixture
def employer_desk(desk: Desk, db: Engine) -> Desk:
    """The desk, with an employer that declared the desk's citizen from 2025-01."""
    employer = register_employer(UnitOfWork(db))
    add_participation(UnitOfWork(db), CITIZEN_ID, start_month="2025-01", end_month=None, monthly_salary=9_000_000,
                      employer_unit_code=employer.unit_code)
    with UnitOfWork(db) as uow:
        employer_id = employer_by_key(uow.session, employer.unit_code).id
    accounts.create_account(uow=UnitOfWork(db), username="anhduong", kind=AccountKind.EMPLOYER,
                            display_name=employer.name, password=PASSWORD, employer_id=employer_id, **BY_ADMIN)
    return desk


def test_an_employer_files_a_correction_for_its_worker(employer_desk: Desk) -> None:
    employer = principal(employer_desk.engine, "anhduong")
    handled = dossiers.submit(uow=employer_desk.uow, principal=employer, data=correction(), at=vn(2026, 3, 2))
    seen = views.get_dossier(uow=employer_desk.uow, principal=employer, dossier_id=handled.id, on=dt.date(2026, 3, 2))
    assert seen.applicant_name == "Công ty TNHH Ánh Dương" and seen.citizen_id == CITIZEN_ID
    # The worker sees the dossier about them too, and it is in both their lists.
    worker = views.get_dossier(uow=employer_desk.uow, principal=employer_desk.citizen, dossier_id=handled.id,
                               on=dt.date(2026, 3, 2))
    assert worker.id == handled.id
    assert [d.id for d in views.own_dossiers(uow=employer_desk.uow, principal=employer, on=dt.date(2026, 3, 2))] == [
        handled.id]
    assert [d.id for d in views.own_dossiers(uow=employer_desk.uow, principal=employer_desk.citizen,
                                             on=dt.date(2026, 3, 2))] == [handled.id]


def test_an_employer_cannot_file_for_someone_it_never_declared(employer_desk: Desk, db: Engine) -> None:
    stranger = register_person(UnitOfWork(db), citizen_id="001085004399", si_number="0123456780",
                               full_name="Lê Văn Bình", birth_date=dt.date(1985, 3, 1), sex="male")
    employer = principal(employer_desk.engine, "anhduong")
    data = correction(citizen_id=stranger.citizen_id,
                      data={"citizen_id": stranger.citizen_id, "field": "full_name", "new_value": "Lê Văn Bình"})
    with pytest.raises(NotFound) as refused:
        dossiers.submit(uow=employer_desk.uow, principal=employer, data=data, at=vn(2026, 3, 2))
    assert refused.value.code == "person.not_found"  # as if unregistered: no probing of who exists
    with UnitOfWork(db) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Dossier)) == 0
