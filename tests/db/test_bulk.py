"""Bulk writing of frames: values round-trip, ids and sequences, foreign keys still checked."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from ansinh.db import bulk
from ansinh.db.uow import UnitOfWork
from ansinh.registry.models import Household, Participation, PopulationRecord


def records() -> pl.DataFrame:
    return pl.DataFrame({
        "citizen_id": ["001085012345", "079203012345"],
        "full_name": ["Nguyễn Thị Đào, \"Hà\"", "Trần Văn Ánh"],
        "birth_date": [dt.date(1985, 3, 2), dt.date(2003, 12, 31)],
        "sex": ["female", "male"],
        "residence_commune_code": ["00070", ""],
        "death_date": [None, dt.date(2025, 1, 2)],
    })


def test_a_frame_round_trips(db: Engine) -> None:
    with db.begin() as connection:
        assert bulk.write_frame(connection, "population_record", records()) == 2
        assert bulk.write_frame(connection, "population_record", records().clear()) == 0
    with UnitOfWork(db) as uow:
        rows = uow.session.execute(select(
            PopulationRecord.citizen_id, PopulationRecord.full_name, PopulationRecord.birth_date,
            PopulationRecord.sex, PopulationRecord.residence_commune_code, PopulationRecord.death_date,
        ).order_by(PopulationRecord.citizen_id)).all()
    assert [tuple(r) for r in rows] == list(records().iter_rows())


def test_explicit_ids_move_the_sequence(db: Engine) -> None:
    with UnitOfWork(db) as uow:
        commune = uow.session.execute(select(PopulationRecord.citizen_id)).first()
        commune_id = _commune_id(uow)
    assert commune is None
    frame = pl.DataFrame({"id": [5, 6], "code": ["H5", "H6"], "address_commune_id": [commune_id, commune_id]})
    with db.begin() as connection:
        bulk.write_frame(connection, "household", frame)
        bulk.reset_sequence(connection, "household")
        assert bulk.max_id(connection, "household") == 6
    with UnitOfWork(db) as uow:
        household = Household(code="H-next", address_commune_id=commune_id)
        uow.session.add(household)
        uow.commit()
    assert household.id == 7


def _commune_id(uow: UnitOfWork) -> int:
    from ansinh.org.models import AdminUnit

    return uow.session.scalars(select(AdminUnit.id).where(AdminUnit.level == "commune").limit(1)).one()


def test_foreign_keys_are_still_checked(db: Engine) -> None:
    periods = pl.DataFrame({
        "id": [1], "person_id": [424242], "employer_id": [None], "scheme": ["hi_only"], "hi_group_code": ["GD"],
        "start_month": [dt.date(2026, 1, 1)], "end_month": [None], "monthly_salary": [0],
    }, schema_overrides={"employer_id": pl.Int64})
    with pytest.raises(IntegrityError), db.begin() as connection, bulk.foreign_keys_checked_at_end(
        connection, ["participation"]
    ):
        bulk.write_frame(connection, "participation", periods)
    with UnitOfWork(db) as uow:
        assert uow.session.scalars(select(Participation)).all() == []
