"""The service officers and the townships each serves, read from `roster.yaml` (operators may point to their own).
A township has one officer at most, so a case is never given to two; one no officer serves is unassigned."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.staff import Person
from ground.yaml_files import load_yaml_model

DEFAULT_FILE = Path(__file__).resolve().parent / "roster.yaml"
UNASSIGNED = "未分配"


class Officer(Person):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    townships: tuple[str, ...] = Field(min_length=1)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.id}）"


class Roster(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    officers: tuple[Officer, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_officer_each(self) -> Roster:
        twice = [name for name, n in Counter(o.id for o in self.officers).items() if n > 1]
        twice += [name for name, n in Counter(t for o in self.officers for t in o.townships).items() if n > 1]
        if twice:
            raise ValueError(f"officer ids and townships must each be listed once: {sorted(twice)} are not")
        return self

    def for_township(self, township: str | None) -> Officer | None:
        return next((o for o in self.officers if township in o.townships), None)

    def officer(self, officer_id: str) -> Officer:
        found = next((o for o in self.officers if o.id == officer_id), None)
        if found is None:
            raise UnknownOfficer(f"no officer {officer_id!r} in the roster; known: {[o.id for o in self.officers]}")
        return found

    def label_of(self, township: str | None) -> str:
        """Who serves a township, as the figures group by it (unassigned ones together)."""
        officer = self.for_township(township)
        return UNASSIGNED if officer is None else officer.label


class UnknownOfficer(LookupError):
    """An officer id the roster does not list."""


def load_roster(path: Path = DEFAULT_FILE) -> Roster:
    return load_yaml_model(path, Roster)
