"""The PARAMETER catalogue: every name Ollama's `api.Options` accepts, with type and meaning.

This is the single source for parameter facts in Modelarium: `create.py` types values by
`kind`, the linter checks names, kinds and `minimum`/`maximum`, the editor offers completions
and descriptions. Names and defaults follow `api.Options`/`api.DefaultOptions()` (see
docs/modelfile-core.md); ranges are the meaningful bounds for a warning, Ollama itself checks
only the type.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from modelarium.modelfile.golang.numbers import format_float

ParameterKind = Literal["int", "float", "bool", "string_list"]
"""How create types a value: int64, float32, Go bool, or a list of strings (`stop`)."""

ParameterGroup = Literal["load", "run"]
"""`load`: read when the model is loaded (runner options); `run`: per request sampling."""

ParameterDefault = int | float | bool | None
"""A default value; None when Ollama leaves the option unset (the runtime decides)."""


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """One parameter: its JSON name, kind, default, group, meaning and sensible range.

    `minimum`/`maximum` are inclusive bounds outside which a value is almost certainly a
    mistake (None: unbounded). `deprecated` names are skipped by create with a warning.
    `default_note` explains defaults that depend on the server; `server_decides` marks a default
    that asks the server to choose (`num_ctx 0` is a context Ollama picks, not a context of 0).
    """

    name: str
    kind: ParameterKind
    default: ParameterDefault
    group: ParameterGroup
    description: str
    minimum: float | None = None
    maximum: float | None = None
    deprecated: bool = False
    default_note: str = ""
    server_decides: bool = False


_CURRENT: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "num_ctx",
        "int",
        0,
        "load",
        "context window size in tokens",
        minimum=0,
        default_note=(
            "0 lets the server decide: OLLAMA_CONTEXT_LENGTH if set, otherwise 4k/32k/256k "
            "by available VRAM"
        ),
        server_decides=True,
    ),
    ParameterSpec("num_batch", "int", 512, "load", "prompt-processing batch size", minimum=1),
    ParameterSpec(
        "num_gpu",
        "int",
        -1,
        "load",
        "number of layers to offload to the GPU",
        minimum=-1,
        default_note="-1 decides automatically",
        server_decides=True,
    ),
    ParameterSpec(
        "main_gpu",
        "int",
        None,
        "load",
        "which GPU holds the main buffers",
        minimum=0,
        default_note="unset: the runtime decides",
        server_decides=True,
    ),
    ParameterSpec(
        "use_mmap",
        "bool",
        None,
        "load",
        "memory-map the model weights",
        default_note="unset: the runtime decides",
        server_decides=True,
    ),
    ParameterSpec(
        "num_thread",
        "int",
        0,
        "load",
        "number of CPU threads",
        minimum=0,
        default_note="0 lets the runtime decide",
        server_decides=True,
    ),
    ParameterSpec(
        "draft_num_predict",
        "int",
        4,
        "load",
        "speculative draft tokens per step; 0 turns speculative drafting off",
        minimum=0,
    ),
    ParameterSpec(
        "num_keep",
        "int",
        4,
        "run",
        "prompt tokens kept when the context shifts",
        minimum=-1,
    ),
    ParameterSpec(
        "seed",
        "int",
        -1,
        "run",
        "random number seed",
        default_note="-1 picks a random seed",
    ),
    ParameterSpec(
        "num_predict",
        "int",
        -1,
        "run",
        "maximum number of tokens to generate",
        minimum=-2,
        default_note="-1 means no limit",
    ),
    ParameterSpec("top_k", "int", 40, "run", "top-k sampling cutoff", minimum=0),
    ParameterSpec(
        "top_p", "float", 0.9, "run", "nucleus sampling probability mass", minimum=0, maximum=1
    ),
    ParameterSpec(
        "min_p",
        "float",
        0.0,
        "run",
        "minimum token probability relative to the most likely token",
        minimum=0,
        maximum=1,
    ),
    ParameterSpec(
        "typical_p", "float", 1.0, "run", "locally typical sampling", minimum=0, maximum=1
    ),
    ParameterSpec(
        "repeat_last_n",
        "int",
        64,
        "run",
        "how far back to look for repetitions",
        minimum=-1,
        default_note="0 turns it off, -1 uses num_ctx",
    ),
    ParameterSpec("temperature", "float", 0.8, "run", "sampling temperature", minimum=0),
    ParameterSpec("repeat_penalty", "float", 1.0, "run", "repetition penalty", minimum=0),
    ParameterSpec("presence_penalty", "float", 0.0, "run", "presence penalty"),
    ParameterSpec("frequency_penalty", "float", 0.0, "run", "frequency penalty"),
    ParameterSpec(
        "stop",
        "string_list",
        None,
        "run",
        "stop sequence; repeat the line for several, order is kept",
        default_note="none",
    ),
)

_DEPRECATED: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "penalize_newline", "bool", None, "run", "penalize newlines (removed)", deprecated=True
    ),
    ParameterSpec("low_vram", "bool", None, "load", "low-VRAM mode (removed)", deprecated=True),
    ParameterSpec("f16_kv", "bool", None, "load", "f16 KV cache (removed)", deprecated=True),
    ParameterSpec(
        "logits_all", "bool", None, "load", "return all logits (removed)", deprecated=True
    ),
    ParameterSpec("vocab_only", "bool", None, "load", "load only the vocabulary", deprecated=True),
    ParameterSpec("use_mlock", "bool", None, "load", "lock weights in RAM", deprecated=True),
    ParameterSpec("mirostat", "int", None, "run", "Mirostat sampling mode", deprecated=True),
    ParameterSpec("mirostat_tau", "float", None, "run", "Mirostat target", deprecated=True),
    ParameterSpec("mirostat_eta", "float", None, "run", "Mirostat learning rate", deprecated=True),
)

PARAMETERS: Mapping[str, ParameterSpec] = MappingProxyType({spec.name: spec for spec in _CURRENT})
"""The parameters Ollama's create accepts (`api.Options` JSON names; case-sensitive), in the
order of Ollama's documentation table."""

