"""What an approved dossier does: the procedure's service verb, called with the dossier's data.

Each available procedure names the verb that carries it out (``service_verb`` in its
catalogue file); this module holds, per verb, how a dossier's data becomes that verb's
input and how its answer becomes the dossier's result. The verb runs in the decision's
transaction: if it refuses, the decision is not recorded and the officer sees why.
A procedure marked available whose verb has no executor here is refused at load by the
catalogue test, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput
from ansinh.db.uow import UnitOfWork
from ansinh.registry import service as registry
from ansinh.registry.schemas import PersonUpdate


@dataclass(frozen=True)
class Execution:
    """The verb's inputs, as the dossier gives them."""

    uow: UnitOfWork
    citizen_id: str
    data: Mapping[str, Any]
    on: dt.date
    actor: Actor
    at: dt.datetime


Executor = Callable[[Execution], dict[str, Any]]

CORRECTABLE = {"full_name": "full_name", "residence": "residence_commune_code"}
"""Details a correction (procedure 608) changes in the registry, and the registry's name for each."""


def correct_person(run: Execution) -> dict[str, Any]:
    """Correct a registered detail: the name as the population register holds it, or the residence."""
    field = run.data["field"]
    if field not in CORRECTABLE:
        raise InvalidInput(f"correcting {field} is not built", code="dossier.correction_field", field="data.field",
                           rule=f"corrections cover {', '.join(CORRECTABLE)}")
    update = PersonUpdate.model_validate({CORRECTABLE[field]: run.data["new_value"]})
    person = registry.update_person(uow=run.uow, key=run.citizen_id, data=update, as_of=run.on,
                                    actor=run.actor, at=run.at)
    return {"kind": "record", "citizen_id": person.citizen_id, "si_number": person.si_number,
            "corrected": field, "full_name": person.full_name,
            "residence": f"{person.residence.name}, {person.residence.province_name} ({person.residence.code})",
            "note": "Sổ BHXH điện tử (VssID) hiển thị thông tin đã điều chỉnh từ ngày giải quyết."}


EXECUTORS: dict[str, Executor] = {
    "ansinh.registry.service.update_person": correct_person,
}


def executor_for(service_verb: str | None) -> Executor:
    """The executor of a verb; a procedure without one cannot be decided."""
    executor = EXECUTORS.get(service_verb or "")
    if executor is None:
        raise InvalidInput(f"no executor carries out {service_verb}", code="dossier.no_executor",
                           field="procedure_code", rule="an available procedure has an executor for its verb")
    return executor
