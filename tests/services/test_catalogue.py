"""The procedure catalogue: what it holds, the rules every entry keeps, and malformed files refused."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from ansinh.core.errors import NotFound
from ansinh.services.catalogue import (
    DATA_DIR,
    CatalogueLoadError,
    default_catalogue,
    get_procedure,
    list_procedures,
    load_catalogue,
    resolve_verb,
)
from ansinh.services.executors import EXECUTORS
from ansinh.services.schemas import Applicant, Domain, Status

PROCEDURES = default_catalogue().procedures


def test_the_catalogue_spans_every_domain_with_at_least_thirty_procedures() -> None:
    """47 procedures: the seed's rows that could be filled in, plus those Law 41 adds."""
    counts = Counter(p.domain for p in PROCEDURES.values())
    assert len(PROCEDURES) == 47
    assert set(counts) == set(Domain)
    assert counts == {
        Domain.COLLECTION: 11, Domain.CARDS: 6, Domain.SHORT_TERM: 3, Domain.WORK_INJURY: 5,
        Domain.LONG_TERM: 8, Domain.PAYMENT: 4, Domain.HEALTH: 4, Domain.CROSS_CUTTING: 6,
    }


@pytest.mark.parametrize("code", [
    "600", "602", "603", "604", "608", "610", "612", "613", "630", "635", "639", "652",
    "AS-PENSION", "AS-LUMP-SUM", "AS-SURVIVOR", "AS-RETIREMENT-ALLOWANCE", "AS-SOCIAL-PENSION",
    "AS-WI-FIRST", "AS-PARTICIPATION-STATEMENT", "AS-HI-COPAY-WAIVER", "AS-HI-SETTLEMENT",
])
def test_the_procedures_the_issue_names_are_there(code: str) -> None:
    assert get_procedure(code).code == code


def test_every_service_verb_imports_and_the_available_ones_do_the_whole_job() -> None:
    available = {c: p.service_verb for c, p in PROCEDURES.items() if p.availability.status == Status.AVAILABLE}
    assert available == {
        "AS-ESTIMATE": "ansinh.quote.service.quote",
        "AS-HISTORY-LOOKUP": "ansinh.registry.service.person_file",
        "608": "ansinh.registry.service.update_person",
    }
    for procedure in PROCEDURES.values():
        if procedure.service_verb is not None:
            assert callable(resolve_verb(procedure.service_verb)), procedure.code


def test_every_available_procedure_that_takes_dossiers_has_an_executor() -> None:
    """A dossier procedure marked available can be decided: its verb has an executor."""
    takes_dossiers = [p for p in PROCEDURES.values()
                      if p.availability.status == Status.AVAILABLE and p.deadline_working_days is not None]
    assert [p.code for p in takes_dossiers] == ["608"]
    for procedure in takes_dossiers:
        assert procedure.service_verb in EXECUTORS, procedure.code


def test_a_procedure_not_yet_available_names_the_area_that_will_build_it() -> None:
    waiting = [p for p in PROCEDURES.values() if p.availability.status == Status.NOT_YET_AVAILABLE]
    assert len(waiting) == 44
    assert all(p.availability.area is not None for p in waiting)
    assert get_procedure("AS-SOCIAL-PENSION").availability.area == "outside"  # decided outside the agency


def test_no_procedure_asks_for_a_document_the_agency_or_the_register_holds() -> None:
    held = set(default_catalogue().held)
    assert {"citizen_id_copy", "household_book", "si_book"} <= held
    for procedure in PROCEDURES.values():
        asked = {d.code for d in procedure.documents}
        assert not asked & held, procedure.code
        assert not asked & {n.code for n in procedure.documents_not_asked}, procedure.code


def test_the_benefit_dossiers_law_41_lists_the_si_book_in_do_not_ask_for_it() -> None:
    """Law 41 Art 24.1, 77.1 and 78.1 list the SI book; ansinh reads it from its own record."""
    for code in ("AS-RETIREMENT-ALLOWANCE", "AS-PENSION", "AS-LUMP-SUM"):
        assert "si_book" in {d.code for d in get_procedure(code).documents_not_asked}


