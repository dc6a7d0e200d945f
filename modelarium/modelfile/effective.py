"""Effective settings: every setting a model runs with and where its value comes from.

For a Modelfile laid over a base (`ModelFacts`), or for an installed model alone: this
Modelfile's line N, inherited from the base, Ollama's default, or — for the context — what the
running instance was loaded with (`/api/ps`), which is the question users keep asking
(ollama #18229: the context `ollama ps` shows is not the Modelfile's num_ctx).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from modelarium.modelfile.document import INSTRUCTION_COMMANDS, scan_cached, split_bom
from modelarium.modelfile.drift import own_lines
from modelarium.modelfile.model_facts import ModelFacts
from modelarium.modelfile.params import PARAMETERS

_NOT_SETTINGS = INSTRUCTION_COMMANDS - {"template", "system"}

Source = Literal["modelfile", "inherited", "default", "unset"]


@dataclass(frozen=True, slots=True)
class EffectiveSetting:
    """One setting: its value, where it comes from and, for the context, what is running."""

    name: str
    value: str | tuple[str, ...] | None
    source: Source
    origin: str
    """Where the value comes from, in words: `line 4`, `inherited from qwen3:8b (line 9)`,
    `Ollama default`, `not set`."""
    line: int | None = None
    running: str | None = None
    """For num_ctx: the context the loaded instance really has, when it differs."""

    def to_json(self) -> dict[str, object]:
        """The setting as JSON data (`models show --effective --json`)."""
        return {
            "name": self.name,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "source": self.source,
            "origin": self.origin,
            "line": self.line,
            "running": self.running,
        }


def effective_settings(
    text: str | None,
    facts: ModelFacts | None,
    *,
    running_context: int | None = None,
    include_unset: bool = False,
) -> tuple[EffectiveSetting, ...]:
    """TEMPLATE, SYSTEM and every parameter with its source, in catalogue order.

    `text` is a Modelfile laid over `facts` (None: the installed model alone). A parameter the
    text sets wins; `stop` set in the text replaces the inherited list whole (as create does).
    Parameters nobody sets show Ollama's default, or are left out unless `include_unset`.
    """
    own = _own_settings(text) if text is not None else {}
    base_name = facts.name if facts is not None else ""
    settings: list[EffectiveSetting] = []
    for name in ("template", "system"):
        if name in own:
            value, line = own[name]
            settings.append(EffectiveSetting(name, value, "modelfile", f"line {line}", line))
        elif facts is not None and getattr(facts, name):
            settings.append(
                EffectiveSetting(name, getattr(facts, name), "inherited", f"from {base_name}")
            )
        elif include_unset:
            settings.append(EffectiveSetting(name, None, "unset", "not set"))
    inherited = facts.parameters if facts is not None else {}
    names = [*PARAMETERS, *(n for n in [*own, *inherited] if n not in PARAMETERS)]
    for name in names:
        if name in ("template", "system"):
            continue
        running = _running_note(name, running_context)
        if name in own:
            value, line = own[name]
            settings.append(
                EffectiveSetting(name, value, "modelfile", f"line {line}", line, running)
            )
        elif name in inherited:
            base_line = facts.parameter_lines.get(name) if facts is not None else None
            where = f" (its line {base_line})" if base_line else ""
            settings.append(
                EffectiveSetting(
                    name, inherited[name], "inherited", f"from {base_name}{where}", None, running
                )
            )
        elif name in PARAMETERS:
            spec = PARAMETERS[name]
            if spec.deprecated:
                continue
            if spec.default is None or name == "stop":
                if include_unset:
                    settings.append(
                        EffectiveSetting(name, None, "unset", "not set: the runtime decides")
                    )
                continue
            default = _default_text(spec.default)
            origin = "Ollama default" + (f": {spec.default_note}" if spec.default_note else "")
            settings.append(EffectiveSetting(name, default, "default", origin, None, running))
    return tuple(settings)


def model_settings(
    facts: ModelFacts,
    base: ModelFacts | None = None,
    *,
    running_context: int | None = None,
    include_unset: bool = False,
) -> tuple[EffectiveSetting, ...]:
    """An installed model's effective settings, telling its own values from its base's.

    With its base's facts (`base`, the model named by `parent_model` on the same host), the
    model's own lines (`drift.own_lines`: what differs from the base) are laid over the base:
    a value the model sets reads `set by <model>`, one it keeps reads `from <base> (its line
    N)`. Without a base (a library model, or a base the host no longer has) every value reads
    `its Modelfile (line N)`. `models show --effective` and the details pane say the same."""
    if base is None:
        settings = effective_settings(
            None, facts, running_context=running_context, include_unset=include_unset
        )
        return tuple(
            replace(s, origin=_own_origin(s.origin, facts.name)) if s.source == "inherited" else s
            for s in settings
        )
    text, _ = own_lines(facts, base)
    settings = effective_settings(
        text, base, running_context=running_context, include_unset=include_unset
    )
    return tuple(
        replace(s, origin=f"set by {facts.name}", line=None) if s.source == "modelfile" else s
        for s in settings
    )


def _own_origin(origin: str, name: str) -> str:
    """`from qwen3:8b (its line 9)` said of the model itself: `its Modelfile (line 9)`."""
    return "its Modelfile" + origin.removeprefix(f"from {name}").replace(" (its line", " (line")


def _running_note(name: str, running_context: int | None) -> str | None:
    if name != "num_ctx" or running_context is None:
        return None
    return f"loaded with {running_context:,} tokens (ollama ps)"


def _default_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _own_settings(text: str) -> dict[str, tuple[str | tuple[str, ...], int]]:
    """Settings the text sets: last value per name with its line; stops as one list."""
    _, body = split_bom(text)
    outcome = scan_cached(body)
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", body))]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    found: dict[str, tuple[str | tuple[str, ...], int]] = {}
    stops: list[str] = []
    stop_line = 0
    for parsed in outcome.commands:
        name = parsed.command.name
        if name in _NOT_SETTINGS:
            continue
        line = line_of(parsed.start)
        if name == "stop":
            stops.append(parsed.command.args)
            stop_line = stop_line or line
        else:
            found[name] = (parsed.command.args, line)
    if stops:
        found["stop"] = (tuple(stops), stop_line)
    return found


def settings_table(settings: Sequence[EffectiveSetting]) -> list[tuple[str, str, str]]:
    """(name, value, origin) rows for a plain-text table; long texts cut to their first line."""
    rows: list[tuple[str, str, str]] = []
    for setting in settings:
        if setting.value is None:
            value = "—"
        elif isinstance(setting.value, tuple):
            value = ", ".join(repr(v) for v in setting.value)
        else:
            first, _, rest = setting.value.partition("\n")
            value = first + (" …" if rest else "")
        origin = setting.origin + (f"; {setting.running}" if setting.running else "")
        rows.append((setting.name, value, origin))
    return rows
