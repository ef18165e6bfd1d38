"""The FastAPI application: API routers under /api/v1 and the server-rendered pages."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from ansinh import __version__
from ansinh.api.deps import refuse_nul_characters
from ansinh.api.errors import PROBLEM_RESPONSES, install_error_handlers
from ansinh.core.settings import get_settings
from ansinh.db.engine import engine_for

API_PREFIX = "/api/v1"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the outbox worker when the settings ask the app to send messages itself."""
    from ansinh.services.outbox_worker import OutboxWorker

    interval = get_settings().outbox_interval_seconds
    worker = OutboxWorker(app.state.engine, interval) if interval > 0 else None
    if worker is not None:
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the application on ``engine`` (default: the configured database)."""
    from ansinh.accounts.api import router as accounts_router
    from ansinh.api.law import router as law_router
    from ansinh.audit.api import router as audit_router
    from ansinh.collection.compliance_api import ROUTERS as COMPLIANCE_ROUTERS
    from ansinh.collection.declarations_api import router as declarations_router
    from ansinh.collection.payments_api import bank_router, payments_router, people_contributions_router
    from ansinh.core.logging import configure_logging
    from ansinh.ledger.api import router as ledger_router
    from ansinh.org.api import router as org_router
    from ansinh.org.plans_api import router as plans_router
    from ansinh.quote.api import router as quote_router
    from ansinh.registry.api import employers_router, people_router
    from ansinh.services.api import router as procedures_router
    from ansinh.services.dossiers_api import outbox_router
    from ansinh.services.dossiers_api import router as dossiers_router
    from ansinh.services.portal_api import router as portal_router
    from ansinh.services.report_api import router as report_router
    from ansinh.web.app import mount_web

    app = FastAPI(
        lifespan=_lifespan,
        title="ansinh API",
        version=__version__,
        description="Social, health and unemployment insurance administration.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    configure_logging()
    app.state.engine = engine or engine_for()
    install_error_handlers(app)
    for router in (accounts_router, people_router, employers_router, org_router, plans_router, audit_router,
                   law_router, quote_router, procedures_router, dossiers_router, portal_router, outbox_router,
                   report_router, ledger_router):
        app.include_router(router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES,
                           dependencies=[Depends(refuse_nul_characters)])
    for router in (bank_router, payments_router, people_contributions_router):  # payments: docs/payments.md
        app.include_router(router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES,
                           dependencies=[Depends(refuse_nul_characters)])
    app.include_router(declarations_router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES,  # docs/declarations.md
                       dependencies=[Depends(refuse_nul_characters)])
    for router in COMPLIANCE_ROUTERS:  # arrears, risk, inspections: docs/arrears.md, docs/compliance.md
        app.include_router(router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES,
                           dependencies=[Depends(refuse_nul_characters)])
    mount_web(app)
    if get_settings().oidc_issuer:
        # The e-identity sign-in keeps its state (nonce, return path) in a signed cookie.
        app.add_middleware(SessionMiddleware, secret_key=get_settings().state_key or secrets.token_urlsafe(32),
                           https_only=get_settings().cookie_secure, same_site="lax")
    return app
