"""Alembic environment: the engine comes from `ground.store.db.alembic_config`, never from an ini file."""

from alembic import context

from ground.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
