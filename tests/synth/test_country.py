"""The synthetic country is reproducible, valid for the registry's own rules, and shaped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ansinh.core.errors import InvalidInput
from ansinh.law import value_at
from ansinh.registry.checks import check_minimum_wage
from ansinh.registry.identifiers import (
    name_key,
    validate_citizen_id,
    validate_si_number,
    validate_tax_code,
    validate_unit_code,
)
from ansinh.registry.models import OwnershipSector, Scheme
from ansinh.synth.country import SyntheticCountry, generate
from tests.synth.conftest import AS_OF

OBSERVED_MONTH = AS_OF.replace(day=1)
FAR = dt.date(9999, 12, 1)


def test_same_seed_gives_the_same_country_and_another_seed_another(communes: pl.DataFrame) -> None:
    first = generate(communes=communes, people=2_000, seed=3, as_of=AS_OF)
    again = generate(communes=communes, people=2_000, seed=3, as_of=AS_OF)
    other = generate(communes=communes, people=2_000, seed=4, as_of=AS_OF)
    for name, frame in first.tables().items():
        assert frame.equals(again.tables()[name]), name
    assert not first.population_record.equals(other.population_record)
    assert not first.participation.equals(other.participation)


def test_citizen_ids_agree_with_sex_and_birth_date_and_are_unique(country: SyntheticCountry) -> None:
    register = country.population_record
    assert register.get_column("citizen_id").is_unique().all()
    for citizen_id, sex, birth_date in register.select("citizen_id", "sex", "birth_date").iter_rows():
        validate_citizen_id(citizen_id, sex=sex, birth_date=birth_date)


def test_registry_people_match_the_register(country: SyntheticCountry) -> None:
    people = country.person
    joined = people.join(country.population_record, on="citizen_id", suffix="_register")
    assert joined.height == people.height
    for column in ("full_name", "birth_date", "sex", "death_date"):
        assert joined.get_column(column).equals(joined.get_column(f"{column}_register"), null_equal=True)
    assert (people.get_column("birth_province_code") == people.get_column("citizen_id").str.slice(0, 3)).all()
    assert people.get_column("name_key").to_list() == [name_key(n) for n in people.get_column("full_name")]
    assert (people.get_column("registered_on") >= people.get_column("birth_date")).all()
    assert (people.get_column("registered_on") <= AS_OF).all()


def test_si_numbers_are_ten_digits_and_unique(country: SyntheticCountry) -> None:
    numbers = country.person.get_column("si_number")
    assert numbers.null_count() == 0
    assert numbers.is_unique().all()
    for number in numbers.sample(500, seed=1):
        validate_si_number(number)


def test_employers_have_valid_unique_codes_and_attributes(country: SyntheticCountry) -> None:
    employers = country.employer
    for column in ("tax_code", "unit_code"):
        assert employers.get_column(column).is_unique().all()
    for tax_code, unit_code in employers.select("tax_code", "unit_code").iter_rows():
        validate_tax_code(tax_code)
        validate_unit_code(unit_code)
    assert set(employers.get_column("wage_region").unique()) <= {1, 2, 3, 4}
    assert set(employers.get_column("ownership_sector").unique()) <= {s.value for s in OwnershipSector}
    assert employers.get_column("industry_code").str.contains(r"^[A-U]$").all()
    assert employers.get_column("name_key").to_list() == [name_key(n) for n in employers.get_column("name")]
    assert employers.get_column("name").str.starts_with("Công ty").any()


def _overlaps(periods: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Rows that start before the previous period of the same key has ended."""
    return (
        periods.with_columns(pl.col("end_month").fill_null(FAR))
        .sort([*by, "start_month"])
        .with_columns(pl.col("end_month").shift(1).over(by).alias("previous_end"))
        .filter(pl.col("start_month") <= pl.col("previous_end"))
    )


def test_no_person_is_covered_twice_in_a_month(country: SyntheticCountry) -> None:
    periods = country.participation
    assert _overlaps(periods, ["person_id"]).height == 0
    assert _overlaps(periods.filter(pl.col("employer_id").is_not_null()), ["person_id", "employer_id"]).height == 0
    assert (periods.get_column("start_month").dt.day() == 1).all()
    assert (periods.get_column("start_month") <= OBSERVED_MONTH).all()
    ends = periods.get_column("end_month").drop_nulls()
    assert (ends.dt.day() == 1).all()
    assert (periods.filter(pl.col("end_month").is_not_null()).select(pl.col("end_month") >= pl.col("start_month"))
            .to_series().all())


