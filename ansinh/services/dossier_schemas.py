"""Dossiers at the edge: what an applicant, an officer or the national portal sends, and
what each is shown back.

Three views of one dossier, by who asks: the applicant and the staff who handle it see
:class:`DossierPublic` (everything, with its history); anyone holding the receipt code and
the citizen ID sees :class:`DossierTrack` (where it is and against which deadline, nothing
of its content); an office's queue lists :class:`QueueRow`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from ansinh.services.calendar import DeadlineStatus
from ansinh.services.models import Channel, DossierStatus

PHONE_PATTERN = r"^(0|\+84)[0-9]{9,10}$"
"""A Vietnamese mobile or landline number: 0 or +84, then 9 or 10 digits."""
MAX_DOCUMENTS = 20
MAX_NOTE = 2000


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UploadIn(_Input):
    """A file handed in, carried inline: the dossier and its files are written together or not at all."""

    document_code: str = Field(min_length=1, max_length=40, description="A document code of the procedure.")
    filename: str = Field(min_length=1, max_length=200)
    media_type: str = Field(min_length=1, max_length=80, description="application/pdf, image/jpeg or image/png.")
    content_base64: str = Field(min_length=1, description="The file, base64-encoded.")

    def content(self) -> bytes:
        """The decoded file; malformed base64 is refused naming the field."""
        try:
            return base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError):
            from ansinh.core.errors import InvalidInput

            raise InvalidInput(f"{self.filename}: content_base64 is not valid base64", code="upload.base64",
                               field="documents.content_base64",
                               rule="files are sent base64-encoded (RFC 4648)") from None


class Contact(_Input):
    contact_email: EmailStr | None = None
    contact_phone: str | None = Field(default=None, pattern=PHONE_PATTERN)


class DossierSubmit(Contact):
    """An application: online by the applicant, or at a counter by an officer on their behalf."""

    procedure_code: str = Field(min_length=1, max_length=20)
    citizen_id: str = Field(description="The citizen ID of the person the dossier is about.")
    data: dict[str, Any] = Field(description="The data the procedure asks for (its data_schema).")
    documents: list[UploadIn] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    office_code: str | None = Field(default=None, max_length=20, description=(
        "Where it is handed in: any office for an any-office procedure; by default the office "
        "responsible for the person's records. At a counter, the officer's own office."))
    applicant_name: str | None = Field(default=None, min_length=1, max_length=120, description=(
        "At a counter: the name of whoever hands it in; online it is the signed-in account's."))


class PortalDossierIn(Contact):
    """A dossier forwarded by the National Public Service Portal."""

    portal_dossier_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    procedure_code: str = Field(min_length=1, max_length=20)
    citizen_id: str
    applicant_name: str = Field(min_length=1, max_length=120)
    data: dict[str, Any]
    documents: list[UploadIn] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    office_code: str | None = Field(default=None, max_length=20)


class SupplementItem(_Input):
    """One thing missing: a document of the procedure, a field of its data, or both, and what is wrong."""

    document_code: str | None = Field(default=None, max_length=40)
    field: str | None = Field(default=None, max_length=80)
    note: str = Field(min_length=3, max_length=500, description="Exactly what is missing or wrong.")


class SupplementRequest(_Input):
    items: list[SupplementItem] = Field(min_length=1, max_length=20)


class SupplementAnswer(_Input):
    """What the applicant hands in: the missing files, corrected data fields, a note."""

    documents: list[UploadIn] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    data: dict[str, Any] = Field(default_factory=dict, description="Fields replacing those of the first filing.")
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @model_validator(mode="after")
    def _something(self) -> SupplementAnswer:
        if not self.documents and not self.data:
            raise ValueError("an answer hands in at least one document or one corrected field")
        return self


class Assignment(_Input):
    assignee: str = Field(min_length=1, max_length=64, description="Username of an officer of the holding office.")


class Decision(_Input):
    approve: bool
    reasons: str | None = Field(default=None, max_length=MAX_NOTE, description="Required when refusing.")

    @field_validator("reasons")
    @classmethod
    def _meaningful(cls, value: str | None) -> str | None:
        return value or None


class Delivery(_Input):
    note: str | None = Field(default=None, max_length=MAX_NOTE, description="How it was delivered.")


class OfficeRef(BaseModel):
    code: str
    name: str


class DocumentMeta(BaseModel):
    id: int
    document_code: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    for_supplement: bool


class HistoryStep(BaseModel):
    """One step, with how many working days after receipt it came (None before receipt)."""

    seq: int
    action: str
    from_status: DossierStatus | None
    to_status: DossierStatus
    at: dt.datetime
    day: dt.date
    actor: str | None = Field(description="The account that took the step; staff are not named to applicants.")
    role: str
    office: OfficeRef | None
    note: str | None
    working_day: int | None


class DossierPublic(BaseModel):
    """A dossier in full, as its applicant and the staff handling it see it."""

    id: int
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    channel: Channel
    portal_dossier_id: str | None
    status: DossierStatus
    citizen_id: str
    applicant_name: str
    contact_email: str | None
    contact_phone: str | None
    data: dict[str, Any]
    submitted_at: dt.datetime
    receiving_office: OfficeRef
    office: OfficeRef | None = Field(description="The office holding it now (from receipt).")
    assignee: str | None
    received_on: dt.date | None
    deadline_working_days: int | None
    due_on: dt.date | None
    deadline_status: DeadlineStatus | None = Field(description="Against the due date on the day asked (open dossiers).")
    on_time: bool | None = Field(description="Decided on or before the due date (decided dossiers).")
    paused: list[tuple[dt.date, dt.date | None]]
    supplement_request: list[SupplementItem] | None
    decided_on: dt.date | None
    decision_reasons: str | None
    result: dict[str, Any] | None
    delivered_on: dt.date | None
    documents: list[DocumentMeta]
    history: list[HistoryStep]
    version: int


class TrackStep(BaseModel):
    status: DossierStatus
    day: dt.date


class DossierTrack(BaseModel):
    """Where a dossier is, for whoever holds its receipt code and citizen ID: nothing of its content."""

    receipt_code: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    status: DossierStatus
    office_name: str | None
    received_on: dt.date | None
    due_on: dt.date | None
    deadline_status: DeadlineStatus | None
    on_time: bool | None
    steps: list[TrackStep]


class QueueRow(BaseModel):
    """A line of an office's queue."""

    id: int
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    status: DossierStatus
    citizen_id: str
    applicant_name: str
    channel: Channel
    received_on: dt.date | None
    due_on: dt.date | None
    deadline_status: DeadlineStatus | None
    assignee: str | None
    receiving_office: OfficeRef


class DossierSummary(BaseModel):
    """A line of an applicant's own list."""

    id: int
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    status: DossierStatus
    citizen_id: str
    submitted_at: dt.datetime
    due_on: dt.date | None
    deadline_status: DeadlineStatus | None


class PortalReceipt(BaseModel):
    """The answer to the portal: the dossier, and whether this call created it."""

    created: bool
    dossier: DossierPublic
