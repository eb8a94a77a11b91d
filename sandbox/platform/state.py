"""What one running instance holds: its settings, its current faults, its database and its templates."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, cast

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData
from starlette.templating import Jinja2Templates

from sandbox.platform.layouts import LAYOUTS, Layout
from sandbox.platform.settings import Faults, PlatformSettings
from sandbox.platform.views import opinion

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass
class PlatformState:
    settings: PlatformSettings
    faults: Faults
    sessions: sessionmaker[Session]
    templates: Jinja2Templates
    rng: random.Random

    @property
    def layout(self) -> Layout:
        return LAYOUTS[self.faults.layout]

    def now(self) -> datetime:
        return self.settings.clock()


@cache
def make_templates() -> Jinja2Templates:
    # Autoescape every template whatever its file name (*.html.j2 is not in Jinja's default list).
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined)
    env.globals["opinion"] = opinion
    return Jinja2Templates(env=env)


def get_state(request: Request) -> PlatformState:
    return cast(PlatformState, request.app.state.platform)


StateDep = Annotated[PlatformState, Depends(get_state)]


def get_db(state: StateDep) -> Iterator[Session]:
    with state.sessions() as db:
        yield db


DbDep = Annotated[Session, Depends(get_db)]


async def get_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(get_form)]
