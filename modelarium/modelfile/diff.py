"""Element-level diff of two Modelfiles: what a model built from each would differ in.

Compares what create would use, not the text: the FROM lines, the effective parameters (the
last value of each name; `stop` as its ordered list), the MESSAGE turns (aligned with
difflib, so an inserted turn shows as one addition), and the text instructions (TEMPLATE,
SYSTEM, LICENSE, …; the last one of each, all LICENSE lines), with a unified diff for
multi-line text. Comments, layout and quoting never show up as changes.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from modelarium.modelfile.commands import Command, NoFromLineError
from modelarium.modelfile.document import INSTRUCTION_COMMANDS, ModelfileDocument
from modelarium.modelfile.elements import KEYWORD_FOR_COMMAND
from modelarium.modelfile.params import parameter_value_text

_TEXT_ORDER = ("template", "system", "adapter", "draft", "renderer", "parser", "requires")


class DiffError(ValueError):
    """One side cannot be read as a Modelfile; the message names the side and Ollama's error."""


@dataclass(frozen=True, slots=True)
class Change:
    """One element-level difference.

    `element` is the element kind (`base`, `parameters`, `messages`, `template`, …), `name`
    the parameter name or message position (1-based) where that applies, `change` one of
    `added`, `removed`, `changed`. `before`/`after` hold the values (a list for `stop` and
    for FROM lines; None when absent); `diff` holds unified-diff lines for multi-line text.
    """

    element: str
    change: str
    name: str = ""
    before: str | list[str] | None = None
    after: str | list[str] | None = None
    diff: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The change as JSON data."""
        data: dict[str, object] = {"element": self.element, "change": self.change}
        if self.name:
            data["name"] = self.name
        data["before"] = self.before
        data["after"] = self.after
        if self.diff:
            data["diff"] = list(self.diff)
        return data


@dataclass(frozen=True, slots=True)
class ModelfileDiff:
    """All changes from `before_label` to `after_label`, in element order."""

    before_label: str
    after_label: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def identical(self) -> bool:
        """Whether both Modelfiles describe the same model."""
        return not self.changes

    def to_json(self) -> dict[str, object]:
        """The whole diff as JSON data."""
        return {
            "before": self.before_label,
            "after": self.after_label,
            "identical": self.identical,
            "changes": [change.to_json() for change in self.changes],
        }

    def to_text(self) -> str:
        """A readable report, one line per change (plus diff lines for text)."""
        if self.identical:
            return f"{self.before_label} and {self.after_label} describe the same model\n"
        lines = [f"--- {self.before_label}", f"+++ {self.after_label}"]
        for change in self.changes:
            lines.extend(_describe(change))
        return "\n".join(lines) + "\n"


def _show(value: str | list[str] | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _describe(change: Change) -> list[str]:
    label = {
        "base": "FROM",
        "parameters": f"PARAMETER {change.name}",
        "messages": f"MESSAGE #{change.name}",
    }.get(change.element, KEYWORD_FOR_COMMAND.get(change.element, change.element.upper()))
    if change.diff:
        return [f"{label}: {change.change}", *(f"    {line}" for line in change.diff)]
    if change.change == "added":
        return [f"{label}: added {_show(change.after)}"]
    if change.change == "removed":
        return [f"{label}: removed {_show(change.before)}"]
    return [f"{label}: {_show(change.before)} -> {_show(change.after)}"]


def _commands(text: str, label: str) -> list[Command]:
    document = ModelfileDocument.parse(text)
    if document.error is not None and not isinstance(document.error, NoFromLineError):
        raise DiffError(f"{label}: Ollama rejects this Modelfile: {document.error}")
    return document.commands


def _text_change(element: str, before: str | None, after: str | None) -> Change | None:
    if before == after:
        return None
    change = "added" if before is None else "removed" if after is None else "changed"
    multi_line = "\n" in (before or "") or "\n" in (after or "")
    diff: tuple[str, ...] = ()
    if multi_line:
        diff = tuple(
            difflib.unified_diff(
                (before or "").splitlines(),
                (after or "").splitlines(),
                fromfile="before",
                tofile="after",
                lineterm="",
                n=2,
            )
        )
    return Change(element, change, before=before, after=after, diff=diff)


def diff_commands(
    before: Sequence[Command],
    after: Sequence[Command],
    *,
    before_label: str = "before",
    after_label: str = "after",
) -> ModelfileDiff:
    """The element-level diff of two command lists."""
    changes: list[Change] = []
    bases_before = [c.args for c in before if c.name == "model"]
    bases_after = [c.args for c in after if c.name == "model"]
    if bases_before != bases_after:
        changes.append(
            Change(
                "base",
                "changed"
                if bases_before and bases_after
                else "added"
                if bases_after
                else "removed",
                before=bases_before or None,
                after=bases_after or None,
            )
        )
    for name in _TEXT_ORDER:
        old = [c.args for c in before if c.name == name]
        new = [c.args for c in after if c.name == name]
        found = _text_change(name, old[-1] if old else None, new[-1] if new else None)
        if found is not None:
            changes.append(found)
    licenses_before = [c.args for c in before if c.name == "license"]
    licenses_after = [c.args for c in after if c.name == "license"]
    found = _text_change(
        "license",
        "\n".join(licenses_before) if licenses_before else None,
        "\n".join(licenses_after) if licenses_after else None,
    )
    if found is not None:
        changes.append(found)
    changes.extend(_parameter_changes(before, after))
    changes.extend(_message_changes(before, after))
    return ModelfileDiff(before_label, after_label, tuple(changes))


def effective_parameters(commands: Sequence[Command]) -> dict[str, str | list[str]]:
    """The parameters create would use: the last value of each name (names are
    case-sensitive), `stop` as the ordered list of all its values."""
    values: dict[str, str | list[str]] = {}
    for command in commands:
        if command.name in INSTRUCTION_COMMANDS:
            continue
        if command.name == "stop":
            stops = values.setdefault("stop", [])
            assert isinstance(stops, list)
            stops.append(command.args)
        else:
            values.pop(command.name, None)
            values[command.name] = command.args
    return values


def _typed_parameters(commands: Sequence[Command]) -> dict[str, str | list[str]]:
    """The effective parameters with each value as Ollama takes it (`parameter_value_text`,
    the details pane's rule): `ollama show` prints `seed 1e+06` for `seed 1000000`, which is
    the same value, shown as 1000000."""
    return {
        name: value if isinstance(value, list) else parameter_value_text(name, value)
        for name, value in effective_parameters(commands).items()
    }


def _parameter_changes(before: Sequence[Command], after: Sequence[Command]) -> list[Change]:
    old = _typed_parameters(before)
    new = _typed_parameters(after)
    names = list(old) + [name for name in new if name not in old]
    changes: list[Change] = []
    for name in names:
        if name not in new:
            changes.append(Change("parameters", "removed", name, before=old[name]))
        elif name not in old:
            changes.append(Change("parameters", "added", name, after=new[name]))
        elif old[name] != new[name]:
            changes.append(Change("parameters", "changed", name, before=old[name], after=new[name]))
    return changes


def _messages(commands: Sequence[Command]) -> list[str]:
    return [c.args for c in commands if c.name == "message"]


def _message_changes(before: Sequence[Command], after: Sequence[Command]) -> list[Change]:
    old = _messages(before)
    new = _messages(after)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = max(old_end - old_start, new_end - new_start)
        for step in range(pairs):
            old_index = old_start + step
            new_index = new_start + step
            has_old = old_index < old_end
            has_new = new_index < new_end
            if has_old and has_new:
                changes.append(
                    Change(
                        "messages",
                        "changed",
                        str(new_index + 1),
                        before=old[old_index],
                        after=new[new_index],
                    )
                )
            elif has_old:
                changes.append(
                    Change("messages", "removed", str(old_index + 1), before=old[old_index])
                )
            else:
                changes.append(
                    Change("messages", "added", str(new_index + 1), after=new[new_index])
                )
    return changes


def diff_modelfiles(
    before_text: str,
    after_text: str,
    *,
    before_label: str = "before",
    after_label: str = "after",
) -> ModelfileDiff:
    """The element-level diff of two Modelfile texts; DiffError names a side that does not
    parse."""
    return diff_commands(
        _commands(before_text, before_label),
        _commands(after_text, after_label),
        before_label=before_label,
        after_label=after_label,
    )
