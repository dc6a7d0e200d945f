"""Adding library elements to the editor's Modelfile through the core's lossless document.

FROM, TEMPLATE, SYSTEM and the other single-valued instructions, and every parameter but
`stop`, replace what the Modelfile already has (in place, keyword case and quoting kept);
`stop` values and MESSAGE turns are added. Everything else, comments included, stays byte for
byte, because `ModelfileDocument` checks each edit against the exact parser.
"""

from __future__ import annotations

from collections.abc import Sequence

from modelarium.modelfile import Element, ElementKind, ModelfileDocument
from modelarium.tui.widgets.element_text import text_for_elements

_REPEATABLE_PARAMETERS = frozenset({"stop"})


def add_elements_to_text(text: str, elements: Sequence[Element]) -> str:
    """`text` with `elements` merged in (see the module docstring for the rules).

    Raises ValueError (one line) when the text does not parse or a value cannot be written.
    """
    if not text.strip():
        return text_for_elements(elements)
    document = ModelfileDocument.parse(text)
    if document.error is not None:
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
    return document.dump()
