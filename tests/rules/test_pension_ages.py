"""Which rules and which age decide a pension: the early pension by the assessed loss of working
capacity (Law 41/2024 art. 65; Law 58/2014 art. 55 in its 2016 and 2021 versions), the
especially-heavy-jobs case that cannot be decided, careers with voluntary months (Law 58 art.
71, Law 41 arts. 98, 111, 141(9)) and the minimum pension. The average salary is given."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import default_parameters
from ansinh.rules.pension import PensionCase, PensionResult, compute

PARAMS = default_parameters()
D = dt.date


def pension(day: dt.date, birth: dt.date, months: int, *, sex: str = "male", average: int = 10_000_000,
            **extra: object) -> PensionResult:
    return compute(PensionCase(as_of=day, sex=sex, birth_date=birth, months=months,  # type: ignore[arg-type]
                               average_salary=Fraction(average), **extra), PARAMS)  # type: ignore[arg-type]


def codes(result: PensionResult) -> list[str]:
    return [reason.code for reason in result.reasons]


YOUNG = D(1971, 6, 10)  # normal age 62y0m; on 2026-06-15 aged 55y0m (660 months)
OLDER = D(1968, 1, 10)  # normal age 62y0m; on 2026-06-15 aged 58y5m (701 months)
DAY = D(2026, 6, 15)


@pytest.mark.parametrize(("loss", "rate"), [(61, Fraction(48, 100)), (80, Fraction(48, 100)), (81, Fraction(48, 100))])
def test_reduced_capacity_61_to_81_percent_at_58y5m(loss: int, rate: Fraction) -> None:
    """Aged 701 months, 3 years 7 months before 62y0m, 25 years: 45 % + 2 % × 5 = 55 %, less 3 × 2 %
    + 1 % (7 odd months ≥ 6) = 48 %, whatever the loss from 61 % (the lowest age is 57y0m at 61-80 %
    and 52y0m from 81 %, both reached); 48 % × 10,000,000 = 4,800,000."""
    result = pension(DAY, OLDER, 300, early_reason="reduced_capacity", loss_percent=loss)
    assert result.eligible and result.rate == rate and result.monthly == 4_800_000


def test_sixty_percent_is_not_enough() -> None:
    """60 %: below the 61 % the early pension needs (Law 41 art. 65(1)); he is below 62y0m too."""
    result = pension(DAY, OLDER, 300, early_reason="reduced_capacity", loss_percent=60)
    assert codes(result) == ["capacity_loss_too_low", "too_young"]


@pytest.mark.parametrize(("loss", "reasons"), [(60, ["capacity_loss_too_low", "too_young"]), (61, ["too_young"]),
                                               (80, ["too_young"]), (81, [])])
def test_only_81_percent_retires_at_55(loss: int, reasons: list[str]) -> None:
    """Aged 55y0m: 61-80 % allow 5 years below 62y0m (57y0m), too young; 81 % allows 10 (52y0m):
    7 years early, 55 % − 14 % = 41 % (Law 41 art. 65(1)(a)-(b), 66(3))."""
    result = pension(DAY, YOUNG, 300, early_reason="reduced_capacity", loss_percent=loss)
    assert codes(result) == reasons
    if not reasons:
        assert (result.rate, result.monthly) == (Fraction(41, 100), 4_100_000)


def test_especially_heavy_jobs_cannot_be_decided() -> None:
    """Aged 55y0m with 65 % and 15 years of hazardous jobs: only art. 65(1)(c) (15 years in
    especially heavy jobs, any age) could grant it, and the hazardous flag does not say
    especially: refused; with 14 years 11 months it is simply too young."""
    with pytest.raises(InvalidInput) as error:
        pension(DAY, YOUNG, 300, early_reason="reduced_capacity", loss_percent=65, hazardous_months=180)
    assert (error.value.code, error.value.field) == ("pension.especially_hazardous_not_decided", "history")
    result = pension(DAY, YOUNG, 300, early_reason="reduced_capacity", loss_percent=65, hazardous_months=179)
    assert codes(result) == ["too_young"]


def test_hazardous_years_make_the_reference_age_and_the_loss_does_not_matter_above_it() -> None:
    """Born 12/1968, aged 57y6m on 2026-06-15, 15 hazardous years: the reference age is 57y0m
    (Decree 158 art. 13(2)(b)); above it there is no reduction, 55 %. A man of 61y3m (the normal
    age, reached 04/2025) with 16 years and 50 % loss takes the normal pension: 40 % + 1 % = 41 %."""
    result = pension(DAY, D(1968, 12, 10), 300, early_reason="reduced_capacity", loss_percent=65,
                     hazardous_months=180)
    assert result.eligible and result.rate == Fraction(55, 100)
    result = pension(D(2026, 3, 15), D(1964, 1, 10), 192, early_reason="reduced_capacity", loss_percent=50)
    assert result.eligible and result.rate == Fraction(41, 100)


def test_law_58_ages_rose_each_year_2016_to_2020() -> None:
    """Law 58/2014 art. 55(1)(a): 52 for men in 2017, 53 in 2018. Born 1965-06-15, 25 years, 65 %:
    on 2017-12-31 aged 52y6m, eligible, 7 years 6 months before 60: 7 × 2 % + 1 % (an age with 6
    odd months, art. 56(3)) = 15 %; 2017 rate 45 % + 2 % × 10 = 65 % → 50 %. On 2018-01-01 (52y7m)
    too young for 53; with 81 % (art. 55(1)(b): 50) eligible: 7 years 5 months early, 14 % (7 odd
    months: no half), 2018 rate with 16 base years 45 % + 2 % × 9 = 63 % → 49 %."""
    birth = D(1965, 6, 15)
    result = pension(D(2017, 12, 31), birth, 300, early_reason="reduced_capacity", loss_percent=65)
    assert result.eligible and result.rate == Fraction(50, 100)
    assert codes(pension(D(2018, 1, 1), birth, 300, early_reason="reduced_capacity", loss_percent=65)) == [
        "too_young"]
    result = pension(D(2018, 1, 1), birth, 300, early_reason="reduced_capacity", loss_percent=81)
    assert result.eligible and result.rate == Fraction(49, 100)


def test_loss_of_capacity_is_required_and_checked() -> None:
    with pytest.raises(InvalidInput) as error:
        pension(DAY, OLDER, 300, early_reason="reduced_capacity")
    assert (error.value.field, error.value.code) == ("loss_percent", "quote.missing_field")
    with pytest.raises(InvalidInput) as error:
        pension(DAY, OLDER, 300, early_reason="reduced_capacity", loss_percent=101)
    assert (error.value.field, error.value.code) == ("loss_percent", "loss_percent.invalid")


MAN = D(1964, 1, 10)  # 61y3m, reached 2025-04


def test_mixed_careers_take_the_rules_of_their_compulsory_years() -> None:
    """25 years in all, AS 2,000,000, joined 2000. With 15 compulsory years (Law 41 art. 111(1)(a))
    the compulsory rules; with 14 the voluntary rules (art. 98): the same 55 %, 1,100,000. The
    minimum pension (the reference level 2,340,000) needs 20 compulsory years (art. 141(11),
    Decree 158 art. 17(3)): with 20 the pension is raised to 2,340,000."""
    day, joined = D(2026, 3, 15), D(2000, 1, 1)
    kwargs = {"average": 2_000_000, "first_month": joined, "first_voluntary_month": D(2015, 1, 1)}
    compulsory = pension(day, MAN, 300, compulsory_months=180, **kwargs)
    voluntary = pension(day, MAN, 300, compulsory_months=179, **kwargs)
    assert (compulsory.monthly, voluntary.monthly) == (1_100_000, 1_100_000)
    assert any(line.label == "Pension under the compulsory rules" for line in compulsory.explanation)
    assert any(line.label == "Pension under the voluntary rules" for line in voluntary.explanation)
    assert pension(day, MAN, 300, compulsory_months=240, **kwargs).monthly == 2_340_000


def test_law_58_mixed_needs_twenty_compulsory_years() -> None:
    """On 2025-06-30 (Law 58 art. 71(1)(a)) 19 compulsory years of 25: the voluntary rules (20 years
    of all SI, art. 73), no minimum: 55 % × 2,000,000 = 1,100,000; with 20 compulsory years the
    compulsory rules and the base salary 2,340,000 as minimum."""
    day = D(2025, 6, 30)
    assert pension(day, MAN, 300, compulsory_months=228, average=2_000_000).monthly == 1_100_000
    assert pension(day, MAN, 300, compulsory_months=240, average=2_000_000).monthly == 2_340_000


def test_the_voluntary_rules_have_no_early_pension() -> None:
    """Voluntary only, 25 years, 70 % loss at 58y5m: the voluntary pension needs the normal age
    (Law 41 art. 98), so too young; the same at 62y0m would be a pension."""
    result = pension(DAY, OLDER, 300, compulsory_months=0, early_reason="reduced_capacity", loss_percent=70)
    assert codes(result) == ["too_young"]
    assert any(line.label == "No early pension under the voluntary rules" for line in result.explanation)
    assert pension(D(2030, 1, 15), OLDER, 300, compulsory_months=0).eligible


def test_voluntary_years_on_both_sides_of_law_41() -> None:
    """Voluntary only, a woman of 56y8m (reached 05/2025) with 16 years 4 months: Law 58 art. 73
    needs 20 years (2025-06-30: too few), Law 41 art. 98 15 (2025-07-01): 45 % + 2 % × 1.5 = 48 %."""
    woman = D(1968, 9, 15)
    assert codes(pension(D(2025, 6, 30), woman, 196, sex="female", compulsory_months=0)) == ["too_few_years"]
    result = pension(D(2025, 7, 1), woman, 196, sex="female", compulsory_months=0)
    assert result.eligible and result.rate == Fraction(48, 100)


def test_the_transitional_age_for_voluntary_si_before_2021() -> None:
    """Law 41 art. 141(9): joined voluntary SI before 2021 with 20 years of it, a man may retire at
    60. Born 1967-06-10 (normal age 62y0m), voluntary from 2008-01, 241 months on 2028-02-01, aged
    60y8m: eligible, 20.5 years: 45 % + 2 % × 0.5 = 46 %. Joined 2021-01: too young for 62y0m."""
    birth, day = D(1967, 6, 10), D(2028, 2, 1)
    result = pension(day, birth, 241, compulsory_months=0, first_voluntary_month=D(2008, 1, 1))
    assert result.eligible and result.rate == Fraction(46, 100)
    assert any("141(9)" in line.basis for line in result.explanation)
    late = pension(day, birth, 241, compulsory_months=0, first_voluntary_month=D(2021, 1, 1))
    assert codes(late) == ["too_young"]
