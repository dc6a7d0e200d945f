"""The parsed form of a Modelfile (Ollama's `parser.Command`) and the parse errors Ollama raises."""

from __future__ import annotations

from dataclasses import dataclass

INSTRUCTIONS: tuple[str, ...] = (
    "from",
    "license",
    "template",
    "system",
    "adapter",
    "draft",
    "renderer",
    "parser",
    "parameter",
    "message",
    "requires",
)
"""The 11 keywords Ollama accepts, in the order its error message lists them."""

MESSAGE_ROLES: tuple[str, ...] = ("system", "user", "assistant")
"""MESSAGE roles Ollama accepts (case-sensitive)."""


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed instruction, exactly as Ollama's parser produces it.

    `name` is `model` for FROM, the lower-case keyword for other instructions, `message` for
    MESSAGE (args `role: content`), and the PARAMETER name as written for parameters.
    """

    name: str
    args: str


@dataclass(frozen=True, slots=True)
class SourcePosition:
    """A human position: 1-based line (CRLF counts once) and 1-based column in code points."""

    line: int
    column: int


class ModelfileError(Exception):
    """A Modelfile Ollama's parser rejects.

    `str(error)` is Ollama's exact error text. `ollama_line` is the line number Ollama reports
    (None where Ollama reports none). `position` is our own, richer location of the offending
    character for diagnostics (None when the error concerns the whole file). `offset` is the
    same place as a code-point offset into the decoded text (None together with `position`).
    """

    def __init__(
        self,
        message: str,
        *,
        ollama_line: int | None = None,
        position: SourcePosition | None = None,
        offset: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.ollama_line = ollama_line
        self.position = position
        self.offset = offset


class InvalidCommandError(ModelfileError):
    """`(line N): command must be one of ...`."""


class InvalidRoleError(ModelfileError):
    """`(line N): message role must be one of ...`."""


class UnexpectedEOFError(ModelfileError):
    """`unexpected EOF` and `unexpected EOF: <partial>`."""


class NoFromLineError(ModelfileError):
    """`no FROM line`."""
