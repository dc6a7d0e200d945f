"""A wizard draft's choices, as kept in the draft's `origin` (`wizard {...}`; no Textual).

Shared by the wizard (which writes and resumes its drafts) and the drafts dialog (which lists
every draft, says what a wizard draft is in one line and routes it back to the wizard), so the
format has one place and neither imports the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

STEPS = (
    "Base model",
    "Use case",
    "Parameters",
    "System prompt and examples",
    "Template",
    "Name, host and quantization",
    "Review",
    "Create",
)
DRAFT_ORIGIN = "wizard "
"""Prefix of a wizard draft's `origin`; the JSON of `WizardChoices` follows."""


@dataclass
class WizardChoices:
    """Everything chosen besides the Modelfile text (kept in the draft's origin)."""

    step: int = 0
    host: str = ""
    base: str = ""
    use_case: str = "general"
    name: str = ""
    quantize: str = ""
    parameter_set: str = ""
    """What the parameters started from (`recommended for qwen2.5 · code`, a library set)."""

    def to_origin(self) -> str:
        """The draft origin line."""
        return DRAFT_ORIGIN + json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_origin(cls, origin: str) -> WizardChoices | None:
        """The choices of a wizard draft's origin, None for any other draft."""
        if not origin.startswith(DRAFT_ORIGIN):
            return None
        try:
            data = json.loads(origin.removeprefix(DRAFT_ORIGIN))
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        choices = cls()
        for key, value in data.items():
            if hasattr(choices, key) and isinstance(value, type(getattr(choices, key))):
                setattr(choices, key, value)
        choices.step = max(0, min(choices.step, len(STEPS) - 1))
        return choices

    def summary(self) -> str:
        """One line for a list of drafts: `wizard draft · base qwen3:8b · code · step 3 of 8:
        Parameters` (never the raw JSON)."""
        base = self.base or "no base yet"
        return (
            f"wizard draft · base {base} · {self.use_case} · "
            f"step {self.step + 1} of {len(STEPS)}: {STEPS[self.step]}"
        )
