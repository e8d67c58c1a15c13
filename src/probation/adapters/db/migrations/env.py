"""Alembic environment: the URL comes from the caller's config (PROBATION_DATABASE_URL by default)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from probation.adapters.db import load_all_tables
from probation.adapters.db.engine import make_engine
from probation.adapters.db.tables import Base

load_all_tables()
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
