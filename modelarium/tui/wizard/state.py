"""The creation wizard's state, the Modelfile it composes, and its draft form (no Textual, no I/O).

One `ModelfileDocument` holds FROM and the PARAMETER lines (the parameter form edits it in
place); SYSTEM, TEMPLATE and the few-shot MESSAGEs are kept beside it and laid over a copy with
the document's own edits when the complete Modelfile is composed. A draft is that Modelfile as
text plus the wizard's choices as one JSON line in the draft's `origin` (`wizard {...}`, the
format in `tui/wizard_draft.py`, shared with the drafts dialog, which routes such a draft back
to the wizard).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from modelarium.model_names import suggested_name
from modelarium.modelfile import (
    ElementKind,
    Message,
    ModelfileDocument,
    NoFromLineError,
    parameter_spec,
)
from modelarium.tui.wizard_draft import WizardChoices

USE_CASES = ("code", "tools", "research", "thinking", "general")
USE_CASE_HELP = {
    "code": "writing and reviewing code: low temperature, long context",
    "tools": "calling tools and functions reliably",
    "research": "reading long sources and answering from them",
    "thinking": "step-by-step reasoning (thinking models)",
    "general": "chat and everything else",
}
QUANTIZATIONS = ("", "q4_K_M", "q4_K_S", "q8_0")
"""Levels `/api/create` quantizes to ("" keeps the base's); Ollama quantizes F16/F32 weights."""


@dataclass
class WizardState:
    """The wizard's choices and the Modelfile parts they make."""

    choices: WizardChoices = field(default_factory=WizardChoices)
    parameters: ModelfileDocument = field(default_factory=lambda: ModelfileDocument(""))
    """FROM and PARAMETER lines (the form edits this document)."""
    system: str = ""
    template: str | None = None
    """None: the base's template is inherited."""
    template_name: str = ""
    messages: list[Message] = field(default_factory=list)
    draft_id: int | None = None

    def set_base(self, host: str, base: str) -> None:
        """Choose the base model (FROM); the parameters typed so far stay."""
        self.choices.host = self.choices.host or host
        self.choices.base = base
        if not self.parameters.text.strip():
            self.parameters = ModelfileDocument(f"FROM {base}\n")
        else:
            self.parameters.set_from(base)
        if not self.choices.name:
            self.choices.name = suggested_name(base, self.choices.use_case)

    def apply_parameters(self, values: dict[str, str | tuple[str, ...]]) -> None:
        """Lay a parameter set over the document: each named value set (stop: all replaced)."""
        for name, value in values.items():
            if isinstance(value, tuple):
                self.parameters.remove_parameter(name)
                for one in value:
                    self.parameters.add_parameter(name, one)
            elif parameter_spec(name) is not None:
                self.parameters.set_parameter(name, value)

    def modelfile(self) -> str:
        """The complete Modelfile: FROM, parameters, TEMPLATE, SYSTEM, MESSAGEs."""
        document = ModelfileDocument(self.parameters.text or f"FROM {self.choices.base}\n")
        if self.template is not None:
            document.set_text(ElementKind.TEMPLATE, self.template)
        if self.system:
            document.set_text(ElementKind.SYSTEM, self.system)
        for message in self.messages:
            document.add_message(message.role, message.content)
        return document.text

    @classmethod
    def from_draft(cls, text: str, origin: str, draft_id: int) -> WizardState | None:
        """The wizard as a draft left it (None when the draft is not a wizard's)."""
        choices = WizardChoices.from_origin(origin)
        if choices is None:
            return None
        full = ModelfileDocument(text)
        error = full.error
        if error is not None and not isinstance(error, NoFromLineError):
            return None
        lines = [f"FROM {choices.base}"] if choices.base else []
        state = cls(choices=choices, draft_id=draft_id)
        template: str | None = None
        for command in full.commands:
            if command.name == "system":
                state.system = command.args
            elif command.name == "template":
                template = command.args
            elif command.name == "message":
                role, _, content = command.args.partition(": ")
                state.messages.append(Message(role, content))
        state.parameters = ModelfileDocument("\n".join(lines) + "\n" if lines else "")
        for command in full.commands:
            if parameter_spec(command.name) is not None:
                state.parameters.add_parameter(command.name, command.args)
        state.template = template
        state.template_name = "from the draft" if template is not None else ""
        return state
