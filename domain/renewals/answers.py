"""The holder's two answers to the invitation to authorise a seamless renewal, in a module of their own: staff give
one on the command line, whose `--help` lists them without loading the store."""

from __future__ import annotations

from enum import StrEnum


class Answer(StrEnum):
    GIVEN = "given"  # 回复1: authorises the bureau to file the renewal, conditions unchanged
    CHANGED = "changed"  # 回复2: something changed, a person helps
