"""The library schema: elements and their rows, tags, provenance, Modelfiles, seed records.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 20:58:56.066599
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "element",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("filter_terms", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("curated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_element")),
        sa.UniqueConstraint(
            "content_hash", "curated", name=op.f("uq_element_content_hash_curated")
        ),
    )
    with op.batch_alter_table("element", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_element_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_element_name"), ["name"], unique=False)

    op.create_table(
        "modelfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modelfile")),
    )
    with op.batch_alter_table("modelfile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_modelfile_is_draft"), ["is_draft"], unique=False)
        batch_op.create_index(batch_op.f("ix_modelfile_name"), ["name"], unique=False)

    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("category", "value", name=op.f("uq_tag_category_value")),
    )
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_value"), ["value"], unique=False)

    op.create_table(
        "element_tag",
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_element_tag_element_id_element"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_element_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("element_id", "tag_id", name=op.f("pk_element_tag")),
    )
    with op.batch_alter_table("element_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_element_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_message_element_id_element"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("element_id", "position", name=op.f("uq_message_element_id_position")),
    )
    op.create_table(
        "modelfile_element",
        sa.Column("modelfile_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_modelfile_element_element_id_element"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["modelfile_id"],
            ["modelfile.id"],
            name=op.f("fk_modelfile_element_modelfile_id_modelfile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("modelfile_id", "position", name=op.f("pk_modelfile_element")),
    )
    with op.batch_alter_table("modelfile_element", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_modelfile_element_element_id"), ["element_id"], unique=False
        )

    op.create_table(
        "parameter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_parameter_element_id_element"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parameter")),
        sa.UniqueConstraint(
            "element_id", "position", name=op.f("uq_parameter_element_id_position")
        ),
    )
    with op.batch_alter_table("parameter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parameter_name"), ["name"], unique=False)

    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("model", sa.String(length=300), nullable=False),
        sa.Column("model_digest", sa.String(length=100), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_provenance_element_id_element"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance")),
        sa.UniqueConstraint(
            "element_id",
            "host",
            "model",
            "model_digest",
            name=op.f("uq_provenance_element_id_host_model_model_digest"),
        ),
    )
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provenance_host"), ["host"], unique=False)
        batch_op.create_index(batch_op.f("ix_provenance_model"), ["model"], unique=False)

    op.create_table(
        "seed_record",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seed_version", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["element.id"],
            name=op.f("fk_seed_record_element_id_element"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seed_record")),
    )
    with op.batch_alter_table("seed_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seed_record_element_id"), ["element_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("seed_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seed_record_element_id"))

    op.drop_table("seed_record")
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provenance_model"))
        batch_op.drop_index(batch_op.f("ix_provenance_host"))

    op.drop_table("provenance")
    with op.batch_alter_table("parameter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parameter_name"))

    op.drop_table("parameter")
    with op.batch_alter_table("modelfile_element", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_modelfile_element_element_id"))

    op.drop_table("modelfile_element")
    op.drop_table("message")
    with op.batch_alter_table("element_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_element_tag_tag_id"))

    op.drop_table("element_tag")
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_value"))

    op.drop_table("tag")
    with op.batch_alter_table("modelfile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_modelfile_name"))
        batch_op.drop_index(batch_op.f("ix_modelfile_is_draft"))

    op.drop_table("modelfile")
    with op.batch_alter_table("element", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_element_name"))
        batch_op.drop_index(batch_op.f("ix_element_kind"))

    op.drop_table("element")
