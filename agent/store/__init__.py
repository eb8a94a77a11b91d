"""The store: canonical tables, the ledger and migrations, on SQLite or PostgreSQL."""

from agent.store.db import create_store_engine, migrate, open_store

__all__ = ["create_store_engine", "migrate", "open_store"]
