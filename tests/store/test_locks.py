"""One process at a time for a kind of work on a database, on SQLite (file lock) and PostgreSQL (advisory lock)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from agent.store.locks import Held, alone


def test_a_second_holder_is_refused_until_the_first_lets_go(store: Engine) -> None:
    with alone(store, "bots", "another bot round is at work"):
        with (
            pytest.raises(Held, match="another bot round is at work on"),
            alone(store, "bots", "another bot round is at work"),
        ):
            pass
        with alone(store, "serve", "another `proactive serve` is running"):  # another kind of work is free
            pass
    with alone(store, "bots", "another bot round is at work"):  # let go: free again
        pass
