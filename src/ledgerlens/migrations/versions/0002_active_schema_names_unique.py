"""active schema names unique per tenant

A partial unique index on schemas (tenant_id, name) WHERE is_active, so two concurrent creates of
the same name cannot both succeed, whichever processes they run in. Duplicates that an earlier race
may have left are resolved first: the oldest active schema of a name stays active.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEX = "uq_schemas_tenant_active_name"


def upgrade() -> None:
    schemas = sa.table(
        "schemas",
        sa.column("id", sa.String),
        sa.column("tenant_id", sa.String),
        sa.column("name", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime),
    )
    older = schemas.alias("older")
    newer_duplicate = sa.exists().where(
        older.c.tenant_id == schemas.c.tenant_id,
        older.c.name == schemas.c.name,
        older.c.is_active.is_(True),
        sa.or_(
            older.c.created_at < schemas.c.created_at,
            sa.and_(older.c.created_at == schemas.c.created_at, older.c.id < schemas.c.id),
        ),
    )
    op.execute(
        schemas.update().where(schemas.c.is_active.is_(True), newer_duplicate).values(is_active=sa.false())
    )
    with op.batch_alter_table("schemas", schema=None) as batch_op:
        batch_op.create_index(
            INDEX,
            ["tenant_id", "name"],
            unique=True,
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        )


def downgrade() -> None:
    with op.batch_alter_table("schemas", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
