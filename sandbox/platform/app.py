"""create_app(settings): the platform as a FastAPI application."""

from __future__ import annotations

import random
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sandbox.platform.db import APPLICANT, APPROVER, open_database, seed_user
from sandbox.platform.faults import install_faults
from sandbox.platform.pages import install_error_pages
from sandbox.platform.routes import applicant, approver, element, element_api, login, sandbox_admin, service, wizard
from sandbox.platform.settings import PlatformSettings
from sandbox.platform.state import PlatformState, make_templates

STATIC_DIR = Path(__file__).resolve().parent / "static"  # the Element build's scripts and styles, served locally


def create_app(settings: PlatformSettings) -> FastAPI:
    app = FastAPI(title="approval platform (sandbox)", docs_url=None, redoc_url=None, openapi_url=None)
    sessions = open_database(settings.db_path)
    with sessions() as db:
        seed_user(db, settings.applicant_username, settings.applicant_password, APPLICANT)
        seed_user(db, settings.approver_username, settings.approver_password, APPROVER)
    app.state.platform = PlatformState(
        settings=settings,
        faults=settings.initial_faults(),
        sessions=sessions,
        templates=make_templates(),
        rng=random.Random(settings.seed),
    )
    for module in (service, login, applicant, wizard, approver, element, element_api):
        app.include_router(module.router)
    if settings.admin:
        app.include_router(sandbox_admin.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
    install_faults(app)
    return app
