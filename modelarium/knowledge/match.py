"""Which curated records apply to one installed model, and the side-by-side view built from them.

Pure: `match(records, facts, use_case=, mode=)` takes the records and a model's facts (its name,
family, parameter size, capabilities, GGUF basename, own parameters and the host's Ollama
version) and returns a `Recommendation`. The rules (docs/knowledge.md, "Matching"):

- line: the model's series (qwen3.5, llama3.2, granite4, ...) comes from its repository name,
  else its GGUF basename; a record's from its vendor model name and from the repositories of its
  `ollama_tags` (a tag with a size label, such as `qwen3:30b-a3b`, counts only for that size);
  engine records (family "all") apply to every chat model;
- sizes: a size-conditioned record applies when the model's parameter count is within 20 % of
  one of its sizes;
- variant: "vision" records need a vision model, "base" records a base model, the Qwen3-2507
  thinking/instruct split follows the tag;
- mode: "thinking" records need the thinking capability; a thinking model is shown in both modes;
- use case: with a use case, records for it, for "general" and for no task apply (engine
  defaults always do); the table prefers the use case's own values and says when it falls
  back to general ones;
- runtime: `ollama>=X` / `ollama<X` conditions are checked against the host's version;
- superseded: a record is dropped when the record that supersedes it applies too.

When no vendor sampling record applies, `other_sizes` names the ones of the same series that
would apply but for the size (Qwen2.5-Coder-32B-Instruct's for qwen2.5-coder:7b), nearest size
first, and the remark says so: they are another size's values, never offered as this model's.

`shipped_columns(recommendation)` says what every view shows under "Ollama ships" and "this
model" (a model as pulled ships its own values; one made under its own name gets the curated
`ollama-shipped` values there and its own beside them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from modelarium.knowledge.records import (
    ORIGINS,
    VENDOR_ORIGINS,
    KnowledgeRecord,
    format_number,
)
from modelarium.model_names import model_and_tag
from modelarium.modelfile import ModelFacts as CoreFacts

LINES: tuple[tuple[str, str], ...] = (
    ("qwen3.6", r"qwen3\.6"),
    ("qwen3.5", r"qwen3\.5"),
    ("qwen3-coder", r"qwen3-coder"),
    ("qwen3-vl", r"qwen3-?vl"),
    ("qwen3-next", r"qwen3-next"),
    ("qwen3-2507", r"qwen3-(?:.*-)?2507"),
    ("qwq", r"qwq"),
    ("qwen3", r"qwen3"),
    ("qwen2.5-coder", r"qwen2\.5-coder"),
    ("qwen2.5-vl", r"qwen2\.5-?vl"),
    ("qwen2.5", r"qwen2\.5"),
    ("qwen2", r"qwen2"),
    ("qwen", r"qwen(?:1\.5)?"),
    ("llama-guard", r"llama-guard"),
    ("llama4", r"llama-?4"),
    ("llama3.3", r"llama-?3\.3"),
    ("llama3.2-vision", r"llama-?3\.2-vision"),
    ("llama3.2", r"llama-?3\.2"),
    ("llama3.1", r"llama-?3\.1"),
    ("llama3", r"llama-?3"),
    ("llama2", r"llama-?2"),
    ("magistral", r"magistral"),
    ("ministral-3", r"ministral-3"),
    ("ministral", r"ministral"),
    ("devstral", r"devstral"),
    ("codestral", r"codestral"),
    ("mixtral", r"mixtral"),
    ("mistral-small3.2", r"mistral-small-?3\.2"),
    ("mistral-small", r"mistral-small"),
    ("mistral-large", r"mistral-large"),
    ("mistral-nemo", r"mistral-nemo"),
    ("mistral-medium", r"mistral-medium"),
    ("mistral-hosted", r"mistral-(?:api|hosted)"),
    ("mistral", r"mistral"),
    ("granite-code", r"granite-(?:\d+b-)?code"),
    ("granite-guardian", r"granite(?:3)?-guardian"),
    ("granite-vision", r"granite-?(?:3\.2-)?vision"),
    ("granite4", r"granite-?4"),
    ("granite3.3", r"granite-?3\.3"),
    ("granite3.2", r"granite-?3\.2"),
    ("granite3.1", r"granite-?3\.1"),
    ("granite3", r"granite-?3"),
    ("deepseek-r1", r"deepseek-r1"),
    ("phi4-mini-reasoning", r"phi-?4-mini-reasoning"),
    ("phi4-reasoning", r"phi-?4-reasoning"),
    ("phi4-mini", r"phi-?4-mini"),
    ("phi4", r"phi-?4"),
    ("phi3", r"phi-?3"),
    ("gemma3", r"gemma-?3"),
    ("gemma2", r"gemma-?2"),
)
"""Model series, most specific first; each pattern is searched in a normalised name."""

_LINE_PATTERNS = tuple((line, re.compile(pattern)) for line, pattern in LINES)
SIZE_TOLERANCE = 0.2
SHOWN_PARAMETERS = (
    "temperature",
    "top_p",
    "top_k",
    "min_p",
    "repeat_penalty",
    "presence_penalty",
    "frequency_penalty",
    "num_ctx",
    "num_predict",
)
ALWAYS_SHOWN = frozenset({"temperature", "top_p", "top_k", "repeat_penalty", "num_ctx"})
NO_TRIALS = "no trials yet"
_VERSION = re.compile(r"^ollama\s*(>=|<=|==|<|>)\s*v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.]+))?")


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the matcher needs to know of one installed model and its host."""

    name: str
    family: str = ""
    parameter_size: str = ""
    capabilities: tuple[str, ...] = ()
    basename: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    """The model's own PARAMETER lines (name, value), as `/api/show` lists them."""
    template: str = ""
    ollama_version: str | None = None

    @property
    def thinks(self) -> bool:
        """Whether the model reports the thinking capability."""
        return "thinking" in self.capabilities


