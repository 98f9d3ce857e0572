"""Alembic environment: migrations run on the engine esgledger passes in."""

from alembic import context

from esgledger.ledger.schema import Base

database = context.config.attributes["database"]

with database.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
