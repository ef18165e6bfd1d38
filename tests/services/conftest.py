"""A desk for dossier tests: a citizen of Hà Nội, officers in Hà Nội and in Hồ Chí Minh City."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from ansinh.accounts import service as accounts
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Role
from ansinh.core.clock import VIETNAM
from ansinh.db.uow import UnitOfWork
from ansinh.services.dossier_schemas import DossierSubmit, UploadIn
from tests.factories import register_person
from tests.signin import PASSWORD, citizen_account, staff

HANOI = "P34-01"
"""The office responsible for a resident of Hoàn Kiếm (Hà Nội) from 2025-07-01."""
SAIGON = "P34-79"
"""Another province's office, where a Hà Nội resident may hand in an any-office dossier."""
CITIZEN_ID = "001185004321"
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] "
               b"/Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An instant in Vietnam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def pdf_upload(code: str = "form_tk1_ts", filename: str = "tk1-ts.pdf") -> UploadIn:
    return UploadIn(document_code=code, filename=filename, media_type="application/pdf",
                    content_base64=base64.b64encode(MINIMAL_PDF).decode())


def correction(**changes: object) -> DossierSubmit:
    """A request to correct the name (procedure 608), with its form."""
    data = {"procedure_code": "608", "citizen_id": CITIZEN_ID,
            "data": {"citizen_id": CITIZEN_ID, "field": "full_name", "new_value": "Phạm Thị Thu Hương"},
            "documents": [pdf_upload().model_dump()], "contact_email": "huong@example.vn",
            "contact_phone": "0912345678"}
    data.update(changes)
    return DossierSubmit.model_validate(data)


@dataclass(frozen=True)
class Desk:
    engine: Engine
    citizen: Principal
    saigon: Principal
    hanoi: Principal
    hanoi_second: Principal

    @property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)


def principal(engine: Engine, username: str) -> Principal:
    now = dt.datetime(2026, 1, 5, 9, tzinfo=VIETNAM)
    return accounts.sign_in(uow=UnitOfWork(engine), username=username, password=PASSWORD, now=now).principal


@pytest.fixture
def desk(db: Engine) -> Desk:
    person = register_person(UnitOfWork(db))
    citizen_account(db, person.citizen_id, "huong")
    staff(db, role=Role.OFFICER, office_code=SAIGON, username="officer.saigon")
    staff(db, role=Role.OFFICER, office_code=HANOI, username="officer.hanoi")
    staff(db, role=Role.OFFICER, office_code=HANOI, username="officer.hanoi2")
    return Desk(db, principal(db, "huong"), principal(db, "officer.saigon"), principal(db, "officer.hanoi"),
                principal(db, "officer.hanoi2"))