@dataclass(frozen=True, slots=True)
class Cell:
    """One value of the side-by-side table, with the record (or "model") it comes from."""

    text: str
    number: float | None
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One parameter across the columns: vendor recommends, Ollama ships, engine default."""

    parameter: str
    vendor: Cell | None
    ollama: Cell | None
    engine: Cell | None
    measured: Cell | None = None

    @property
    def effective(self) -> Cell | None:
        """What runs when the client sends nothing: the model's value, else the engine's."""
        return self.ollama if self.ollama is not None else self.engine

    @property
    def differs(self) -> bool:
        """Whether the vendor's number differs from what runs on this host."""
        effective = self.effective
        return (
            self.vendor is not None
            and self.vendor.number is not None
            and effective is not None
            and effective.number is not None
            and abs(self.vendor.number - effective.number) > 1e-9
        )


@dataclass(frozen=True, slots=True)
class Section:
    """The table for one mode and use case."""

    mode: str | None
    task: str
    rows: tuple[Row, ...]
    vendor_record: KnowledgeRecord | None
    alternatives: tuple[KnowledgeRecord, ...] = ()
    remarks: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """ "thinking · code", "general" ..."""
        return " · ".join(part for part in (self.mode, self.task) if part)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Everything that applies to one model, and the side-by-side sections."""

    facts: ModelFacts
    line: str | None
    records: tuple[KnowledgeRecord, ...]
    sections: tuple[Section, ...]
    remarks: tuple[str, ...] = field(default=())
    other_sizes: tuple[KnowledgeRecord, ...] = field(default=())
    """Without vendor sampling values for the model: the series' vendor sampling records for
    other sizes (`other_sizes`), nearest first; empty otherwise."""

    def of_kind(self, *kinds: str) -> tuple[KnowledgeRecord, ...]:
        """The applying records of the given kinds, in file order."""
        return tuple(record for record in self.records if record.kind in kinds)


# ---------------------------------------------------------------------------- names and sizes


def normalise(text: str) -> str:
    """Lower case, with `:`, `_`, `/` and spaces as `-` (so names and tags compare alike)."""
    return re.sub(r"[\s:_/]+", "-", text.strip().lower())


def line_of(text: str) -> str | None:
    """The series a model or record name belongs to (None when no known series matches)."""
    normal = normalise(text)
    if not normal:
        return None
    for line, pattern in _LINE_PATTERNS:
        if pattern.search(normal):
            return line
    return None


def repository(name: str) -> tuple[str, str]:
    """(repository, tag) of an Ollama name, lower case, without registry host or namespace
    (`registry.local:5000/ns/qwen3:8b` -> `qwen3`, `8b`: a registry's port is not a tag)."""
    model, tag = model_and_tag(name.strip())
    return model.lower(), tag.lower()


def size_in_billions(text: str) -> float | None:
    """A size label's parameter count in billions (`8x7B` multiplies; `30B-A3B` is 30)."""
    experts = re.search(r"(\d+)x(\d+(?:\.\d+)?)\s*b", text, re.IGNORECASE)
    if experts:
        return int(experts.group(1)) * float(experts.group(2))
    found = re.search(r"(\d+(?:\.\d+)?)\s*([bmk])(?![a-z])", text, re.IGNORECASE)
    if not found:
        return None
    number = float(found.group(1))
    return number * {"b": 1.0, "m": 1e-3, "k": 1e-6}[found.group(2).lower()]


def same_size(a: float, b: float) -> bool:
    """Whether two parameter counts name the same model size (within `SIZE_TOLERANCE`)."""
    return abs(a - b) <= SIZE_TOLERANCE * max(a, b)


def model_size(facts: ModelFacts) -> float | None:
    """The model's size in billions: its reported parameter size, else its tag's size label."""
    reported = size_in_billions(facts.parameter_size) if facts.parameter_size else None
    if reported is not None:
        return reported
    return size_in_billions(repository(facts.name)[1])


def model_line(facts: ModelFacts) -> str | None:
    """The model's series: from its name (repository and tag), else its GGUF basename."""
    model, tag = model_and_tag(facts.name.strip())
    return line_of(f"{model}:{tag}" if tag else model) or line_of(facts.basename)


# ---------------------------------------------------------------------------- versions


def parse_version(text: str) -> tuple[tuple[int, ...], tuple[int, str]]:
    """A comparable Ollama version: release numbers, then (1, "") or (0, pre-release)."""
    found = re.match(r"v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.]+))?", text.strip())
    if not found:
        return (), (0, text)
    numbers = tuple(int(part) for part in found.group(1).split("."))
    numbers = numbers + (0,) * (3 - len(numbers))
    return numbers, ((0, found.group(2)) if found.group(2) else (1, ""))


def runtime_applies(runtime: str | None, version: str | None) -> bool | None:
    """Whether an `ollama>=X`-style condition holds for `version` (None: cannot tell)."""
    if runtime is None:
        return True
    found = _VERSION.match(runtime.strip())
    if not found:
        return True
    if version is None:
        return None
    operator, release, pre = found.groups()
    bound = parse_version(release + (f"-{pre}" if pre else ""))
    have = parse_version(version)
    return {
        ">=": have >= bound,
        "<=": have <= bound,
        "==": have == bound,
        "<": have < bound,
        ">": have > bound,
    }[operator]


# ---------------------------------------------------------------------------- selection


def record_lines(record: KnowledgeRecord, size: float | None) -> set[str]:
    """The series a record speaks of: its vendor model's, and those of its Ollama tags (a tag
    with a size label only when the model has that size)."""
    lines: set[str] = set()
    own = line_of(record.model)
    if own is not None:
        lines.add(own)
    for tag in record.ollama_tags:
        tag_line = line_of(tag)
        if tag_line is None:
            continue
        tag_size = size_in_billions(repository(tag)[1])
        if tag_size is None or (size is not None and same_size(tag_size, size)):
            lines.add(tag_line)
    return lines


def _sizes_apply(record: KnowledgeRecord, size: float | None) -> bool:
    sizes = record.conditions.sizes
    if not sizes:
        return True
    if size is None:
        return False
    wanted = [size_in_billions(text) for text in sizes]
    return any(value is not None and same_size(value, size) for value in wanted)


def _variant_applies(record: KnowledgeRecord, facts: ModelFacts) -> bool:
    variant = record.conditions.variant
    text = normalise(f"{facts.name} {facts.basename}")
    if variant == "vision":
        return "vision" in facts.capabilities or bool(re.search(r"vision|-vl", text))
    if variant == "base":
        return bool(re.search(r"(^|-)(base|text)(-|$)", text))
    if variant == "2507-thinking":
        return "thinking" in text
    if variant == "2507-instruct":
        return "thinking" not in text
    return True


def applies(record: KnowledgeRecord, facts: ModelFacts, line: str | None) -> bool:
    """Whether `record` applies to the model (before mode, use case and supersession)."""
    if runtime_applies(record.conditions.runtime, facts.ollama_version) is False:
        return False
    if record.family == "all":
        return True
    size = model_size(facts)
    if line is None or line not in record_lines(record, size):
        return False
    return _sizes_apply(record, size) and _variant_applies(record, facts)


def chat_model(facts: ModelFacts) -> bool:
    """Whether sampling advice means anything for the model (not an embedding-only model)."""
    return not ("embedding" in facts.capabilities and "completion" not in facts.capabilities)


def select(
    records: Sequence[KnowledgeRecord],
    facts: ModelFacts,
    *,
    use_case: str | None = None,
    mode: str | None = None,
) -> tuple[KnowledgeRecord, ...]:
    """The records that apply to the model, for the use case and mode (None: every one)."""
    if not chat_model(facts):
        return ()
    line = model_line(facts)
    chosen: list[KnowledgeRecord] = []
    for record in records:
        if not applies(record, facts, line):
            continue
        record_mode = record.conditions.mode
        if record_mode == "thinking" and not facts.thinks:
            continue
        if mode is not None and record_mode not in (None, mode):
            continue
        task = record.conditions.task
        engine = record.kind == "engine_default"
        if use_case is not None and not engine and task not in (None, "general", use_case):
            continue
        chosen.append(record)
    return _drop_superseded(chosen)


def _drop_superseded(chosen: Sequence[KnowledgeRecord]) -> tuple[KnowledgeRecord, ...]:
    ids = {record.id for record in chosen}
    return tuple(record for record in chosen if record.superseded_by not in ids)


def _fits_mode_and_use_case(
    record: KnowledgeRecord, facts: ModelFacts, use_case: str | None, mode: str | None
) -> bool:
    """`select`'s mode and use-case rules for one (non-engine) record."""
    record_mode = record.conditions.mode
    if record_mode == "thinking" and not facts.thinks:
        return False
    if mode is not None and record_mode not in (None, mode):
        return False
    return use_case is None or record.conditions.task in (None, "general", use_case)


def _record_sizes(record: KnowledgeRecord) -> tuple[float, ...]:
    """The sizes (billions) a size-conditioned record names."""
    sizes = (size_in_billions(text) for text in record.conditions.sizes or ())
    return tuple(size for size in sizes if size is not None)


def _lines_at_any_size(record: KnowledgeRecord) -> set[str]:
    """The series a record speaks of, its Ollama tags' at every size."""
    named = (line_of(text) for text in (record.model, *record.ollama_tags))
    return {line for line in named if line is not None}


def other_sizes(
    records: Sequence[KnowledgeRecord],
    facts: ModelFacts,
    *,
    use_case: str | None = None,
    mode: str | None = None,
) -> tuple[KnowledgeRecord, ...]:
    """Vendor sampling records of the model's own series that would apply but for their size
    (Qwen2.5-Coder-32B-Instruct's for qwen2.5-coder:7b), nearest size first; the same runtime,
    variant, mode and use-case rules as `select`. Another size's values: a view shows them
    as such, never as the model's own."""
    size = model_size(facts)
    line = model_line(facts)
    if size is None or size <= 0 or line is None or not chat_model(facts):
        return ()
    found: list[KnowledgeRecord] = []
    for record in records:
        if (
            record.kind != "sampling"
            or record.origin not in VENDOR_ORIGINS
            or record.family == "all"
            or not _record_sizes(record)
            or _sizes_apply(record, size)
            or runtime_applies(record.conditions.runtime, facts.ollama_version) is False
        ):
            continue
        if line not in _lines_at_any_size(record):
            continue
        if _variant_applies(record, facts) and _fits_mode_and_use_case(
            record, facts, use_case, mode
        ):
            found.append(record)
    kept = _drop_superseded(found)

    def distance(record: KnowledgeRecord) -> tuple[float, int]:
        nearest = min(abs(math.log(other / size)) for other in _record_sizes(record))
        return nearest, _origin_rank(record)

    return tuple(sorted(kept, key=distance))


def other_sizes_remark(facts: ModelFacts, others: Sequence[KnowledgeRecord]) -> str:
    """`no vendor sampling values for this size (7.6B); the series has them for another
    size: Qwen2.5-Coder-32B-Instruct (32B)`: what the series has instead, nearest first
    (three at most), so no view says the vendor publishes nothing."""
    size = model_size(facts)
    shown = facts.parameter_size or (f"{format_number(size)}B" if size is not None else "")
    named: dict[str, str] = {}
    for record in others:
        named.setdefault(record.model, "/".join(record.conditions.sizes or ()))
    models = list(named.items())[:3]
    where = "another size" if len(models) == 1 else "other sizes"
    listed = ", ".join(f"{model} ({sizes})" for model, sizes in models)
    this_size = f"this size ({shown})" if shown else "this size"
    return f"no vendor sampling values for {this_size}; the series has them for {where}: {listed}"


# ---------------------------------------------------------------------------- side by side


def _origin_rank(record: KnowledgeRecord) -> int:
    return ORIGINS.index(record.origin) if record.origin in ORIGINS else len(ORIGINS)


def _vendor_choice(
    candidates: Iterable[KnowledgeRecord], mode: str | None, task: str
) -> list[KnowledgeRecord]:
    """Vendor sampling records for a section, best first: the use case's own over general
    ones, the exact mode over mode-free ones, size-specific over general, then by origin."""
    usable = [
        record
        for record in candidates
        if record.kind == "sampling"
        and record.origin in VENDOR_ORIGINS
        and record.conditions.mode in (None, mode)
        and (record.conditions.task or "general") == task
    ]
    return sorted(
        usable,
        key=lambda record: (
            record.conditions.mode != mode,
            record.conditions.sizes is None,
            _origin_rank(record),
        ),
    )


def model_parameters(facts: ModelFacts) -> dict[str, Cell]:
    """The model's own numeric parameters (the last value wins, as in Ollama)."""
    cells: dict[str, Cell] = {}
    for name, value in facts.parameters:
        try:
            number = float(value)
        except ValueError:
            continue
        cells[name] = Cell(value, number, "model")
    return cells


def engine_parameters(records: Sequence[KnowledgeRecord]) -> dict[str, Cell]:
    """The engine defaults that apply (num_ctx's VRAM tiers in one cell: `4096 / 32768 /
    262144 by VRAM`, the record says where each step starts)."""
    cells: dict[str, Cell] = {}
    for record in records:
        if record.kind != "engine_default":
            continue
        numbers = record.numbers
        tiers = {k: v for k, v in numbers.items() if k.startswith("num_ctx_vram_ge_")}
        for name, value in numbers.items():
            if name in tiers:
                continue
            text = format_number(value)
            if name == "num_ctx" and tiers:
                steps = [format_number(v) for v in sorted(tiers.values())]
                text = " / ".join([text, *steps]) + " by VRAM"
            cells[name] = Cell(text, value, record.id)
    return cells


def _cells(record: KnowledgeRecord | None) -> dict[str, Cell]:
    if record is None:
        return {}
    return {
        name: Cell(format_number(value), value, record.id) for name, value in record.numbers.items()
    }


def shipped_cells(records: Sequence[KnowledgeRecord], mode: str | None) -> dict[str, Cell]:
    """Sampling values of the Ollama tag's records for a mode: what Ollama's library ships for
    the model's series (used when the model's own are unknown, and beside a user model's)."""
    cells: dict[str, Cell] = {}
    for record in records:
        if (
            record.origin == "ollama-shipped"
            and record.kind == "sampling"
            and record.conditions.mode in (None, mode)
        ):
            cells.update(_cells(record))
    return cells


def side_by_side(
    records: Sequence[KnowledgeRecord],
    facts: ModelFacts,
    *,
    use_case: str | None = None,
    mode: str | None = None,
) -> tuple[Section, ...]:
    """One section per mode (both for a thinking model) and use case (the given one, else
    general plus every use case a vendor record speaks of)."""
    modes: list[str | None]
    if mode is not None:
        modes = [mode]
    elif facts.thinks:
        modes = ["thinking", "non-thinking"]
    else:
        modes = [None]
    if use_case is not None:
        tasks = [use_case]
    else:
        spoken = {
            record.conditions.task
            for record in records
            if record.kind == "sampling" and record.origin in VENDOR_ORIGINS
        }
        tasks = ["general"] + [t for t in ("code", "tools", "research", "reasoning") if t in spoken]
    own = model_parameters(facts)
    engine = engine_parameters(records)
    sections: list[Section] = []
    for section_mode in modes:
        effective_mode = section_mode if section_mode is not None else "non-thinking"
        shipped = own if facts.parameters else shipped_cells(records, effective_mode)
        for task in tasks:
            remarks: list[str] = []
            ranked = _vendor_choice(records, effective_mode, task)
            if not ranked and task != "general":
                ranked = _vendor_choice(records, effective_mode, "general")
                if ranked:
                    remarks.append(f"no {task}-specific vendor values; general ones shown")
            if not ranked:
                remarks.append("no vendor sampling advice for this model")
            best = ranked[0] if ranked else None
            vendor = _cells(best)
            rows = []
            for name in SHOWN_PARAMETERS:
                if name not in ALWAYS_SHOWN and name not in vendor and name not in shipped:
                    continue
                rows.append(
                    Row(
                        parameter=name,
                        vendor=vendor.get(name),
                        ollama=shipped.get(name),
                        engine=engine.get(name),
                    )
                )
            sections.append(
                Section(
                    mode=section_mode,
                    task=task,
                    rows=tuple(rows),
                    vendor_record=best,
                    alternatives=tuple(ranked[1:]),
                    remarks=tuple(remarks),
                )
            )
    return tuple(sections)


def match(
    records: Sequence[KnowledgeRecord],
    facts: ModelFacts,
    *,
    use_case: str | None = None,
    mode: str | None = None,
) -> Recommendation:
    """The records that apply to the model and the side-by-side sections built from them."""
    chosen = select(records, facts, use_case=use_case, mode=mode)
    line = model_line(facts)
    remarks: list[str] = []
    if not chat_model(facts):
        remarks.append("embedding model: sampling settings do not apply")
        return Recommendation(facts, line, (), (), tuple(remarks))
    if line is None:
        remarks.append("no curated knowledge for this model's series; engine defaults only")
    if facts.ollama_version is None:
        remarks.append("host version unknown: version-conditioned records are all listed")
    vendor = any(record.kind == "sampling" and record.origin in VENDOR_ORIGINS for record in chosen)
    others: tuple[KnowledgeRecord, ...] = ()
    if not vendor and line is not None:
        others = other_sizes(records, facts, use_case=use_case, mode=mode)
        remarks.append(
            other_sizes_remark(facts, others)
            if others
            else "the vendor publishes no sampling values for this model"
        )
    sections = side_by_side(chosen, facts, use_case=use_case, mode=mode)
    return Recommendation(facts, line, chosen, sections, tuple(remarks), others)


# ---------------------------------------------------------------------------- Ollama ships


def ships_own_parameters(name: str, records: Sequence[KnowledgeRecord]) -> bool:
    """Whether a model's own parameters are what Ollama's library ships: its name is a library
    name (no namespace or registry) whose repository an applying record names among its Ollama
    tags (qwen3:8b, mistral:7b). A model made under a name of its own (mistral-code:7b,
    qwen2.5-coder-copy:7b-code) carries its maker's values, not Ollama's."""
    if "/" in name:
        return False
    wanted = repository(name)[0]
    return any(repository(tag)[0] == wanted for record in records for tag in record.ollama_tags)


@dataclass(frozen=True, slots=True)
class ShippedCells:
    """One parameter row's "Ollama ships" cell and, for a model made under its own name, its
    own value ("this model") beside it."""

    row: Row
    shipped: Cell | None
    """What Ollama's library ships: the model's own value for a model as pulled, else the
    curated `ollama-shipped` records'."""
    own: Cell | None = None
    """The model's own value when it is not what Ollama ships (else None)."""


@dataclass(frozen=True, slots=True)
class ShippedColumns:
    """The "Ollama ships" and "this model" columns of a whole recommendation: one rule for
    every view (the settings view, `knowledge show` and its JSON)."""

    own_column: bool
    """Whether the views add a "this model" column: a model made under a name of its own
    that carries parameters of its own."""
    sections: tuple[tuple[ShippedCells, ...], ...]
    """Per section of the recommendation, per row, in the same order."""


def shipped_columns(recommendation: Recommendation) -> ShippedColumns:
    """What "Ollama ships" and "this model" hold, per section and parameter row.

    A model as pulled under a library name (qwen3:8b) ships its own values: they stay under
    "Ollama ships" and there is no "this model" column. A model made under its own name
    (mistral-code:7b) with parameters of its own gets them under "this model", and "Ollama
    ships" holds the curated `ollama-shipped` records' values for the section's mode."""
    facts = recommendation.facts
    as_shipped = ships_own_parameters(facts.name, recommendation.records)
    own_column = bool(model_parameters(facts)) and not as_shipped
    sections: list[tuple[ShippedCells, ...]] = []
    for section in recommendation.sections:
        curated = shipped_cells(recommendation.records, section.mode or "non-thinking")
        cells: list[ShippedCells] = []
        for row in section.rows:
            if own_column and row.ollama is not None and row.ollama.record_id == "model":
                cells.append(ShippedCells(row, curated.get(row.parameter), row.ollama))
            else:
                cells.append(ShippedCells(row, row.ollama))
        sections.append(tuple(cells))
    return ShippedColumns(own_column, tuple(sections))


def parameters_from_text(text: str) -> tuple[tuple[str, str], ...]:
    """(name, value) pairs of `/api/show`'s `parameters` text ("name   value" per line)."""
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            value = parts[1].strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            pairs.append((parts[0], value))
    return tuple(pairs)


def basename_of(model_info: Mapping[str, object]) -> str:
    """The GGUF `general.basename` of a model's info (empty when absent)."""
    value = model_info.get("general.basename")
    return value if isinstance(value, str) else ""


class ShowLike(Protocol):
    """The parts of a model's `/api/show` the matcher reads (`ollama.types.ModelDetails`)."""

    @property
    def name(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def parameter_size(self) -> str: ...
    @property
    def capabilities(self) -> tuple[str, ...]: ...
    @property
    def model_info(self) -> Mapping[str, object]: ...
    @property
    def parameters_text(self) -> str: ...
    @property
    def template(self) -> str: ...


def facts_from_show(details: ShowLike, ollama_version: str | None) -> ModelFacts:
    """A model's facts from its `/api/show` answer and the host's `/api/version`."""
    return ModelFacts(
        name=details.name,
        family=details.family,
        parameter_size=details.parameter_size,
        capabilities=tuple(details.capabilities),
        basename=basename_of(details.model_info),
        parameters=parameters_from_text(details.parameters_text),
        template=details.template,
        ollama_version=ollama_version,
    )


def facts_from_core(facts: CoreFacts, *, basename: str = "") -> ModelFacts:
    """The matcher's facts from the core's (`modelfile.model_facts.ModelFacts`, what lint's
    model-aware rules read), so those rules can select records for a base model too."""
    return ModelFacts(
        name=facts.name,
        family=facts.family,
        parameter_size=facts.parameter_size,
        capabilities=tuple(sorted(facts.capabilities)),
        basename=basename,
        parameters=tuple(
            (name, value) for name, value in facts.parameters.items() if isinstance(value, str)
        ),
        template=facts.template,
        ollama_version=facts.host_version,
    )
