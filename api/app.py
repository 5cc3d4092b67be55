"""The FastAPI application factory."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

import api.routers
from api import docs, problems
from api.access import operations
from api.console.app import console_app
from api.limits import RequestLimits
from api.middleware import RequestIdMiddleware
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings


def create_app(services: Services | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app. Given `services`, the caller owns them; otherwise they are built on
    start-up from settings and closed on shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        if owned:
            cfg = settings or Settings()
            configure_logging(cfg.log_format, cfg.log_level)
            app.state.services = bootstrap(cfg)
        else:
            app.state.services = services
        follower = app.state.services.follower
        follower.start(app.state.services.settings.follower_interval_seconds)
        try:
            yield
        finally:
            follower.stop()
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="jixiao 绩效",
        version="0.1.0",
        description="花钱必问效，无效必问责 — an event-sourced ledger for budget performance "
        "management. Every command is an immutable event signed by the token's person.",
        lifespan=lifespan,
        docs_url=None,  # served from the package by api/docs: no CDN (offline intranets)
        redoc_url=None,
    )
    app.add_middleware(RequestLimits)  # size, time and storable text, before anything reads
    app.add_middleware(RequestIdMiddleware)  # outermost: refusals above carry the id too
    problems.install(app)
    for info in sorted(pkgutil.iter_modules(api.routers.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"api.routers.{info.name}")
        if hasattr(module, "router"):
            app.include_router(module.router)
    # The read-only console: a mounted app, so its pages are not API operations; its reads
    # go through the API's gate (api/console/reads.py). `/` opens it.
    app.mount("/console", console_app(app))
    app.add_route("/", lambda request: RedirectResponse("/console/"), include_in_schema=False)
    app.state.access_operations = operations(app)  # refuses to start if a route has no rule
    docs.install(app)
    return app
