"""How a Modelfile element reads as text: one line describing it (the editor's side panel, the
save and import dialogs) and the Modelfile it makes (the editor, the library's preview and copy).
Shared, so no dialog and no other pane imports the editor pane's package."""

from __future__ import annotations

from collections.abc import Sequence

from modelarium import wording
from modelarium.modelfile import Element, ElementKind, generate_modelfile


def element_summary(element: Element) -> str:
    """One line describing an element for the side panel: kind and a glimpse of its content
    (the one wording of `modelarium.wording.element_summary`)."""
    kind = element.kind.value
    if element.kind is ElementKind.PARAMETERS:
        pairs = [(p.name, str(p.value)) for p in element.parameters]
        return wording.element_summary(kind, parameters=pairs)
    if element.kind is ElementKind.MESSAGES:
        return wording.element_summary(kind, roles=[m.role for m in element.messages])
    return wording.element_summary(kind, element.value)


def text_for_elements(elements: Sequence[Element]) -> str:
    """A complete Modelfile for `elements`; ValueError naming the element when impossible."""
    try:
        return generate_modelfile(tuple(elements))
    except Exception as error:  # GenerateError and the like carry the element's name
        raise ValueError(str(error)) from error
