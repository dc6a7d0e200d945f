"""Knowledge v2: seed records keep their id and conditions as columns; first-seed records are
marked as replaced by the v2 knowledge.

The columns (record id, mode, sizes, variant, task, runtime, origin, verified_on,
superseded_by) let searches filter curated elements by the conditions of the records they
came from. Every seed record already applied is a first-seed (v1) record: it is marked
`superseded_by = 'seed-v2'`. Opening the library then applies the v2 records and retires the
curated elements only v1 records named (`store/seeding.py`); the user's own elements, their
tags and provenance are not touched here or there.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRED_BY_V2 = "seed-v2"
"""The `superseded_by` of a first-seed record (the same text as `seeding.RETIRED_BY_V2`)."""

COLUMNS = (
    ("record_id", 200),
    ("mode", 20),
    ("sizes", 300),
    ("variant", 40),
    ("task", 20),
    ("runtime", 200),
    ("origin", 40),
    ("verified_on", 10),
    ("superseded_by", 200),
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("seed_record", schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.create_index(batch_op.f("ix_seed_record_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_seed_record_origin"), ["origin"], unique=False)
    seed_record = sa.table(
        "seed_record",
        sa.column("record_id", sa.String()),
        sa.column("superseded_by", sa.String()),
    )
    op.execute(
        seed_record.update()
        .where(seed_record.c.record_id.is_(None))
        .values(superseded_by=RETIRED_BY_V2)
    )


def downgrade() -> None:
    """Revert this revision (the v2 records' rows stay, without their conditions)."""
    with op.batch_alter_table("seed_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seed_record_origin"))
        batch_op.drop_index(batch_op.f("ix_seed_record_record_id"))
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
