"""The Models pane's comparisons that know the model: a model against its base, against the
editor's text, and the same name across hosts — all on the core's element diff
(`modelfile.diff.diff_modelfiles`), shown in the one `CompareDialog` — plus the wording of
nothing-for-cloud-models. Their keys are declared in `modelarium.tui.keymap`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from modelarium.modelfile import ModelfileDiff, diff_modelfiles
from modelarium.ollama.names import same_model
from modelarium.ollama.types import ModelSummary
from modelarium.wording import counted


@dataclass(frozen=True, slots=True)
class Comparison:
    """A diff to show and what to say above it (`digests differ: …`)."""

    diff: ModelfileDiff
    note: str = ""


def compare_texts(
    before: str, after: str, before_label: str, after_label: str, note: str = ""
) -> Comparison:
    """The element diff of two Modelfiles (raises the core's DiffError naming the side)."""
    return Comparison(
        diff_modelfiles(before, after, before_label=before_label, after_label=after_label), note
    )


def same_name_elsewhere(row: ModelSummary, rows: Iterable[ModelSummary]) -> ModelSummary | None:
    """The same model name on another host, if any (for the across-hosts comparison)."""
    return next(
        (other for other in rows if other.host != row.host and same_model(other.name, row.name)),
        None,
    )


def digest_note(first: ModelSummary, second: ModelSummary) -> str:
    """What the digests of one name on two hosts say: the same manifest, or not."""
    if not same_model(first.name, second.name) or first.host == second.host:
        return ""
    if first.digest == second.digest:
        return f"Same digest on {first.host} and {second.host}: the same model."
    return (
        f"Digests differ: {first.digest[:12]} on {first.host}, {second.digest[:12]} on "
        f"{second.host}: the name stands for different models."
    )


def remote_refusal(rows: list[ModelSummary], verb: str) -> str | None:
    """Why `verb` (load, unload, push, extract) skips some rows: cloud models hold no
    weights on the host; None when no row is a cloud model."""
    remote = [row.name for row in rows if row.is_remote]
    if not remote:
        return None
    names = ", ".join(remote[:3]) + (" …" if len(remote) > 3 else "")
    return f"Cannot {verb} {counted(len(remote), 'cloud model')} ({names}): it runs remotely"
