"""Adding library elements to the editor's Modelfile through the core's lossless document.

FROM, TEMPLATE, SYSTEM and the other single-valued instructions, and every parameter but
`stop`, replace what the Modelfile already has (in place, keyword case and quoting kept);
`stop` values and MESSAGE turns are added. Everything else, comments included, stays byte for
byte, because `ModelfileDocument` checks each edit against the exact parser.

Elements added to a text with no FROM line (a blank editor, notes, loose PARAMETER lines) and
bringing none of their own start one, so that the result is a Modelfile to complete rather than
one lint and Ollama refuse outright (MF009): `FROM <base>` when the caller knows the installed
model they are for, else `FROM ` for the user to finish (MF035 points at it until then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from modelarium.modelfile import (
    Element,
    ElementKind,
    ModelfileDocument,
    NoFromLineError,
    from_commands,
    scan_cached,
)
from modelarium.modelfile.document import split_bom
from modelarium.tui.widgets.element_text import text_for_elements

_REPEATABLE_PARAMETERS = frozenset({"stop"})

FROM_KEYWORD = "FROM "
"""How a started FROM line begins; the model name goes right after it."""


@dataclass(frozen=True, slots=True)
class Composed:
    """The text with the elements added, and the FROM line started for them, if one was."""

    text: str
    from_row: int | None = None
    """0-based row of the FROM line started because neither the text nor the elements had
    one; None when the text keeps its own FROM (or the elements brought one)."""


def add_elements_to_text(text: str, elements: Sequence[Element], *, base: str = "") -> Composed:
    """`text` with `elements` merged in (see the module docstring for the rules); `base` is
    the model a FROM line started for them names (blank: `FROM ` for the user to complete).

    Raises ValueError (one line) when the text does not parse or a value cannot be written.
    """
    if not text.strip():
        return _with_from(text_for_elements(elements), base)
    document = ModelfileDocument.parse(text)
    if document.error is not None and not isinstance(document.error, NoFromLineError):
        raise ValueError(f"fix the Modelfile first: {document.error}")
    for element in elements:
        if element.kind is ElementKind.PARAMETERS:
            for parameter in element.parameters:
                if parameter.name.lower() in _REPEATABLE_PARAMETERS:
                    document.add_parameter(parameter.name.lower(), parameter.value)
                else:
                    document.set_parameter(parameter.name.lower(), parameter.value)
        elif element.kind is ElementKind.MESSAGES:
            for message in element.messages:
                document.add_message(message.role, message.content)
        elif element.kind is ElementKind.BASE:
            document.set_from(element.value)
        else:
            document.set_text(element.kind, element.value)
    return _with_from(document.dump(), base)


def _with_from(text: str, base: str) -> Composed:
    """`text`, started with `FROM <base>` when it has no FROM line (see the module docstring)."""
    document = ModelfileDocument.parse(text)
    if not isinstance(document.error, NoFromLineError):
        return Composed(text)
    document.set_from(base)
    started = document.dump()
    outcome = scan_cached(split_bom(started)[1])
    first = from_commands(outcome)[0]
    return Composed(started, outcome.text.count("\n", 0, first.start))
