"""``/api/v1/portal``: the National Public Service Portal's way in.

The portal is a machine client: an account of kind ``portal`` calling with its API key
(``X-API-Key``), whose only permission is ``portal.forward``. It forwards the dossiers
citizens file on the portal, and reads back where each stands. Forwarding is idempotent on
the portal's own dossier id, so the portal may resend after a timeout without filing twice:
the first call answers 201 ``created: true``, a repeat with the same content 200
``created: false`` with the same dossier, and the same id with other content 409
``dossier.portal_duplicate``. What happens afterwards reaches the portal as status
callbacks through the outbox (docs/portal.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission
from ansinh.api.auth import needs, require
from ansinh.api.deps import AsOf, UowDep
from ansinh.core import clock
from ansinh.services import dossiers, views
from ansinh.services.dossier_schemas import PortalDossierIn, PortalReceipt
from ansinh.services.portal_views import PortalDossierStatus, portal_status

router = APIRouter(prefix="/portal", tags=["portal"])

Portal = Annotated[Principal, Depends(require(Permission.PORTAL_FORWARD))]
PortalDossierId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$",
                                      description="The portal's own id of the dossier.")]


@router.post("/dossiers", status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "Already received with the same content: the same dossier.",
                              "model": PortalReceipt}})
def forward_dossier(data: PortalDossierIn, uow: UowDep, principal: Portal, response: Response) -> PortalReceipt:
    """Take a dossier filed on the national portal; resending the same one answers the same dossier."""
    handled, created = dossiers.submit_from_portal(uow=uow, principal=principal, data=data, at=clock.now())
    if not created:
        response.status_code = status.HTTP_200_OK
    dossier = views.get_dossier(uow=uow, principal=principal, dossier_id=handled.id, on=clock.today())
    return PortalReceipt(created=created, dossier=dossier)


@router.get("/dossiers/{portal_dossier_id}", dependencies=needs(Permission.PORTAL_FORWARD))
def forwarded_status(portal_dossier_id: PortalDossierId, uow: UowDep, as_of: AsOf) -> PortalDossierStatus:
    """Where a dossier the portal forwarded stands: status, office, deadline, the day of each step."""
    return portal_status(uow=uow, portal_dossier_id=portal_dossier_id, on=as_of)
