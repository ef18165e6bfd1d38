"""Employers' declarations: each kind's effect on the registry, each rejection, all-or-nothing, replay, back-dating."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ansinh.audit.models import AuditEvent
from ansinh.collection.assessment import assess_month, employer_dues
from ansinh.collection.declaration_models import DeclarationLine, DeclarationSource, DeclarationStatus
from ansinh.collection.declaration_schemas import DeclarationLineIn
from ansinh.collection.declarations import declare, get_declaration, list_declarations, rejection_report_csv
from ansinh.collection.models import AssessmentAdjustment
from ansinh.core.actor import SYSTEM, Actor
from ansinh.core.errors import Conflict, InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.ledger.service import trial_balance
from ansinh.registry.models import Participation, ParticipationSuspension, Person
from tests.factories import add_participation, register_employer, register_person

AS_OF = dt.date(2026, 4, 20)
AT = dt.datetime(2026, 4, 20, 8, 0, tzinfo=dt.UTC)
ACTOR = Actor(username="employer.test", role="employer")
AN = "001185004300"
BINH = "001185004301"
SALARY = 10_000_000


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def _setup(db: Engine) -> tuple[UnitOfWork, str]:
    uow = UnitOfWork(db)
    unit = register_employer(uow, tax_code="0100233488", name="Công ty An Bình", wage_region=1).unit_code
    register_person(uow, citizen_id=AN, si_number="0123456700", full_name="Nguyễn Văn An")
    register_person(uow, citizen_id=BINH, si_number="0123456701", full_name="Trần Thị Bình")
    return uow, unit


def _declare(uow: UnitOfWork, unit: str, *lines: dict[str, Any], key: str = "k1", all_or_nothing: bool = False,
             as_of: dt.date = AS_OF) -> Any:
    return declare(uow=uow, employer_unit_code=unit, key=key, lines=[DeclarationLineIn(**line) for line in lines],
                   source=DeclarationSource.API, as_of=as_of, actor=ACTOR, at=AT, all_or_nothing=all_or_nothing)


def _periods(uow: UnitOfWork, citizen_id: str) -> list[tuple[str, str | None, int, str]]:
    with uow:
        rows = uow.session.execute(
            select(Participation.start_month, Participation.end_month, Participation.monthly_salary,
                   Participation.hi_group_code).join(Person, Person.id == Participation.person_id)
            .where(Person.citizen_id == citizen_id).order_by(Participation.start_month)).all()
    return [(r[0].isoformat()[:7], r[1].isoformat()[:7] if r[1] else None, r[2], r[3]) for r in rows]


def _suspensions(uow: UnitOfWork) -> list[tuple[str, str | None, str]]:
    with uow:
        rows = uow.session.execute(select(ParticipationSuspension.start_month, ParticipationSuspension.end_month,
                                          ParticipationSuspension.reason)
                                   .order_by(ParticipationSuspension.start_month)).all()
    return [(r[0].isoformat()[:7], r[1].isoformat()[:7] if r[1] else None, r[2]) for r in rows]


def test_a_join_opens_a_compulsory_period_with_the_employer(db: Engine) -> None:
    uow, unit = _setup(db)
    result = _declare(uow, unit, {"kind": "join", "person_key": AN, "full_name": "nguyen van an",
                                  "from_month": "2026-04", "salary": SALARY})
    assert result.status == DeclarationStatus.ACCEPTED and result.lines_accepted == 1
    assert result.lines[0].accepted and not result.lines[0].back_dated
    assert _periods(uow, AN) == [("2026-04", None, SALARY, "DN")]
    with uow:
        actions = uow.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["participation.add", "declaration.submit"]


def test_a_join_by_si_number_with_a_group(db: Engine) -> None:
    uow, unit = _setup(db)
    result = _declare(uow, unit, {"kind": "join", "person_key": "0123456701", "from_month": "2026-03",
                                  "salary": SALARY, "hi_group_code": "HC"})
    assert result.lines[0].accepted, result.lines[0]
    assert _periods(uow, BINH)[0][3] == "HC"


def test_a_leave_ends_the_open_period(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, AN, start_month="2025-10", end_month=None, monthly_salary=SALARY, employer_unit_code=unit)
    result = _declare(uow, unit, {"kind": "leave", "person_key": AN, "from_month": "2026-03"})
    assert result.lines[0].accepted
    assert _periods(uow, AN) == [("2025-10", "2026-03", SALARY, "DN")]


def test_a_salary_change_closes_the_period_and_opens_the_next(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, AN, start_month="2025-10", end_month=None, monthly_salary=SALARY, employer_unit_code=unit)
    result = _declare(uow, unit, {"kind": "salary", "person_key": AN, "from_month": "2026-02", "salary": 12_000_000})
    assert result.lines[0].accepted
    assert _periods(uow, AN) == [("2025-10", "2026-01", SALARY, "DN"), ("2026-02", None, 12_000_000, "DN")]


def test_a_salary_change_in_the_first_month_corrects_it_in_place(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, AN, start_month="2026-02", end_month=None, monthly_salary=SALARY, employer_unit_code=unit,
                      as_of=AS_OF)
    _declare(uow, unit, {"kind": "salary", "person_key": AN, "from_month": "2026-02", "salary": 11_000_000})
    assert _periods(uow, AN) == [("2026-02", None, 11_000_000, "DN")]


def test_suspend_and_resume(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    first = _declare(uow, unit, {"kind": "suspend", "person_key": BINH, "from_month": "2026-01",
                                 "reason": "maternity"}, key="s")
    assert first.lines[0].accepted
    assert _suspensions(uow) == [("2026-01", None, "maternity")]
    second = _declare(uow, unit, {"kind": "resume", "person_key": BINH, "from_month": "2026-07"}, key="r")
    assert second.lines[0].accepted
    assert _suspensions(uow) == [("2026-01", "2026-06", "maternity")]


def test_a_salary_change_during_a_suspension_carries_it_to_the_new_period(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    _declare(uow, unit, {"kind": "suspend", "person_key": BINH, "from_month": "2026-01", "to_month": "2026-04",
                         "reason": "unpaid_leave"},
             {"kind": "salary", "person_key": BINH, "from_month": "2026-03", "salary": 12_000_000})
    assert _suspensions(uow) == [("2026-01", "2026-02", "unpaid_leave"), ("2026-03", "2026-04", "unpaid_leave")]


def test_a_suspended_month_is_not_charged(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, AN, start_month="2025-10", end_month=None, monthly_salary=SALARY, employer_unit_code=unit)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    _declare(uow, unit, {"kind": "suspend", "person_key": BINH, "from_month": "2026-04", "to_month": "2026-04",
                         "reason": "sick_leave"})
    assess_month(uow=uow, month=dt.date(2026, 4, 1), actor=SYSTEM, at=AT)
    assert employer_dues(uow=uow, month=dt.date(2026, 4, 1), employer_unit_code=unit).people == 1


REJECTIONS: list[tuple[dict[str, Any], str, str]] = [
    ({"kind": "hire", "person_key": AN, "from_month": "2026-04"}, "declaration.kind", "kind"),
    ({"kind": "join", "person_key": AN, "from_month": "04/2026x", "salary": SALARY}, "month.format", "from_month"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": -1}, "salary.negative", "salary"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-04"}, "declaration.salary_missing", "salary"),
    ({"kind": "join", "person_key": "12345", "from_month": "2026-04", "salary": SALARY}, "person.key", "person_key"),
    ({"kind": "join", "person_key": "001185009999", "from_month": "2026-04", "salary": SALARY},
     "person.not_found", "person_key"),
    ({"kind": "join", "person_key": AN, "full_name": "Lê Văn Cường", "from_month": "2026-04", "salary": SALARY},
     "declaration.full_name", "full_name"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": 1_000_000},
     "salary.below_minimum_wage", "monthly_salary"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-09", "salary": SALARY}, "period.future", "start_month"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY, "hi_group_code": "XX"},
     "hi_group.unknown", "hi_group_code"),
    ({"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY, "hi_group_code": "HT"},
     "hi_group.scheme", "hi_group_code"),
    ({"kind": "leave", "person_key": AN, "from_month": "2026-04"}, "participation.no_open_participation", "person_key"),
    ({"kind": "leave", "person_key": BINH, "from_month": "2025-01"}, "participation.leave_before_start", "from_month"),
    ({"kind": "leave", "person_key": BINH, "from_month": "2026-01", "to_month": "2026-02"},
     "declaration.to_month", "to_month"),
    ({"kind": "salary", "person_key": AN, "from_month": "2026-04", "salary": SALARY}, "participation.not_in_force",
     "from_month"),
    ({"kind": "suspend", "person_key": BINH, "from_month": "2026-04", "reason": "holiday"}, "declaration.reason",
     "reason"),
    ({"kind": "suspend", "person_key": BINH, "from_month": "2026-04", "to_month": "2026-03", "reason": "maternity"},
     "period.order", "to_month"),
    ({"kind": "resume", "person_key": BINH, "from_month": "2026-04"}, "participation.no_open_suspension", "person_key"),
    ({"kind": "join", "person_key": BINH, "from_month": "2026-01", "salary": SALARY}, "participation.overlap",
     "start_month"),
]


@pytest.mark.parametrize(("line", "code", "field"), REJECTIONS, ids=[r[1] + ":" + r[0]["kind"] for r in REJECTIONS])
def test_a_bad_line_is_rejected_with_its_reason(db: Engine, line: dict[str, Any], code: str, field: str) -> None:
    uow, unit = _setup(db)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    before = _periods(uow, AN), _periods(uow, BINH)
    result = _declare(uow, unit, line)
    rejected = result.lines[0]
    assert (rejected.accepted, rejected.error_code, rejected.error_field) == (False, code, field)
    assert rejected.error_message
    assert result.status == DeclarationStatus.REJECTED and result.lines_rejected == 1
    assert (_periods(uow, AN), _periods(uow, BINH)) == before


def test_good_lines_are_kept_beside_a_bad_one_and_the_report_lists_it(db: Engine) -> None:
    uow, unit = _setup(db)
    result = _declare(uow, unit, {"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY},
                      {"kind": "join", "person_key": "=HYPERLINK(\"x\")", "from_month": "2026-04", "salary": SALARY})
    assert result.status == DeclarationStatus.PARTLY_ACCEPTED
    assert (result.lines_accepted, result.lines_rejected) == (1, 1)
    report = rejection_report_csv(result).decode("utf-8")
    assert report.startswith("\ufeffline_no,kind,person_key,error_code,error_field,error_message\r\n")
    assert "2,join,\"'=HYPERLINK(\"\"x\"\")\",person.key,person_key," in report
    assert len(report.strip().splitlines()) == 2


def test_all_or_nothing_writes_nothing_on_one_bad_line(db: Engine) -> None:
    uow, unit = _setup(db)
    result = _declare(uow, unit, {"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY},
                      {"kind": "join", "person_key": BINH, "from_month": "2026-04", "salary": 1},
                      all_or_nothing=True)
    assert result.status == DeclarationStatus.REJECTED and result.lines_accepted == 0
    assert result.lines[0].error_code == "declaration.all_or_nothing"
    assert result.lines[1].error_code == "salary.below_minimum_wage"
    assert _periods(uow, AN) == [] and _periods(uow, BINH) == []
    with uow:  # the declaration and its lines are kept, with one audit event for it
        assert uow.session.scalar(select(func.count()).select_from(DeclarationLine)) == 2
        assert "participation.add" not in uow.session.scalars(select(AuditEvent.action)).all()


def test_handing_the_same_key_in_again_changes_nothing(db: Engine) -> None:
    uow, unit = _setup(db)
    line = {"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY}
    first = _declare(uow, unit, line)
    again = _declare(uow, unit, line)
    assert again.replayed and not first.replayed
    assert again.model_dump(exclude={"replayed"}) == first.model_dump(exclude={"replayed"})
    assert len(_periods(uow, AN)) == 1
    other = register_employer(uow, tax_code="0101243150", name="Công ty Bình Minh").unit_code
    with pytest.raises(Conflict) as error:
        _declare(uow, other, line)
    assert error.value.code == "declaration.key_reused"


def test_a_later_line_for_the_same_worker_and_month_is_rejected(db: Engine) -> None:
    uow, unit = _setup(db)
    result = _declare(uow, unit, {"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY},
                      {"kind": "leave", "person_key": "0123456700", "from_month": "2026-04"})
    assert result.lines[0].accepted and not result.lines[1].accepted
    assert result.lines[1].error_code == "declaration.conflict"
    assert "line 1" in (result.lines[1].error_message or "")


@pytest.mark.parametrize(("key", "count"), [("", 1), ("k" * 121, 1), ("k", 0)])
def test_an_empty_or_oversized_request_is_refused(db: Engine, key: str, count: int) -> None:
    uow, unit = _setup(db)
    lines = [{"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY}] * count
    with pytest.raises(InvalidInput) as error:
        _declare(uow, unit, *lines, key=key)
    assert error.value.code == ("declaration.key" if count else "declaration.lines")


def test_a_back_dated_join_is_re_assessed_and_the_books_balance(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    march = dt.date(2026, 3, 1)
    assess_month(uow=uow, month=march, actor=SYSTEM, at=AT)
    before = employer_dues(uow=uow, month=march, employer_unit_code=unit).total

    result = _declare(uow, unit, {"kind": "join", "person_key": AN, "from_month": "2026-02", "salary": SALARY},
                      {"kind": "salary", "person_key": BINH, "from_month": "2026-04", "salary": 12_000_000})

    assert result.back_dated_lines == 1
    assert [line.back_dated for line in result.lines] == [True, False]
    assert [m.month for m in result.reassessed] == [march]
    assert result.reassessed[0].total == before and result.reassessed[0].rows == 1
    assert employer_dues(uow=uow, month=march, employer_unit_code=unit).total == 2 * before
    assert trial_balance(uow=uow, start=march, end=AS_OF).balanced
    assert get_declaration(uow=uow, declaration_id=result.id).reassessed == result.reassessed
    with uow:
        causes = set(uow.session.scalars(select(AssessmentAdjustment.cause)))
    assert causes == {f"declaration:{result.id}"}


def test_a_back_dated_suspension_refunds_the_month(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit)
    march = dt.date(2026, 3, 1)
    assess_month(uow=uow, month=march, actor=SYSTEM, at=AT)
    result = _declare(uow, unit, {"kind": "suspend", "person_key": BINH, "from_month": "2026-03",
                                  "to_month": "2026-03", "reason": "maternity"})
    assert result.back_dated_lines == 1
    assert employer_dues(uow=uow, month=march, employer_unit_code=unit).total == 0
    assert trial_balance(uow=uow, start=march, end=AS_OF).balanced


def test_list_and_get(db: Engine) -> None:
    uow, unit = _setup(db)
    first = _declare(uow, unit, {"kind": "join", "person_key": AN, "from_month": "2026-04", "salary": SALARY},
                     key="a")
    second = _declare(uow, unit, {"kind": "join", "person_key": BINH, "from_month": "2026-04", "salary": 1},
                      key="b")
    listed = list_declarations(uow=uow, employer_unit_code=unit)
    assert [d.id for d in listed] == [second.id, first.id]
    assert listed[0].lines == [] and listed[0].status == DeclarationStatus.REJECTED
    assert get_declaration(uow=uow, declaration_id=first.id).lines == first.lines


def test_the_same_declaration_handed_in_at_once_is_declared_once(db: Engine) -> None:
    """Four copies of one declaration at the same moment: one is written, the others get it back."""
    uow, unit = _setup(db)
    start = threading.Barrier(4)

    def hand_in(_: int) -> tuple[int, bool]:
        start.wait()
        result = _declare(UnitOfWork(db), unit, {"kind": "join", "person_key": AN, "from_month": "2026-04",
                                                 "salary": SALARY}, key="same")
        return result.id, result.replayed

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(hand_in, range(4)))
    assert len({declaration_id for declaration_id, _ in outcomes}) == 1
    assert sorted(replayed for _, replayed in outcomes) == [False, True, True, True]
    assert len(_periods(uow, AN)) == 1


def test_suspension_rejections(db: Engine) -> None:
    uow, unit = _setup(db)
    add_participation(uow, AN, start_month="2025-10", end_month="2026-06", monthly_salary=SALARY,
                      employer_unit_code=unit, as_of=AS_OF)
    add_participation(uow, BINH, start_month="2025-10", end_month=None, monthly_salary=SALARY,
                      employer_unit_code=unit, as_of=AS_OF)
    result = _declare(uow, unit,
                      {"kind": "suspend", "person_key": BINH, "from_month": "2026-01", "reason": "maternity"},
                      {"kind": "suspend", "person_key": BINH, "from_month": "2026-03", "to_month": "2026-04",
                       "reason": "unpaid_leave"},
                      {"kind": "suspend", "person_key": AN, "from_month": "2026-05", "to_month": "2026-08",
                       "reason": "sick_leave"},
                      {"kind": "suspend", "person_key": AN, "from_month": "2026-04", "reason": "sick_leave"},
                      {"kind": "resume", "person_key": BINH, "from_month": "2025-12"},
                      {"kind": "salary", "person_key": BINH, "from_month": "2026-02", "salary": "mười triệu"})
    assert [(line.accepted, line.error_code) for line in result.lines] == [
        (True, None), (False, "participation.suspension_overlap"), (False, "participation.suspension_beyond_period"),
        (True, None), (False, "participation.resume_before_suspension"), (False, "salary.format")]
    # A suspension without an end on a period that ends stops with the period.
    assert _suspensions(uow) == [("2026-01", None, "maternity"), ("2026-04", "2026-06", "sick_leave")]