def test_deadlines_are_those_law_41_states_and_carry_their_article() -> None:
    """Art 48.3 sickness 7; Art 79.3 lump sum 7; Art 91.3 survivors 10; Art 24.2 the art. 23 allowance 5;
    Art 62.3 maternity filed by the worker 5; Art 81.2 resuming 10; Art 82.2 payment changes 5.
    The pension's 20 days (Art 79.3) exclude only public holidays, so they are no working-day figure."""
    expected = {"630": 7, "AS-LUMP-SUM": 7, "AS-SURVIVOR": 10, "AS-RETIREMENT-ALLOWANCE": 5,
                "AS-MATERNITY-DIRECT": 5, "AS-RESUME": 10, "639": 5, "635": 5, "AS-PENSION": None}
    assert {code: PROCEDURES[code].deadline_working_days for code in expected} == expected
    assert "Art 79.3" in (PROCEDURES["AS-PENSION"].deadline_note or "")
    for procedure in PROCEDURES.values():
        if procedure.deadline_working_days is not None:
            assert procedure.deadline_basis and "Art" in procedure.deadline_basis, procedure.code


def test_only_the_national_code_seen_in_a_source_is_given() -> None:
    """1.001667 is in the national TTHC data; 1.003459 came from a demo and is left out."""
    assert {c: p.national_code for c, p in PROCEDURES.items() if p.national_code} == {"630": "1.001667"}


def test_any_office_is_marked_unverified_for_every_dossier_procedure() -> None:
    """No published list of procedures received regardless of residence was found (docs/procedures.md)."""
    tools = {"AS-ESTIMATE", "AS-HISTORY-LOOKUP"}
    for code, procedure in PROCEDURES.items():
        if code not in tools:
            assert any("any_office" in item for item in procedure.evidence.unverified), code


def test_filters_by_domain_and_by_applicant() -> None:
    cards = list_procedures(domain=Domain.CARDS)
    assert [p.code for p in cards] == ["603", "607", "608", "610", "612", "613"]
    facility = {p.code for p in list_procedures(applicant=Applicant.FACILITY)}
    assert {"AS-HI-SETTLEMENT", "AS-HI-CONTRACT"} <= facility
    assert "630" not in facility
    both = list_procedures(domain=Domain.HEALTH, applicant=Applicant.CITIZEN)
    assert [p.code for p in both] == ["AS-HI-COPAY-WAIVER", "AS-HI-DIRECT"]


def test_an_unknown_code_is_not_found_naming_the_field() -> None:
    with pytest.raises(NotFound) as caught:
        get_procedure("999")
    assert (caught.value.code, caught.value.field) == ("procedure.unknown", "code")


def test_the_catalogue_is_read_once() -> None:
    assert default_catalogue() is default_catalogue()


def test_the_public_form_spells_out_the_held_documents() -> None:
    procedure = get_procedure("608")
    held = {n.code: n for n in procedure.documents_not_asked}
    assert held["citizen_id_copy"].held_by == "population_register"
    assert held["citizen_id_copy"].note == "The corrected identity is read from the population register."
    assert procedure.data_schema["additionalProperties"] is False
    assert "citizen_id" in procedure.data_schema["required"]


# --- malformed files, loaded from a copy of the data in a temporary directory ---------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A catalogue directory holding the held documents and one good procedure (612)."""
    (tmp_path / "procedures").mkdir()
    shutil.copy(DATA_DIR / "held_documents.yaml", tmp_path / "held_documents.yaml")
    shutil.copy(DATA_DIR / "procedures" / "612.yaml", tmp_path / "procedures" / "612.yaml")
    return tmp_path


def _write(data: Path, text: str, name: str = "612.yaml") -> Path:
    path = data / "procedures" / name
    path.write_text(text, encoding="utf-8")
    return path


