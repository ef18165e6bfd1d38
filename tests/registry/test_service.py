"""Registry verbs on both databases: what is accepted, what is refused and why."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from ansinh.core.errors import Conflict, IdentityMismatch, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.registry import deaths, duplicates, service
from ansinh.registry.models import DuplicateStatus, Participation, Person
from ansinh.registry.schemas import DeathNoticeIn, EmployerPublic, ParticipationCreate
from tests.registry.conftest import AS_OF, BY, AddToRegister, employer_input, person_input


def count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def period(**overrides: object) -> ParticipationCreate:
    data: dict[str, object] = {"employer_unit_code": "0100233488", "scheme": "compulsory",
                               "hi_group_code": "DN", "start_month": "2024-01",
                               "monthly_salary": 6_000_000}
    data.update(overrides)
    return ParticipationCreate.model_validate(data)


class TestRegisterPerson:
    def test_registers_with_the_name_as_the_register_writes_it(
        self, uow: UnitOfWork, add_to_register: AddToRegister
    ) -> None:
        add_to_register()
        result = service.register_person(uow=uow, data=person_input(full_name="nguyen van an"), as_of=AS_OF, **BY)
        assert result.person.full_name == "Nguyễn Văn An"
        assert result.person.birth_province_code == "001"
        assert result.person.residence.province_name == "Thành phố Hà Nội"
        assert service.get_person(uow=uow, key="0123456789", **BY).citizen_id == "001085012345"

    @pytest.mark.parametrize(
        ("overrides", "error", "code", "field"),
        [
            ({"citizen_id": "00108501234"}, InvalidInput, "citizen_id.format", "citizen_id"),
            ({"citizen_id": "003085012345"}, InvalidInput, "citizen_id.province", "citizen_id"),
            ({"sex": "female"}, InvalidInput, "citizen_id.sex", "citizen_id"),
            ({"birth_date": "1986-03-02"}, InvalidInput, "citizen_id.birth_year", "citizen_id"),
            ({"birth_date": "2027-01-01", "citizen_id": "001227012345"}, InvalidInput,
             "birth_date.future", "birth_date"),
            ({"si_number": "12345"}, InvalidInput, "si_number.format", "si_number"),
            ({"residence_commune_code": "99999"}, InvalidInput, "commune.unknown", "residence_commune_code"),
            ({"citizen_id": "001085099999"}, IdentityMismatch, "identity.not_in_register", "citizen_id"),
            ({"full_name": "Trần Văn An"}, IdentityMismatch, "identity.mismatch", "full_name"),
            ({"full_name": "Nguyễn Văn An 2"}, InvalidInput, "name.characters", "full_name"),
        ],
    )
    def test_refuses_bad_input_and_writes_nothing(
        self, uow: UnitOfWork, add_to_register: AddToRegister, overrides: dict[str, object],
        error: type[Exception], code: str, field: str,
    ) -> None:
        add_to_register()
        with pytest.raises(error) as caught:
            service.register_person(uow=uow, data=person_input(**overrides), as_of=AS_OF, **BY)
        assert (caught.value.code, caught.value.field) == (code, field)  # type: ignore[attr-defined]
        assert count(uow, Person) == 0

    def test_same_citizen_id_cannot_be_registered_twice(self, uow: UnitOfWork, person: str) -> None:
        with pytest.raises(Conflict) as caught:
            service.register_person(uow=uow, data=person_input(si_number=None), as_of=AS_OF, **BY)
        assert caught.value.code == "person.duplicate_citizen_id"
        assert count(uow, Person) == 1

    def test_dead_people_cannot_be_registered(self, uow: UnitOfWork, add_to_register: AddToRegister) -> None:
        add_to_register(death_date=dt.date(2020, 1, 1))
        with pytest.raises(IdentityMismatch) as caught:
            service.register_person(uow=uow, data=person_input(), as_of=AS_OF, **BY)
        assert caught.value.code == "identity.deceased"

    def test_an_si_number_belongs_to_one_person(
        self, uow: UnitOfWork, person: str, add_to_register: AddToRegister
    ) -> None:
        add_to_register(citizen_id="001185012345", full_name="Lê Thị Hoa", sex="female")
        other = person_input(citizen_id="001185012345", full_name="Lê Thị Hoa", sex="female")
        with pytest.raises(Conflict) as caught:
            service.register_person(uow=uow, data=other, as_of=AS_OF, **BY)
        assert caught.value.code == "person.duplicate_si_number"

    def test_likely_duplicates_are_flagged_not_merged(
        self, uow: UnitOfWork, person: str, add_to_register: AddToRegister
    ) -> None:
        add_to_register(citizen_id="001085099999")
        result = service.register_person(
            uow=uow, data=person_input(citizen_id="001085099999", si_number=None), as_of=AS_OF, **BY
        )
        assert len(result.duplicate_flags) == 1
        assert count(uow, Person) == 2
        flags = duplicates.list_duplicate_flags(uow=uow, **BY)
        assert {flags[0].person.citizen_id, flags[0].candidate.citizen_id} == {person, "001085099999"}
        file = service.person_file(uow=uow, key=person, as_of=AS_OF, **BY)
        assert [p.citizen_id for p in file.possible_duplicates] == ["001085099999"]
        decided = duplicates.resolve_duplicate_flag(
            uow=uow, flag_id=flags[0].id, decision=DuplicateStatus.CONFIRMED_DISTINCT, as_of=AS_OF, **BY
        )
        assert decided.status == "confirmed_distinct"
        assert duplicates.list_duplicate_flags(uow=uow, **BY) == []
        with pytest.raises(Conflict):
            duplicates.resolve_duplicate_flag(uow=uow, flag_id=flags[0].id,
                                              decision=DuplicateStatus.CONFIRMED_DUPLICATE, as_of=AS_OF, **BY)


class TestSearch:
    def test_by_name_without_diacritics_by_id_and_by_si_number(self, uow: UnitOfWork, person: str) -> None:
        assert service.find_people(uow=uow, query="nguyen an", **BY).items[0].citizen_id == person
        assert service.find_people(uow=uow, query="Văn", **BY).count == 1
        assert service.find_people(uow=uow, query="0123456789", **BY).count == 1
        assert service.find_people(uow=uow, query=person, **BY).count == 1
        assert service.find_people(uow=uow, query="tran", **BY).count == 0
        assert service.find_people(uow=uow, query="%", **BY).count == 0
        assert service.find_people(uow=uow, query="ngu an", **BY).count == 1
        assert service.find_people(uow=uow, query="guyen", **BY).count == 0  # words match from their start
        assert service.find_people(uow=uow, query="an van nguyen", **BY).count == 1

    def test_unknown_and_malformed_keys(self, uow: UnitOfWork) -> None:
        with pytest.raises(NotFound):
            service.get_person(uow=uow, key="001085012345", **BY)
        with pytest.raises(InvalidInput) as caught:
            service.get_person(uow=uow, key="abc", **BY)
        assert caught.value.code == "person.key"


class TestEmployers:
    def test_register_and_find(self, uow: UnitOfWork, employer: EmployerPublic) -> None:
        assert employer.unit_code == "AA0000N"
        assert employer.address.name == "Phường Hoàn Kiếm"
        assert service.get_employer(uow=uow, key="0100233488").name == "Công ty TNHH Ánh Dương"
        assert service.find_employers(uow=uow, query="anh duong").count == 1
        assert service.find_employers(uow=uow, query=employer.unit_code).count == 1

    def test_bad_tax_code_duplicate_and_unknown_commune(self, uow: UnitOfWork, employer: EmployerPublic) -> None:
        with pytest.raises(InvalidInput) as caught:
            service.register_employer(uow=uow, data=employer_input(tax_code="0100233489"), as_of=AS_OF, **BY)
        assert caught.value.code == "tax_code.check_digit"
        with pytest.raises(Conflict):
            service.register_employer(uow=uow, data=employer_input(), as_of=AS_OF, **BY)
        with pytest.raises(InvalidInput) as caught:
            service.register_employer(uow=uow, data=employer_input(
                tax_code="0314409058", address_commune_code="123"), as_of=AS_OF, **BY)
        assert caught.value.field == "address_commune_code"

    def test_region_outside_one_to_four_is_refused_by_the_schema(self) -> None:
        with pytest.raises(ValidationError, match="wage_region"):
            employer_input(wage_region=5)


class TestParticipation:
    def test_history_month_by_month(self, uow: UnitOfWork, person: str, employer: EmployerPublic) -> None:
        service.add_participation(uow=uow, key=person, data=period(
            start_month="2023-01", end_month="2023-12", monthly_salary=4_680_000), as_of=AS_OF, **BY)
        service.add_participation(uow=uow, key=person, data=period(start_month="2024-07",
                                  monthly_salary=6_000_000), as_of=AS_OF, **BY)
        service.add_participation(uow=uow, key=person, data=period(
            employer_unit_code=None, scheme="voluntary", hi_group_code="GD", start_month="2024-01",
            end_month="2024-07", monthly_salary=1_500_000), as_of=AS_OF, **BY)
        file = service.person_file(uow=uow, key="0123456789", as_of=AS_OF, **BY)
        months = [row.month for row in file.history]
        assert months[0] == "2023-01" and months[-1] == "2026-11"
        assert len(file.history) == 12 + 7 + 29  # 2024-07 appears twice (two schemes)
        assert file.total_months == 12 + 6 + 29
        assert [e.unit_code for e in file.employers] == [file.employers[0].unit_code]
        assert file.participations[-1].months == 29

    @pytest.mark.parametrize(
        ("overrides", "code", "field"),
        [
            ({"start_month": "2024-05", "end_month": "2024-01"}, "period.order", "end_month"),
            ({"start_month": "2027-01"}, "period.future", "start_month"),
            ({"monthly_salary": 4_000_000}, "salary.below_minimum_wage", "monthly_salary"),
            ({"start_month": "2023-01", "end_month": "2024-12", "monthly_salary": 4_700_000},
             "salary.below_minimum_wage", "monthly_salary"),
            ({"employer_unit_code": None}, "participation.employer_missing", "employer_unit_code"),
            ({"scheme": "voluntary", "hi_group_code": "GD"}, "participation.employer_given",
             "employer_unit_code"),
            ({"hi_group_code": "ZZ"}, "hi_group.unknown", "hi_group_code"),
            ({"hi_group_code": "GD"}, "hi_group.scheme", "hi_group_code"),
        ],
    )
    def test_refuses_bad_periods(
        self, uow: UnitOfWork, person: str, employer: EmployerPublic, overrides: dict[str, object],
        code: str, field: str,
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            service.add_participation(uow=uow, key=person, data=period(**overrides), as_of=AS_OF, **BY)
        assert (caught.value.code, caught.value.field) == (code, field)
        assert count(uow, Participation) == 0

    def test_negative_and_fractional_salaries_are_refused_by_the_schema(self) -> None:
        with pytest.raises(ValidationError, match="monthly_salary"):
            period(monthly_salary=-1)
        with pytest.raises(ValidationError, match="monthly_salary"):
            period(monthly_salary=6_000_000.5)

    def test_overlap_with_the_same_employer(self, uow: UnitOfWork, person: str, employer: EmployerPublic) -> None:
        service.add_participation(uow=uow, key=person, data=period(end_month="2024-12"), as_of=AS_OF, **BY)
        with pytest.raises(Conflict) as caught:
            service.add_participation(uow=uow, key=person, data=period(start_month="2024-12"), as_of=AS_OF, **BY)
        assert caught.value.code == "participation.overlap"
        service.add_participation(uow=uow, key=person, data=period(start_month="2025-01"), as_of=AS_OF, **BY)
        assert count(uow, Participation) == 2


class TestDeathNotices:
    def test_closes_open_periods_and_is_idempotent(
        self, uow: UnitOfWork, person: str, employer: EmployerPublic
    ) -> None:
        service.add_participation(uow=uow, key=person, data=period(), as_of=AS_OF, **BY)
        notice = DeathNoticeIn(citizen_id=person, death_date=dt.date(2026, 9, 15))
        result = deaths.receive_death_notice(uow=uow, data=notice, as_of=AS_OF, **BY)
        assert (result.registered_person, result.periods_closed) == (True, 1)
        again = deaths.receive_death_notice(uow=uow, data=notice, as_of=AS_OF, **BY)
        assert again.already_received
        file = service.person_file(uow=uow, key=person, as_of=AS_OF, **BY)
        assert file.person.death_date == dt.date(2026, 9, 15)
        assert file.history[-1].month == "2026-09"
        with pytest.raises(InvalidInput) as caught:
            service.add_participation(uow=uow, key=person, data=period(start_month="2026-10"), as_of=AS_OF, **BY)
        assert caught.value.code == "period.after_death"

    def test_refuses_future_deaths_and_unknown_people(self, uow: UnitOfWork, person: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            deaths.receive_death_notice(
                uow=uow, data=DeathNoticeIn(citizen_id=person, death_date=dt.date(2027, 1, 1)), as_of=AS_OF, **BY)
        assert caught.value.code == "death_date.future"
        with pytest.raises(NotFound):
            deaths.receive_death_notice(
                uow=uow, data=DeathNoticeIn(citizen_id="001085099999", death_date=AS_OF), as_of=AS_OF, **BY)
