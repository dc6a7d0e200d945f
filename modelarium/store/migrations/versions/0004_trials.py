"""Settings trials: the variants tried and every graded run (`store/trial_rows.py`).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "trial_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("think", sa.Boolean(), nullable=True),
        sa.Column("modelfile", sa.Text(), nullable=True),
        sa.Column("modelfile_hash", sa.String(length=64), nullable=False),
        sa.Column("element_hashes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_variant")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_trial_variant_key_hash")),
    )
    op.create_table(
        "trial_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=300), nullable=False),
        sa.Column("probe", sa.String(length=16), nullable=False),
        sa.Column("probe_version", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=100), nullable=False),
        sa.Column("repeat", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("ollama_version", sa.String(length=100), nullable=False),
        sa.Column("base_digest", sa.String(length=100), nullable=False),
        sa.Column("context_length", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("failure", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("tokens_per_second", sa.Float(), nullable=True),
        sa.Column("prompt_tokens_per_second", sa.Float(), nullable=True),
        sa.Column("load_seconds", sa.Float(), nullable=True),
        sa.Column("first_token_seconds", sa.Float(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["trial_variant.id"],
            name=op.f("fk_trial_run_variant_id_trial_variant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_run")),
    )
    with op.batch_alter_table("trial_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_run_model"), ["model"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_run_probe"), ["probe"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_run_variant_id"), ["variant_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("trial_run")
    op.drop_table("trial_variant")