def _good() -> str:
    return (DATA_DIR / "procedures" / "612.yaml").read_text(encoding="utf-8")


def test_the_copied_procedure_loads(data: Path) -> None:
    assert list(load_catalogue(data).procedures) == ["612"]


def test_a_key_given_twice_is_refused_naming_file_and_key(data: Path) -> None:
    path = _write(data, _good().replace("any_office: true\n", "any_office: true\nany_office: false\n"))
    with pytest.raises(CatalogueLoadError, match="duplicate key 'any_office'") as caught:
        load_catalogue(data)
    assert str(path) in str(caught.value)


def test_an_unknown_field_is_refused_naming_file_and_key(data: Path) -> None:
    path = _write(data, _good() + "fee: 0\n")
    with pytest.raises(CatalogueLoadError, match=r"612\.yaml: fee: unknown key") as caught:
        load_catalogue(data)
    assert str(path) in str(caught.value)


def test_a_missing_name_is_refused_naming_file_and_key(data: Path) -> None:
    text = "\n".join(line for line in _good().splitlines() if not line.startswith("name_vi:"))
    _write(data, text)
    with pytest.raises(CatalogueLoadError, match=r"612\.yaml: name_vi: Field required"):
        load_catalogue(data)


def test_a_document_the_agency_holds_cannot_be_asked_for(data: Path) -> None:
    asked = '  - {code: si_book, name_vi: "Sổ BHXH", name_en: "SI book", required: true}\n'
    _write(data, _good().replace("documents:\n", "documents:\n" + asked, 1))
    with pytest.raises(CatalogueLoadError, match=r"612\.yaml: documents\.0\.code: 'si_book' is held by ansinh"):
        load_catalogue(data)


def test_a_document_both_asked_and_not_asked_is_refused(data: Path) -> None:
    asked = '  - {code: hi_card_copy, name_vi: "Thẻ cũ", name_en: "Old card", required: true}\n'
    _write(data, _good().replace("documents:\n", "documents:\n" + asked, 1))
    with pytest.raises(CatalogueLoadError, match=r"612\.yaml: \(file\)|612\.yaml: .*hi_card_copy"):
        load_catalogue(data)


def test_a_service_verb_that_does_not_exist_is_refused(data: Path) -> None:
    _write(data, _good().replace("service_verb: null", "service_verb: ansinh.registry.service.issue_card"))
    with pytest.raises(CatalogueLoadError, match=r"612\.yaml: service_verb: ansinh\.registry\.service\.issue_card"):
        load_catalogue(data)


def test_available_without_a_verb_is_refused(data: Path) -> None:
    text = _good().replace("availability: {status: not_yet_available, area: health}",
                           "availability: {status: available}")
    _write(data, text)
    with pytest.raises(CatalogueLoadError, match="names the service_verb"):
        load_catalogue(data)


def test_a_deadline_without_its_article_is_refused(data: Path) -> None:
    _write(data, _good().replace("deadline_working_days: null", "deadline_working_days: 7"))
    with pytest.raises(CatalogueLoadError, match="deadline_basis"):
        load_catalogue(data)


def test_a_file_named_for_another_code_is_refused(data: Path) -> None:
    (data / "procedures" / "612.yaml").rename(data / "procedures" / "613.yaml")
    with pytest.raises(CatalogueLoadError, match=r"613\.yaml: code: '612' is not the file's name '613'"):
        load_catalogue(data)


def test_a_comma_in_an_unquoted_flow_value_is_caught_as_an_unknown_keyword(data: Path) -> None:
    bad = '    reason: {enum: [lost, damaged], description: lost, or damaged}\n'
    text = _good().replace("    reason: {enum: [lost, damaged]}\n", bad)
    _write(data, text)
    with pytest.raises(CatalogueLoadError, match="unknown JSON Schema keywords"):
        load_catalogue(data)
