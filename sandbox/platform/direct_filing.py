"""Filing an application on this platform without its pages, for the simulated year's STAND-IN service officers (a
person files through the applicant pages; the bots are what is tested on them). The same submit, the same duplicate
guard, the same numbering as the pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from sandbox.platform import applications
from sandbox.platform.db import User, open_database
from sandbox.platform.fields import Data


class DirectFiling:
    def __init__(self, db_path: Path, username: str) -> None:
        self.sessions = open_database(db_path)
        self.username = username

    def submit(self, matter: str, data: Data, now: datetime) -> str:
        """The application number: a new one, or the one already filed under the same reference."""
        with self.sessions() as db:
            user = db.scalars(select(User).where(User.username == self.username)).one()
            try:
                return applications.submit(db, user, matter, data, now).application_no
            except applications.DuplicateReference as exc:
                return str(exc.args[0])
