"""The store: canonical tables, the ledger and migrations, on SQLite or PostgreSQL."""

from ground.store.db import StoreUnavailable, create_store_engine, migrate, open_store

__all__ = ["StoreUnavailable", "create_store_engine", "migrate", "open_store"]