DEPRECATED_PARAMETERS: Mapping[str, ParameterSpec] = MappingProxyType(
    {spec.name: spec for spec in _DEPRECATED}
)
"""Names create skips with `warning: parameter <name> is deprecated`, without checking the
value; in Ollama's order."""


def parameter_spec(name: str) -> ParameterSpec | None:
    """The spec for `name` (current or deprecated; exact case), None for an unknown name."""
    return PARAMETERS.get(name) or DEPRECATED_PARAMETERS.get(name)


def parameter_value_text(name: str, text: str) -> str:
    """A PARAMETER value typed back from Go's float64 `%v`, for display, diffs and stored values.

    `ollama show --modelfile` prints numbers as `%v` does (`seed 1e+06`), which `ollama create`
    would refuse for an int parameter: an int parameter's whole number is written as integer
    digits (`1e+06` -> `1000000`, `20.0` -> `20`), and so is a float parameter's whole number
    in exponent form. Anything else (fractions of int parameters, which create refuses, plain
    floats, strings, unknown names) is kept as written, so lint still sees what was written.
    """
    spec = parameter_spec(name)
    if spec is None or spec.kind not in ("int", "float"):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    if spec.kind == "int":
        return str(int(number)) if number.is_integer() else text
    if "e" in text.lower() and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return text


def parameter_text(name: str, value: object) -> str:
    """A JSON value (curated data, an API options map) as the PARAMETER text its kind needs.

    Numbers are printed as Go prints a float64 (`%v`, as `ollama show` does) and then typed
    back by `parameter_value_text`: 20.0 for `top_k` becomes `20` (ParseInt refuses `20.0`
    with `invalid int value`), 0.95 stays `0.95`, 1.0 becomes `1`; a bool is `true`/`false`;
    anything else is its plain text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return parameter_value_text(name, format_float(value))
    return str(value)


def default_words(spec: ParameterSpec, *, short: bool = False) -> str:
    """A parameter's default as a person reads it: `0.8`, `true`, `none`, or for a default that
    asks the server to choose `auto: Ollama chooses; 0` (`auto (0)` when `short`)."""
    value = spec.default
    shown = None if value is None else parameter_text(spec.name, value)
    if spec.server_decides:
        if short:
            return "auto" if shown is None else f"auto ({shown})"
        return "auto: Ollama chooses" + ("" if shown is None else f"; {shown}")
    return "none" if shown is None else shown
