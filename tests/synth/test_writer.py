"""Loading the synthetic country into the database, and ``ansinh synth`` at the command line."""

from __future__ import annotations

import pytest
import typer
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased
from typer.testing import CliRunner

from ansinh.audit import service as audit
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.org.models import AdminUnit
from ansinh.registry import models
from ansinh.synth.commands import command
from ansinh.synth.writer import Summary, synthesise
from tests.synth.conftest import AS_OF


def count(engine: Engine, model: type) -> int:
    with UnitOfWork(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def stored(engine: Engine) -> dict[str, int]:
    return {
        "people": count(engine, models.PopulationRecord),
        "registered": count(engine, models.Person),
        "households": count(engine, models.Household),
        "employers": count(engine, models.Employer),
        "participation_periods": count(engine, models.Participation),
        "deaths": count(engine, models.DeathNotice),
    }


def expected(summary: Summary) -> dict[str, int]:
    return {name: getattr(summary, name) for name in
            ("people", "registered", "households", "employers", "participation_periods", "deaths")}


def test_synthesise_writes_what_it_generated(db: Engine) -> None:
    summary = synthesise(engine=db, people=2_000, seed=5, as_of=AS_OF)
    assert summary.people == 2_000
    assert stored(db) == expected(summary)
    with UnitOfWork(db) as uow:
        pensioners = uow.session.scalar(
            select(func.count()).select_from(models.Participation).where(
                models.Participation.hi_group_code == "HT", models.Participation.end_month.is_(None)
            )
        )
        person = uow.session.scalars(select(models.Person).order_by(models.Person.id).limit(1)).one()
        record = uow.session.get(models.PopulationRecord, person.citizen_id)
        assert record is not None
        assert (record.full_name, record.birth_date, record.sex) == (person.full_name, person.birth_date, person.sex)
    assert pensioners == summary.pensioners


def test_a_load_is_one_audit_event_by_the_system(db: Engine) -> None:
    """2 000 people and their histories: one event with the rows written, not one per row."""
    summary = synthesise(engine=db, people=2_000, seed=5, as_of=AS_OF)
    [event] = audit.events(uow=UnitOfWork(db))
    assert (event.actor, event.role, event.action, event.record_type) == (
        "system", "system", "registry.bulk_load", "registry")
    assert event.detail["written"] == {  # type: ignore[comparison-overlap]
        "population_record": summary.people, "household": summary.households, "person": summary.registered,
        "employer": summary.employers, "participation": summary.participation_periods,
        "death_notice": summary.deaths,
    }
    assert event.occurred_at == "2026-11-22T17:00:00.000000Z"  # the start of AS_OF in Vietnam (UTC+7)
    assert audit.verify(uow=UnitOfWork(db)).ok


def test_a_refused_load_leaves_no_event(db: Engine) -> None:
    synthesise(engine=db, people=300, seed=1, as_of=AS_OF)
    with pytest.raises(Conflict):
        synthesise(engine=db, people=300, seed=2, as_of=AS_OF)
    assert [e.detail["replace"] for e in audit.events(uow=UnitOfWork(db))] == [False]


def test_one_province_only(db: Engine) -> None:
    """A provincial office's demo: everyone lives and works in the provinces asked for."""
    synthesise(engine=db, people=1_500, seed=3, as_of=AS_OF, provinces=["79"])
    commune = aliased(AdminUnit)
    province = aliased(AdminUnit)
    with UnitOfWork(db) as uow:
        def provinces_of(column: object) -> set[str]:
            return set(uow.session.scalars(
                select(province.code).distinct()
                .join(commune, commune.parent_id == province.id)
                .where(commune.id.in_(select(column)))  # type: ignore[arg-type]
            ))
        assert provinces_of(models.Person.residence_commune_id) == {"79"}
        assert provinces_of(models.Employer.address_commune_id) == {"79"}
        birth_codes = set(uow.session.scalars(select(models.Person.birth_province_code).distinct()))
    assert {"074", "077", "079"} <= birth_codes  # HCMC was merged from three old provinces


def test_an_unknown_province_is_refused_before_anything_is_written(db: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        synthesise(engine=db, people=100, seed=3, as_of=AS_OF, provinces=["03"])
    assert caught.value.field == "province"
    assert count(db, models.PopulationRecord) == 0


def test_a_registry_with_people_is_replaced_only_when_asked(db: Engine) -> None:
    synthesise(engine=db, people=300, seed=1, as_of=AS_OF)
    with pytest.raises(Conflict):
        synthesise(engine=db, people=300, seed=2, as_of=AS_OF)
    summary = synthesise(engine=db, people=400, seed=2, as_of=AS_OF, replace=True)
    assert stored(db) == expected(summary)
    with UnitOfWork(db) as uow:
        uow.session.add(models.Household(code="HGD-after-load", address_commune_id=_any_commune(db)))
        uow.commit()
    assert count(db, models.Household) == summary.households + 1


def _any_commune(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        return uow.session.scalars(select(models.Person.residence_commune_id).limit(1)).one()


def test_the_command_line_generates_and_summarises(cli_env: Engine) -> None:
    app = typer.Typer()
    app.command("synth")(command)
    app.command("other")(lambda: None)
    result = CliRunner().invoke(
        app, ["synth", "--people", "500", "--seed", "9", "--as-of", AS_OF.isoformat(), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "participation periods" in result.output
    assert count(cli_env, models.PopulationRecord) == 500
    again = CliRunner().invoke(app, ["synth", "--people", "500", "--as-of", AS_OF.isoformat(), "--no-progress"])
    assert again.exit_code == 1
    assert "registry.bulk.not_empty" in again.output
