"""What the National Public Service Portal may read back: where a dossier it forwarded stands.

The portal knows its dossiers by its own id, and may ask about those it forwarded before
ansinh received them (no receipt code yet). It is told what a tracking citizen is told,
by :mod:`ansinh.services.views`' rules: status, office, deadline and the days of each step,
never the content. A dossier that did not come from the portal answers as no dossier.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select

from ansinh.core.errors import NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.org import work
from ansinh.org.directory import offices_by_id
from ansinh.services.calendar import DeadlineStatus
from ansinh.services.catalogue import default_catalogue
from ansinh.services.dossier_schemas import TrackStep
from ansinh.services.models import Channel, Dossier, DossierEvent, DossierStatus
from ansinh.services.views import deadline_status, on_time


class PortalDossierStatus(BaseModel):
    """A forwarded dossier's status for the portal: the tracking answer, keyed by the portal's id."""

    portal_dossier_id: str
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    status: DossierStatus
    office_code: str | None
    office_name: str | None
    received_on: dt.date | None
    due_on: dt.date | None
    deadline_status: DeadlineStatus | None
    on_time: bool | None
    decided_on: dt.date | None
    delivered_on: dt.date | None
    steps: list[TrackStep]


def portal_status(*, uow: UnitOfWork, portal_dossier_id: str, on: dt.date) -> PortalDossierStatus:
    """Where the portal's dossier ``portal_dossier_id`` stands on ``on``."""
    with uow:
        session = uow.session
        dossier = session.scalar(select(Dossier).where(Dossier.portal_dossier_id == portal_dossier_id,
                                                       Dossier.channel == Channel.PORTAL))
        if dossier is None:
            raise NotFound(f"no dossier came from the portal as {portal_dossier_id}", code="dossier.not_found",
                           field="portal_dossier_id", rule="the portal reads back the dossiers it forwarded")
        item = None
        if dossier.work_item_id is not None:
            item = work.work_items(uow=uow, ids=[dossier.work_item_id]).get(dossier.work_item_id)
        office = offices_by_id(session, [item.office_id])[item.office_id] if item else None
        steps = session.execute(select(DossierEvent.to_status, DossierEvent.day)
                                .where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.seq))
        return PortalDossierStatus(
            portal_dossier_id=portal_dossier_id, receipt_code=dossier.receipt_code,
            procedure_code=dossier.procedure_code,
            procedure_name_vi=default_catalogue().procedures[dossier.procedure_code].name_vi,
            status=dossier.status, office_code=office.code if office else None,
            office_name=office.name if office else None, received_on=dossier.received_on, due_on=dossier.due_on,
            deadline_status=deadline_status(dossier, on), on_time=on_time(dossier), decided_on=dossier.decided_on,
            delivered_on=dossier.delivered_on, steps=[TrackStep(status=s, day=d) for s, d in steps])
