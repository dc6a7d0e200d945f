"""Tables of settings trials (migration 0004): the variants tried and every graded run.

A variant row is keyed by (the hash of) `Variant.key()` (options, think, Modelfile hash,
element hashes), so runs of the same settings accumulate under one row whatever label they
were given later; a run row holds everything its result depends on (probe version, base
digest, host, Ollama version, effective context) so results are never pooled across what
differs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from modelarium.store.models import Base, utc_now


class TrialVariantRow(Base):
    """One set of settings tried: label, what it sends and what it was made of."""

    __tablename__ = "trial_variant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """sha256 of `key` (the key itself can be long)."""
    key: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(300))
    options: Mapped[str] = mapped_column(Text, default="{}")
    """The request options as JSON."""
    think: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    modelfile: Mapped[str | None] = mapped_column(Text, nullable=True)
    modelfile_hash: Mapped[str] = mapped_column(String(64), default="")
    element_hashes: Mapped[str] = mapped_column(Text, default="")
    """Content hashes of the library elements it came from, comma-separated."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class TrialRunRow(Base):
    """One graded answer of one task of one probe for one variant of one model."""

    __tablename__ = "trial_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("trial_variant.id", ondelete="CASCADE"), index=True
    )
    model: Mapped[str] = mapped_column(String(300), index=True)
    probe: Mapped[str] = mapped_column(String(16), index=True)
    probe_version: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[str] = mapped_column(String(100))
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str] = mapped_column(String(300))
    ollama_version: Mapped[str] = mapped_column(String(100), default="")
    base_digest: Mapped[str] = mapped_column(String(100), default="")
    context_length: Mapped[int | None] = mapped_column(Integer, nullable=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    failure: Mapped[str | None] = mapped_column(String(40), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    tokens_per_second: Mapped[float | None] = mapped_column(Float, nullable=True)
    prompt_tokens_per_second: Mapped[float | None] = mapped_column(Float, nullable=True)
    load_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_token_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="null")
    """The raw reply (`ChatReply.to_json()`) as JSON; null for a host failure."""
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
