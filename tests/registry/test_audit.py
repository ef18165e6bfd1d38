"""Every registry change, and every showing of a person's record, leaves one audit event.

The event names who acted (username, role, office), what they did, to which record and
when; a refused request leaves none, because it is rolled back with the change.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from ansinh.audit import service as audit
from ansinh.audit.actors import cli_actor
from ansinh.audit.schemas import AuditEventPublic
from ansinh.cli import app
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.registry import deaths, duplicates, service
from ansinh.registry.models import DuplicateStatus
from ansinh.registry.schemas import DeathNoticeIn, EmployerPublic, ParticipationCreate, PersonUpdate
from tests.registry.conftest import AS_OF, AT, BY, HOAN_KIEM, AddToRegister, employer_input, person_input


def log(uow: UnitOfWork) -> list[AuditEventPublic]:
    """The whole audit log, oldest first."""
    return list(reversed(audit.events(uow=uow, limit=audit.MAX_LIST)))


def actions(uow: UnitOfWork) -> list[str]:
    return [e.action for e in log(uow)]


def period(**overrides: object) -> ParticipationCreate:
    data: dict[str, object] = {"employer_unit_code": "0100233488", "scheme": "compulsory",
                               "hi_group_code": "DN", "start_month": "2024-01", "monthly_salary": 6_000_000}
    data.update(overrides)
    return ParticipationCreate.model_validate(data)


def test_registration_is_an_event_naming_the_officer(uow: UnitOfWork, add_to_register: AddToRegister) -> None:
    add_to_register()
    result = service.register_person(uow=uow, data=person_input(), as_of=AS_OF, **BY)
    [event] = log(uow)
    assert (event.seq, event.action, event.record_type) == (1, "person.register", "person")
    assert (event.actor, event.role, event.office_code) == ("lan.nguyen", "officer", "HN-HK")
    assert event.occurred_at == "2026-11-23T09:30:00.000000Z"
    assert event.detail == {"household_code": None, "duplicate_flags": []}
    # the record is the person's row, found again by the citizen ID registered
    assert service.get_person(uow=uow, key=result.person.citizen_id, **BY).citizen_id == "001085012345"
    assert log(uow)[1].record_id == event.record_id
    assert audit.verify(uow=uow).ok


def test_refused_requests_leave_no_event(
    uow: UnitOfWork, add_to_register: AddToRegister, employer: EmployerPublic,
) -> None:
    add_to_register()
    before = actions(uow)
    with pytest.raises(InvalidInput):
        service.register_person(uow=uow, data=person_input(citizen_id="00108501234"), as_of=AS_OF, **BY)
    with pytest.raises(Conflict):
        service.register_employer(uow=uow, data=employer_input(), as_of=AS_OF, **BY)
    citizen_id = service.register_person(uow=uow, data=person_input(), as_of=AS_OF, **BY).person.citizen_id
    with pytest.raises(InvalidInput):
        service.add_participation(uow=uow, key=citizen_id, data=period(monthly_salary=1), as_of=AS_OF, **BY)
    assert actions(uow) == [*before, "person.register"]
    assert audit.verify(uow=uow).ok


def test_each_verb_writes_its_event(uow: UnitOfWork, person: str, employer: EmployerPublic) -> None:
    service.add_participation(uow=uow, key=person, data=period(), as_of=AS_OF, **BY)
    service.update_person(uow=uow, key=person, data=PersonUpdate(full_name="nguyen van an"), as_of=AS_OF, **BY)
    service.update_person(uow=uow, key=person, data=PersonUpdate(residence_commune_code="00004"),
                          as_of=AS_OF, **BY)
    service.person_file(uow=uow, key=person, as_of=AS_OF, **BY)
    service.list_participations(uow=uow, key=person, as_of=AS_OF, **BY)
    service.find_people(uow=uow, query="nguyen", limit=20, **BY)
    deaths.receive_death_notice(uow=uow, data=DeathNoticeIn(citizen_id=person, death_date=dt.date(2026, 9, 15)),
                                as_of=AS_OF, **BY)
    events = log(uow)
    assert [e.action for e in events] == [  # the fixtures register the person, then the employer
        "person.register", "employer.register", "participation.add", "person.update", "person.update",
        "person.read", "person.read", "person.search", "person.death",
    ]
    person_id = events[0].record_id
    assert all(e.record_id == person_id for e in [events[0], *events[2:7], events[8]])
    assert events[1].record_type == "employer"
    assert events[1].detail == {"unit_code": employer.unit_code, "tax_code": "0100233488"}
    assert events[2].detail["monthly_salary"] == 6_000_000
    assert events[3].detail == {"changed": {}}  # the name as the register writes it: nothing changed
    [(old, new)] = events[4].detail["changed"].values()  # type: ignore[attr-defined]
    assert list(events[4].detail["changed"]) == ["residence_commune_id"]  # type: ignore[call-overload]
    assert old != new
    assert events[5].detail == {"view": "file", "as_of": "2026-11-23"}
    assert (events[7].record_id, events[7].detail) == ("*", {"query": "nguyen", "limit": 20, "found": 1})
    assert events[8].detail == {"death_date": "2026-09-15", "periods_closed": 1}
    assert audit.verify(uow=uow).checked == 9


def test_a_death_notice_received_twice_is_one_event(uow: UnitOfWork, person: str) -> None:
    notice = DeathNoticeIn(citizen_id=person, death_date=dt.date(2026, 9, 15))
    deaths.receive_death_notice(uow=uow, data=notice, as_of=AS_OF, **BY)
    assert deaths.receive_death_notice(uow=uow, data=notice, as_of=AS_OF, **BY).already_received
    assert actions(uow).count("person.death") == 1


def test_a_death_of_someone_not_registered_is_recorded_on_the_population_record(
    uow: UnitOfWork, add_to_register: AddToRegister,
) -> None:
    add_to_register(citizen_id="001085099999")
    deaths.receive_death_notice(uow=uow, data=DeathNoticeIn(citizen_id="001085099999", death_date=AS_OF),
                                as_of=AS_OF, **BY)
    [event] = log(uow)
    assert (event.action, event.record_type, event.record_id) == ("person.death", "population_record", "001085099999")


def test_duplicate_flags_listed_and_decided(uow: UnitOfWork, person: str, add_to_register: AddToRegister) -> None:
    add_to_register(citizen_id="001085099999")
    service.register_person(uow=uow, data=person_input(citizen_id="001085099999", si_number=None),
                            as_of=AS_OF, **BY)
    [flag] = duplicates.list_duplicate_flags(uow=uow, **BY)
    duplicates.resolve_duplicate_flag(uow=uow, flag_id=flag.id, decision=DuplicateStatus.CONFIRMED_DISTINCT,
                                      as_of=AS_OF, **BY)
    events = log(uow)
    assert [e.action for e in events] == ["person.register", "person.register", "duplicate.list", "duplicate.resolve"]
    assert events[1].detail["duplicate_flags"] == [flag.id]
    assert events[2].detail == {"status": "open", "limit": 100, "found": 1}
    assert (events[3].record_type, events[3].record_id) == ("duplicate_flag", str(flag.id))
    assert events[3].detail["decision"] == "confirmed_distinct"


def test_an_unknown_person_is_not_shown_and_leaves_no_event(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput):
        service.get_person(uow=uow, key="abc", **BY)
    assert log(uow) == []


def test_the_command_line_acts_as_the_login_running_it(cli_env: Engine, add_to_register: AddToRegister) -> None:
    add_to_register()
    runner = CliRunner()
    register = runner.invoke(app, ["people", "register", "--citizen-id", "001085012345", "--name", "Nguyễn Văn An",
                                   "--birth-date", "1985-03-02", "--sex", "male", "--commune", HOAN_KIEM,
                                   "--as-of", AS_OF.isoformat()])
    assert register.exit_code == 0, register.output
    assert runner.invoke(app, ["people", "show", "001085012345"]).exit_code == 0
    assert runner.invoke(app, ["people", "search", "nguyen"]).exit_code == 0
    events = log(UnitOfWork(cli_env))
    assert [e.action for e in events] == ["person.register", "person.read", "person.search"]
    assert {(e.actor, e.role) for e in events} == {(cli_actor().username, "system")}
    assert cli_actor().username.startswith("cli:")
    moment = dt.datetime.fromisoformat(events[0].occurred_at)
    assert moment.tzinfo is not None
    assert moment > AT - dt.timedelta(days=3650)  # the clock's time, not the --as-of day
