"""The FastAPI application: API routers under /api/v1 and the server-rendered pages."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from ansinh import __version__
from ansinh.api.deps import refuse_nul_characters
from ansinh.api.errors import PROBLEM_RESPONSES, install_error_handlers
from ansinh.db.engine import engine_for

API_PREFIX = "/api/v1"


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the application on ``engine`` (default: the configured database)."""
    from ansinh.api.law import router as law_router
    from ansinh.core.logging import configure_logging
    from ansinh.org.api import router as org_router
    from ansinh.quote.api import router as quote_router
    from ansinh.registry.api import employers_router, people_router
    from ansinh.web.app import mount_web

    app = FastAPI(
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
    for router in (people_router, employers_router, org_router, law_router, quote_router):
        app.include_router(router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES,
                           dependencies=[Depends(refuse_nul_characters)])
    mount_web(app)
    return app