def test_compulsory_salaries_never_undercut_the_minimum_wage(country: SyntheticCountry) -> None:
    jobs = country.participation.filter(pl.col("scheme") == Scheme.COMPULSORY).join(
        country.employer.select(pl.col("id").alias("employer_id"), "wage_region"), on="employer_id"
    )
    assert jobs.get_column("monthly_salary").dtype == pl.Int64
    assert (jobs.get_column("monthly_salary") % 1000 == 0).all()
    since_2016 = jobs.filter(pl.col("start_month") >= dt.date(2016, 1, 1))
    for salary, region, start, end in since_2016.sample(3_000, seed=2).select(
        "monthly_salary", "wage_region", "start_month", "end_month"
    ).iter_rows():
        check_minimum_wage(salary, scheme=Scheme.COMPULSORY, region=region, start=start, end=end, as_of=AS_OF)
    before = jobs.filter(pl.col("start_month") < dt.date(2016, 1, 1)).sample(1_000, seed=3)
    for salary, end in before.select("monthly_salary", "end_month").iter_rows():
        assert salary >= value_at("si.base_salary", end)


def test_people_live_in_every_province(country: SyntheticCountry, communes: pl.DataFrame) -> None:
    places = country.population_record.join(
        communes.select(pl.col("code").alias("residence_commune_code"), "province_code"), on="residence_commune_code"
    )
    assert places.height == country.population_record.height
    assert places.get_column("province_code").n_unique() == 34


def test_the_dead_die_after_birth_and_are_covered_no_later(country: SyntheticCountry) -> None:
    dead = country.population_record.filter(pl.col("death_date").is_not_null())
    assert dead.height > 0
    assert (dead.get_column("death_date") > dead.get_column("birth_date")).all()
    assert (dead.get_column("death_date") <= AS_OF).all()
    notices = country.death_notice
    assert sorted(notices.get_column("citizen_id")) == sorted(dead.get_column("citizen_id"))
    assert (notices.get_column("received_on") >= notices.get_column("death_date")).all()
    covered = country.participation.join(
        country.person.filter(pl.col("death_date").is_not_null()).select(pl.col("id").alias("person_id"), "death_date"),
        on="person_id",
    )
    assert covered.get_column("end_month").null_count() == 0
    assert (covered.get_column("end_month") <= covered.get_column("death_date").dt.month_start()).all()


def test_households_share_a_commune_and_have_one_head(country: SyntheticCountry) -> None:
    members = country.person.filter(pl.col("household_id").is_not_null()).join(
        country.household.rename({"id": "household_id"}), on="household_id"
    )
    assert (members.get_column("residence_commune_id") == members.get_column("address_commune_id")).all()
    heads = members.group_by("household_id").agg((pl.col("household_role") == "head").sum().alias("heads"))
    assert heads.height == country.household.height
    assert (heads.get_column("heads") == 1).all()


def test_shape_of_the_country(country: SyntheticCountry) -> None:
    living = country.population_record.filter(pl.col("death_date").is_null()).height
    registered_living = country.person.filter(pl.col("death_date").is_null()).height
    assert 0.92 < registered_living / living < 0.96
    open_periods = country.participation.filter(pl.col("end_month").is_null())
    assert open_periods.get_column("person_id").is_unique().all()
    groups = set(open_periods.select(pl.concat_str("scheme", "hi_group_code", separator=":")).to_series())
    assert groups >= {
        "compulsory:DN", "compulsory:HC", "voluntary:GD", "hi_only:GD", "hi_only:HT",
        "hi_only:TE", "hi_only:HS", "hi_only:SV",
    }
    pensions = open_periods.filter(pl.col("hi_group_code") == "HT").get_column("monthly_salary")
    assert country.pensioners == pensions.len() > 0
    assert (pensions >= value_at("si.base_salary", AS_OF)).all()
    first_job = country.participation.filter(pl.col("employer_id").is_not_null()).group_by("employer_id").agg(
        pl.col("start_month").min()
    )
    employers = country.employer.join(first_job, left_on="id", right_on="employer_id")
    assert employers.height == country.employer.height
    assert (employers.get_column("registered_on") == employers.get_column("start_month")).all()


@pytest.mark.parametrize(("people", "as_of", "field"), [(0, AS_OF, "people"), (10, dt.date(2025, 6, 30), "as_of")])
def test_refuses_impossible_requests(communes: pl.DataFrame, people: int, as_of: dt.date, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate(communes=communes, people=people, seed=1, as_of=as_of)
    assert caught.value.field == field


@pytest.mark.parametrize("people", [1, 10])
def test_tiny_countries_are_consistent(communes: pl.DataFrame, people: int) -> None:
    country = generate(communes=communes, people=people, seed=1, as_of=AS_OF)
    assert country.population_record.height == people
    person_ids = set(country.person.get_column("id"))
    assert set(country.participation.get_column("person_id")) <= person_ids
    assert set(country.participation.get_column("employer_id").drop_nulls()) <= set(country.employer.get_column("id"))


def test_the_folded_name_expression_is_name_key() -> None:
    from ansinh.synth.codes import name_keys

    names = pl.Series(["ĐẶNG  văn Ứng", " Nguyễn Thị Đào ", "Lê\tHoàng  Yến", "Ông Ích Khiêm"])
    folded = pl.select(name_keys(pl.lit(names))).to_series().to_list()
    assert folded == [name_key(n) for n in names]
