"""Trial results in the library: store each finished probe unit, read them back aggregated.

Writes go one *unit* (model × variant × probe, every task and repeat) per transaction: a unit
is stored whole or not at all, so a trial stopped by a dead host or a cancel leaves only
complete units behind. Reads aggregate in Python over plain selected rows, identically on
SQLite and PostgreSQL (the same medians, counts and first/last times on both engines).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select

from modelarium.store.library import Library
from modelarium.store.rows import aware
from modelarium.store.trial_rows import TrialRunRow, TrialVariantRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


# The store knows nothing of hosts (import contract "layers"): it reads the trial runner's
# objects (`trials.runner.Variant`, `TaskRun`, `trials.session.ProbeUnit`, `ChatReply`)
# through these structural types.


class Variant(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def options(self) -> Mapping[str, Any]: ...
    @property
    def think(self) -> bool | None: ...
    @property
    def modelfile(self) -> str | None: ...
    @property
    def element_hashes(self) -> tuple[str, ...]: ...
    @property
    def modelfile_hash(self) -> str: ...
    def key(self) -> str: ...


class Reply(Protocol):
    @property
    def tokens_per_second(self) -> float | None: ...
    @property
    def prompt_tokens_per_second(self) -> float | None: ...
    @property
    def load_duration(self) -> int | None: ...
    @property
    def first_token_seconds(self) -> float | None: ...
    def to_json(self) -> dict[str, object]: ...


class Verdict(Protocol):
    @property
    def passed(self) -> bool: ...
    @property
    def failure(self) -> str | None: ...
    @property
    def detail(self) -> str: ...
    @property
    def valid(self) -> bool: ...


class Run(Protocol):
    @property
    def task_id(self) -> str: ...
    @property
    def repeat(self) -> int: ...
    @property
    def grade(self) -> Verdict: ...
    @property
    def reply(self) -> Reply | None: ...
    @property
    def started_at(self) -> datetime: ...


class ProbeUnit(Protocol):
    @property
    def model(self) -> str: ...
    @property
    def variant(self) -> Variant: ...
    @property
    def probe(self) -> str: ...
    @property
    def probe_version(self) -> int: ...
    @property
    def host(self) -> str: ...
    @property
    def ollama_version(self) -> str: ...
    @property
    def base_digest(self) -> str: ...
    @property
    def context_length(self) -> int | None: ...
    @property
    def runs(self) -> Sequence[Run]: ...


USE_CASE_PROBES: Mapping[str, tuple[str, ...]] = {
    "code": ("code",),
    "tools": ("tools",),
    "research": ("json",),
    "reasoning": ("json", "code"),
    "general": ("tools", "json", "code", "speed"),
    "thinking": ("tools", "json", "code", "speed"),
    "non-thinking": ("tools", "json", "code", "speed"),
}
"""Which probes measure a curated use case (the seed's `use_case` values)."""


@dataclass(frozen=True, slots=True)
class StoredResult:
    """Every stored run of one model, variant and probe version, folded together."""

    model: str
    variant: str
    variant_key: str
    probe: str
    probe_version: int
    runs: int
    passed: int
    tokens_per_second: float | None
    failures: Mapping[str, int]
    invalid: int
    host: str
    ollama_version: str
    digest: str
    context_length: int | None
    first_run: datetime
    last_run: datetime
    hosts: tuple[str, ...] = field(default=())

    @property
    def pass_rate(self) -> float:
        """Passed runs over all runs (0 when none)."""
        return self.passed / self.runs if self.runs else 0.0

    def text(self) -> str:
        """One cell of "measured here": `3/4 passed · 41.2 tok/s · 4 runs · last 2026-12-04`."""
        speed = f" · {self.tokens_per_second:g} tok/s" if self.tokens_per_second is not None else ""
        runs = "1 run" if self.runs == 1 else f"{self.runs} runs"
        return (
            f"{self.passed}/{self.runs} passed{speed} · {runs} · "
            f"last {self.last_run.date().isoformat()}"
        )

    def to_json(self) -> dict[str, object]:
        """`trials show --json`: the fields of `trials run --json` plus where and when."""
        return {
            "model": self.model,
            "variant": self.variant,
            "probe": self.probe,
            "probe_version": self.probe_version,
            "runs": self.runs,
            "passed": self.passed,
            "tokens_per_second": self.tokens_per_second,
            "failures": dict(self.failures),
            "invalid": self.invalid,
            "host": self.host,
            "hosts": list(self.hosts),
            "ollama_version": self.ollama_version,
            "digest": self.digest,
            "context_length": self.context_length,
            "first_run": self.first_run.isoformat(),
            "last_run": self.last_run.isoformat(),
            "variant_key": self.variant_key,
        }


@dataclass(frozen=True, slots=True)
class StoredRun:
    """One stored run, with its raw answer (for a matrix cell's details)."""

    task_id: str
    repeat: int
    passed: bool
    valid: bool
    failure: str | None
    detail: str
    tokens_per_second: float | None
    answer: Mapping[str, Any] | None
    host: str
    started_at: datetime


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _variant_row(session: Session, variant: Variant) -> TrialVariantRow:
    key = variant.key()
    row = session.scalars(
        select(TrialVariantRow).where(TrialVariantRow.key_hash == _key_hash(key))
    ).first()
    if row is None:
        row = TrialVariantRow(
            key_hash=_key_hash(key),
            key=key,
            label=variant.label,
            options=json.dumps(dict(variant.options), sort_keys=True),
            think=variant.think,
            modelfile=variant.modelfile,
            modelfile_hash=variant.modelfile_hash,
            element_hashes=",".join(variant.element_hashes),
        )
        session.add(row)
        session.flush()
    elif row.label != variant.label:
        row.label = variant.label
    return row


def store_unit(library: Library, unit: ProbeUnit) -> int:
    """Store every run of `unit` in one transaction; returns how many runs were stored."""
    with library.writing() as session:
        variant = _variant_row(session, unit.variant)
        for run in unit.runs:
            reply = run.reply
            session.add(
                TrialRunRow(
                    variant_id=variant.id,
                    model=unit.model,
                    probe=unit.probe,
                    probe_version=unit.probe_version,
                    task_id=run.task_id,
                    repeat=run.repeat,
                    host=unit.host,
                    ollama_version=unit.ollama_version,
                    base_digest=unit.base_digest,
                    context_length=unit.context_length,
                    passed=run.grade.passed,
                    valid=run.grade.valid,
                    failure=run.grade.failure,
                    detail=run.grade.detail,
                    tokens_per_second=reply.tokens_per_second if reply else None,
                    prompt_tokens_per_second=reply.prompt_tokens_per_second if reply else None,
                    load_seconds=(
                        reply.load_duration / 1e9
                        if reply is not None and reply.load_duration is not None
                        else None
                    ),
                    first_token_seconds=reply.first_token_seconds if reply else None,
                    answer=json.dumps(reply.to_json() if reply else None),
                    started_at=run.started_at,
                )
            )
    return len(unit.runs)


def _aggregate(rows: Iterable[tuple[TrialRunRow, TrialVariantRow]]) -> list[StoredResult]:
    groups: dict[tuple[str, int, str, int], list[tuple[TrialRunRow, TrialVariantRow]]] = {}
    for run, variant in rows:
        groups.setdefault((run.model, variant.id, run.probe, run.probe_version), []).append(
            (run, variant)
        )
    results: list[StoredResult] = []
    for (model, _, probe, version), members in groups.items():
        runs = [run for run, _ in members]
        variant = members[0][1]
        ordered = sorted(runs, key=lambda run: (aware(run.started_at), run.id))
        last = ordered[-1]
        speeds = [
            run.tokens_per_second for run in runs if run.valid and run.tokens_per_second is not None
        ]
        failures = Counter(run.failure for run in runs if run.failure)
        results.append(
            StoredResult(
                model=model,
                variant=variant.label,
                variant_key=variant.key,
                probe=probe,
                probe_version=version,
                runs=len(runs),
                passed=sum(run.passed for run in runs),
                tokens_per_second=round(statistics.median(speeds), 2) if speeds else None,
                failures=dict(sorted(failures.items())),
                invalid=sum(not run.valid for run in runs),
                host=last.host,
                ollama_version=last.ollama_version,
                digest=last.base_digest,
                context_length=last.context_length,
                first_run=aware(ordered[0].started_at),
                last_run=aware(last.started_at),
                hosts=tuple(sorted({run.host for run in runs})),
            )
        )
    results.sort(key=lambda r: (r.model, r.variant, r.probe, r.probe_version))
    return results


def stored_results(
    library: Library,
    *,
    model: str | None = None,
    probe: str | None = None,
    models: Sequence[str] = (),
    probes: Sequence[str] = (),
) -> list[StoredResult]:
    """Every stored run aggregated per model, variant and probe (version), sorted by them.

    `model`/`probe` (or the lists `models`/`probes`) keep only those."""
    wanted_models = list(models) + ([model] if model else [])
    wanted_probes = list(probes) + ([probe] if probe else [])
    query = select(TrialRunRow, TrialVariantRow).join(
        TrialVariantRow, TrialRunRow.variant_id == TrialVariantRow.id
    )
    if wanted_models:
        query = query.where(TrialRunRow.model.in_(wanted_models))
    if wanted_probes:
        query = query.where(TrialRunRow.probe.in_(wanted_probes))
    with library.reading() as session:
        rows = [(row[0], row[1]) for row in session.execute(query).all()]
    return _aggregate(rows)


def stored_runs(library: Library, *, model: str, variant_key: str, probe: str) -> list[StoredRun]:
    """The runs behind one result, oldest first, with their raw answers."""
    query = (
        select(TrialRunRow)
        .join(TrialVariantRow, TrialRunRow.variant_id == TrialVariantRow.id)
        .where(
            TrialRunRow.model == model,
            TrialRunRow.probe == probe,
            TrialVariantRow.key_hash == _key_hash(variant_key),
        )
        .order_by(TrialRunRow.started_at, TrialRunRow.id)
    )
    with library.reading() as session:
        rows = list(session.scalars(query))
    return [
        StoredRun(
            task_id=row.task_id,
            repeat=row.repeat,
            passed=row.passed,
            valid=row.valid,
            failure=row.failure,
            detail=row.detail,
            tokens_per_second=row.tokens_per_second,
            answer=json.loads(row.answer),
            host=row.host,
            started_at=aware(row.started_at),
        )
        for row in rows
    ]


def measured_here(
    library: Library,
    *,
    family: str | None = None,
    use_case: str | None = None,
    model: str | None = None,
) -> list[StoredResult]:
    """The "measured here" roll-up beside curated settings: results of the models of a family
    (its name in the model's, e.g. `qwen` in `qwen3:8b`) or one model, on the probes that
    measure the use case (`USE_CASE_PROBES`; every probe for an unknown one)."""
    probes = USE_CASE_PROBES.get(use_case or "general", USE_CASE_PROBES["general"])
    results = stored_results(library, probes=probes, models=[model] if model else ())
    if family:
        needle = family.casefold()
        results = [result for result in results if needle in result.model.casefold()]
    return results


def measured_text(results: Sequence[StoredResult]) -> str | None:
    """The "measured here" line for a side-by-side view: one `variant probe: cell` part per
    result (`as installed tools: 3/3 passed · 41.2 tok/s · 3 runs · last 2026-12-04`), None
    when nothing was measured (the view then says there are no trials yet)."""
    if not results:
        return None
    return "; ".join(f"{r.variant} {r.probe}: {r.text()}" for r in results)


# Copying between libraries (`modelarium db copy`) --------------------------------------------

_VARIANT_FIELDS = (
    "key_hash",
    "key",
    "label",
    "options",
    "think",
    "modelfile",
    "modelfile_hash",
    "element_hashes",
    "created_at",
)
_RUN_FIELDS = (
    "model",
    "probe",
    "probe_version",
    "task_id",
    "repeat",
    "host",
    "ollama_version",
    "base_digest",
    "context_length",
    "passed",
    "valid",
    "failure",
    "detail",
    "tokens_per_second",
    "prompt_tokens_per_second",
    "load_seconds",
    "first_token_seconds",
    "answer",
    "started_at",
)


@dataclass(frozen=True, slots=True)
class TrialRecords:
    """Every trial variant and run of a library as plain values (no ORM object), read by
    `export_trials` for `import_trials` into another library."""

    variants: tuple[dict[str, Any], ...]
    runs: tuple[dict[str, Any], ...]
    """Each run names its variant by `variant_key_hash`."""


@dataclass(frozen=True, slots=True)
class TrialCopyReport:
    """What `import_trials` added, and what the target held already."""

    variants_added: int
    runs_added: int
    runs_present: int


def _run_identity(run: Mapping[str, Any], variant_key_hash: str) -> tuple[object, ...]:
    """What makes a run the same run in two libraries: its variant and every field that says
    when, where and what it answered (times compared as UTC)."""
    return (
        variant_key_hash,
        *(
            aware(run[name]) if name == "started_at" else run[name]
            for name in _RUN_FIELDS
            if name not in ("detail", "answer")
        ),
    )


def export_trials(library: Library) -> TrialRecords:
    """Every trial variant and run of `library`, oldest first."""
    with library.reading() as session:
        variants = list(session.scalars(select(TrialVariantRow).order_by(TrialVariantRow.id)))
        hashes = {variant.id: variant.key_hash for variant in variants}
        runs = list(session.scalars(select(TrialRunRow).order_by(TrialRunRow.id)))
        return TrialRecords(
            variants=tuple(
                {name: getattr(variant, name) for name in _VARIANT_FIELDS} for variant in variants
            ),
            runs=tuple(
                {
                    "variant_key_hash": hashes[run.variant_id],
                    **{name: getattr(run, name) for name in _RUN_FIELDS},
                }
                for run in runs
            ),
        )


def import_trials(session: Session, records: TrialRecords) -> TrialCopyReport:
    """Add `records` inside `session` (the caller's transaction): variants by their key (a
    variant already there keeps its label), runs unless the same run is there already, so
    copying twice adds nothing the second time."""
    variant_ids = {row.key_hash: row.id for row in session.scalars(select(TrialVariantRow))}
    variants_added = 0
    for values in records.variants:
        if values["key_hash"] in variant_ids:
            continue
        row = TrialVariantRow(**values)
        session.add(row)
        session.flush()
        variant_ids[row.key_hash] = row.id
        variants_added += 1
    hash_of = {row_id: key_hash for key_hash, row_id in variant_ids.items()}
    present = {
        _run_identity({name: getattr(run, name) for name in _RUN_FIELDS}, hash_of[run.variant_id])
        for run in session.scalars(select(TrialRunRow))
    }
    runs_added = runs_present = 0
    for values in records.runs:
        key_hash = values["variant_key_hash"]
        identity = _run_identity(values, key_hash)
        if identity in present:
            runs_present += 1
            continue
        fields = {name: values[name] for name in _RUN_FIELDS}
        session.add(TrialRunRow(variant_id=variant_ids[key_hash], **fields))
        present.add(identity)
        runs_added += 1
    return TrialCopyReport(variants_added, runs_added, runs_present)
