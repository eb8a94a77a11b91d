"""The staff the service writes to or works through: a department's contact and supervisor, a service officer. A
mobile is checked when its file is read, so a chase never waits on a number nobody could have reached."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.registries.checks import cn_mobile


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=2)
    mobile: str  # E.164 once read

    @field_validator("mobile")
    @classmethod
    def _a_mobile(cls, value: str) -> str:
        number, problem = cn_mobile(value)
        if number is None:
            raise ValueError(f"{value!r} is not a Chinese mobile number ({problem})")
        return number
