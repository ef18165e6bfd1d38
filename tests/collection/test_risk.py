"""The compliance risk score: each factor moves the score and says why; a late employer rises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ansinh.collection.arrears_models import Reminder
from ansinh.collection.compliance_models import CaseStatus, InspectionCase
from ansinh.collection.declaration_models import Declaration, DeclarationSource, DeclarationStatus
from ansinh.collection.risk import WeightsError, default_weights, load_weights, risk_list, risk_scores
from ansinh.db.uow import UnitOfWork
from tests.collection.arrears_helpers import AT, assess, employer_with_workers, pay_all
from tests.factories import add_participation, register_person

AUGUST, SEPTEMBER, OCTOBER = (dt.date(2025, m, 1) for m in (8, 9, 10))
AS_OF = dt.date(2025, 12, 15)
FLOOR_2025_REGION_1 = 4_960_000


def _reasons(uow: UnitOfWork, employer_id: int) -> tuple[int, dict[str, dict[str, object]]]:
    frame = risk_scores(uow=uow, as_of=AS_OF).filter(employer_id=employer_id)
    row = frame.row(0, named=True)
    return row["score"], {reason["factor"]: reason for reason in row["reasons"]}


def _pay_everything(uow: UnitOfWork, *employer_ids: int) -> None:
    for employer_id in employer_ids:
        for month, day in ((AUGUST, dt.date(2025, 9, 30)), (SEPTEMBER, dt.date(2025, 10, 31)),
                           (OCTOBER, dt.date(2025, 11, 30))):
            pay_all(uow, employer_id=employer_id, month=month, value_date=day)


@pytest.fixture
def country(db: Engine) -> dict[str, int]:
    """Three well-paying employers of sector C, region 1, that pay on time; one at the floor that does not."""
    uow = UnitOfWork(db)
    ids = {}
    for index, (tax, name) in enumerate((("0100233488", "Công ty An Bình"), ("0101245486", "Công ty Bình Minh"),
                                         ("0100109106", "Công ty Cửu Long"))):
        _, ids[name] = employer_with_workers(uow, tax_code=tax, name=name, salaries=(10_000_000, 12_000_000),
                                             start_month="2025-08", first_citizen=10 * (index + 1))
    _, ids["floor"] = employer_with_workers(uow, tax_code="0100100008", name="Công ty Sàn Lương",
                                            salaries=(FLOOR_2025_REGION_1,) * 3, start_month="2025-08",
                                            first_citizen=40)
    assess(uow, AUGUST, SEPTEMBER, OCTOBER)
    _pay_everything(uow, *(v for k, v in ids.items() if k != "floor"))
    return ids


def test_the_weights_are_data_that_add_up_to_100(tmp_path: Path) -> None:
    weights = default_weights().model_dump()
    assert sum(f["weight"] for f in weights.values()) == 100
    assert all(f["why"] for f in weights.values())
    bad = tmp_path / "w.yaml"
    bad.write_text("factors:\n  arrears_age: {weight: 10, full_at: 1, why: x}\n", encoding="utf-8")
    with pytest.raises(WeightsError):
        load_weights(bad)


def test_salaries_at_the_floor_and_below_the_peers_score_with_their_reasons(db: Engine,
                                                                            country: dict[str, int]) -> None:
    uow = UnitOfWork(db)
    score, reasons = _reasons(uow, country["floor"])
    assert reasons["floor_share"]["points"] == default_weights().floor_share.weight
    assert "100% người lao động" in str(reasons["floor_share"]["sentence"])
    assert reasons["low_salaries"]["points"] > 0 and "ngành C vùng 1" in str(reasons["low_salaries"]["sentence"])
    assert score >= reasons["floor_share"]["points"] + reasons["low_salaries"]["points"]  # type: ignore[operator]
    punctual_score, punctual = _reasons(uow, country["Công ty An Bình"])
    assert punctual_score == 0 and punctual == {}


def test_a_late_employer_rises_and_evasion_adds_its_points(db: Engine, country: dict[str, int]) -> None:
    uow = UnitOfWork(db)
    score, reasons = _reasons(uow, country["floor"])
    assert reasons["arrears_age"]["figure"] == "76"  # August's dues, due 30 September
    assert reasons["arrears_size"]["points"] > 0
    assert "evasion" not in reasons
    ranked = risk_list(uow=uow, as_of=AS_OF, limit=10)
    assert ranked.rows[0].employer_id == country["floor"] and ranked.total == 4

    with uow:
        uow.session.add(Reminder(employer_id=country["floor"], sent_on=dt.date(2025, 10, 15), oldest_month=AUGUST,
                                 unpaid=1, interest=0, outbox_key="test"))
        uow.commit()
    evading, reasons = _reasons(uow, country["floor"])
    assert reasons["evasion"]["points"] == default_weights().evasion.weight
    assert evading > score

    _pay_everything(uow, country["floor"])
    paid, reasons = _reasons(uow, country["floor"])
    assert paid < score and "arrears_age" not in reasons


def test_a_headcount_swing_and_late_declarations_score(db: Engine, country: dict[str, int]) -> None:
    uow = UnitOfWork(db)
    employer = country["Công ty Bình Minh"]
    from ansinh.registry.lookups import employer_by_id

    with uow:
        unit = employer_by_id(uow.session, employer).unit_code
    for number in (91, 92):
        citizen_id = f"0011850{number:05d}"
        register_person(uow, citizen_id=citizen_id, si_number=f"01234{number:05d}", full_name="Trần Văn Tăng")
        add_participation(uow, citizen_id, start_month="2025-11", end_month=None, monthly_salary=11_000_000,
                          employer_unit_code=unit)
    assess(uow, dt.date(2025, 11, 1))
    pay_all(uow, employer_id=employer, month=dt.date(2025, 11, 1), value_date=dt.date(2025, 12, 1))
    _, reasons = _reasons(uow, employer)
    assert reasons["headcount_swing"]["figure"] == "100"  # 2 → 4
    assert "(2 → 4)" in str(reasons["headcount_swing"]["sentence"])

    with uow:
        uow.session.add(Declaration(key="late-1", employer_id=employer, declared_on=dt.date(2025, 11, 20),
                                    source=DeclarationSource.API, filename=None, all_or_nothing=False,
                                    status=DeclarationStatus.ACCEPTED, lines_total=1, lines_accepted=1,
                                    lines_rejected=0, back_dated_lines=1, submitted_at=AT, actor="tests"))
        uow.commit()
    _, reasons = _reasons(uow, employer)
    assert reasons["late_declarations"]["figure"] == "1"
    assert reasons["late_declarations"]["points"] == pytest.approx(default_weights().late_declarations.weight / 3,
                                                                   abs=0.1)


def test_an_open_case_is_shown_without_points(db: Engine, country: dict[str, int]) -> None:
    uow = UnitOfWork(db)
    before, _ = _reasons(uow, country["floor"])
    with uow:
        uow.session.add(InspectionCase(employer_id=country["floor"], status=CaseStatus.OPEN, opened_on=AS_OF,
                                       opened_by="tests", risk_score=before, risk_reasons=[], version=1, opened_at=AT))
        uow.commit()
    after, reasons = _reasons(uow, country["floor"])
    assert after == before and reasons["open_case"]["points"] == 0
