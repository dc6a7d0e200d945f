"""The normalized schema (SQLAlchemy 2 typed ORM).

Search objects (SQLite FTS5 tables and triggers, PostgreSQL tsvector columns and GIN indexes)
are not mapped here: the `0002` migration writes them per dialect and `SEARCH_OBJECT_NAMES`
keeps Alembic's autogenerate from trying to drop them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SEARCH_OBJECT_NAMES = frozenset(
    {
        f"{table}_{index}{shadow}"
        for table in ("element", "modelfile")
        for index in ("fts", "name_trgm")
        for shadow in ("", "_data", "_idx", "_docsize", "_config", "_content")
    }
    | {"search_vector", "name_vector", "ix_element_name_vector"}
    | {"filter_vector", "ix_element_filter_vector"}
    | {
        f"ix_{table}_{index}"
        for table in ("element", "modelfile")
        for index in ("search_vector", "name_trgm", "name_lower")
    }
)
"""Hand-written search tables, columns and indexes (migration 0002), hidden from autogenerate."""


def utc_now() -> datetime:
    """The current time in UTC (timestamps are set by the application, same on every engine)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention (stable names, Alembic batch mode on SQLite)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ElementRow(Base):
    """One reusable Modelfile part.

    `body` is the content for text kinds and a searchable rendering for parameter and message
    sets (whose content lives in their own rows); `keywords` is the tag values and notes, kept
    here so full-text search covers them; `filter_terms` are tokens for the kind, tags, hosts
    and models, which let the full-text index narrow filtered searches (see `search`).
    """

    __tablename__ = "element"
    __table_args__ = (UniqueConstraint("content_hash", "curated"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    filter_terms: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")
    curated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    parameters: Mapped[list[ParameterRow]] = relationship(
        order_by="ParameterRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    messages: Mapped[list[MessageRow]] = relationship(
        order_by="MessageRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    tags: Mapped[list[TagRow]] = relationship(secondary="element_tag", order_by="TagRow.id")
    provenance: Mapped[list[ProvenanceRow]] = relationship(
        order_by="ProvenanceRow.id", cascade="all, delete-orphan", passive_deletes=True
    )


class ParameterRow(Base):
    """One PARAMETER line of a parameters element, in order (`stop` may repeat)."""

    __tablename__ = "parameter"
    __table_args__ = (UniqueConstraint("element_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("element.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), index=True)
    value: Mapped[str] = mapped_column(Text)


class MessageRow(Base):
    """One MESSAGE turn of a messages element, in order."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("element_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("element.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(50))
    content: Mapped[str] = mapped_column(Text)


class TagRow(Base):
    """A label shared by many elements: category (family, use_case, source, free) and value."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("category", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(200), index=True)


class ElementTagRow(Base):
    """The element-tag many-to-many."""

    __tablename__ = "element_tag"

    element_id: Mapped[int] = mapped_column(
        ForeignKey("element.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProvenanceRow(Base):
    """Where an element was seen: host, model, model digest, when."""

    __tablename__ = "provenance"
    __table_args__ = (UniqueConstraint("element_id", "host", "model", "model_digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("element.id", ondelete="CASCADE"))
    host: Mapped[str] = mapped_column(String(300), index=True)
    model: Mapped[str] = mapped_column(String(300), index=True)
    model_digest: Mapped[str] = mapped_column(String(100), default="")
    extracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ModelfileRow(Base):
    """A stored Modelfile (an ordered composition of elements) or a draft (raw editor text)."""

    __tablename__ = "modelfile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    source_text: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    entries: Mapped[list[ModelfileElementRow]] = relationship(
        order_by="ModelfileElementRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ModelfileElementRow(Base):
    """One position of a Modelfile's composition; an element in use cannot vanish under it."""

    __tablename__ = "modelfile_element"

    modelfile_id: Mapped[int] = mapped_column(
        ForeignKey("modelfile.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    element_id: Mapped[int] = mapped_column(
        ForeignKey("element.id", ondelete="RESTRICT"), index=True
    )

    element: Mapped[ElementRow] = relationship()


class SeedRecordRow(Base):
    """One applied seed record (by stable key): re-seeding adds only keys not yet here.

    Knowledge records (seed 2) also keep their id and conditions here, one column each, so
    searches can filter curated elements by mode, task, origin or record (migration 0003).
    `superseded_by` names the record that replaces this one, or "seed-v2" for a first-seed
    record the v2 knowledge replaced.
    """

    __tablename__ = "seed_record"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seed_version: Mapped[int] = mapped_column(Integer)
    element_id: Mapped[int | None] = mapped_column(
        ForeignKey("element.id", ondelete="SET NULL"), index=True
    )
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    record_id: Mapped[str | None] = mapped_column(String(200), index=True)
    mode: Mapped[str | None] = mapped_column(String(20))
    sizes: Mapped[str | None] = mapped_column(String(300))
    variant: Mapped[str | None] = mapped_column(String(40))
    task: Mapped[str | None] = mapped_column(String(20))
    runtime: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(String(40), index=True)
    verified_on: Mapped[str | None] = mapped_column(String(10))
    superseded_by: Mapped[str | None] = mapped_column(String(200))
