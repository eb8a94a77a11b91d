"""One process at a time for a kind of work on a database, on SQLite (file lock) and PostgreSQL (advisory lock)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from ground.store import open_store
from ground.store.locks import Held, alone


def test_a_second_holder_is_refused_until_the_first_lets_go(store: Engine) -> None:
    with alone(store, "bots:status_sync", "another bot round is at work"):
        with (
            pytest.raises(Held, match="another bot round is at work on"),
            alone(store, "bots:status_sync", "another bot round is at work"),
        ):
            pass
        with alone(store, "serve", "another `proactive serve` is running"):  # another kind of work is free
            pass
    with alone(store, "bots:status_sync", "another bot round is at work"):  # let go: free again
        pass


def test_a_second_holder_through_a_symlink_to_the_same_file_is_refused(tmp_path: Path) -> None:
    first = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "linked.db").symlink_to(tmp_path / "store.db")
    second = create_engine(f"sqlite:///{tmp_path / 'elsewhere' / 'linked.db'}")
    running = "another `proactive serve` is running"
    with alone(first, "serve", running), pytest.raises(Held, match="linked"), alone(second, "serve", running):
        pass
