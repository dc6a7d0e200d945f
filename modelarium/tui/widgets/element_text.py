"""How a Modelfile element reads as text: one line describing it (the editor's side panel, the
save and import dialogs) and the Modelfile it makes (the editor, the library's preview and copy).
Shared, so no dialog and no other pane imports the editor pane's package."""

from __future__ import annotations

from collections.abc import Sequence

from modelarium.modelfile import Element, ElementKind, generate_modelfile


def element_summary(element: Element) -> str:
    """One line describing an element for the side panel: kind and a glimpse of its content."""
    if element.kind is ElementKind.PARAMETERS:
        names = ", ".join(f"{p.name} {p.value}" for p in element.parameters[:4])
        more = f" +{len(element.parameters) - 4}" if len(element.parameters) > 4 else ""
        return f"PARAMETERS  {names}{more}"
    if element.kind is ElementKind.MESSAGES:
        roles = " ".join(m.role for m in element.messages[:6])
        return f"MESSAGES  {len(element.messages)}: {roles}"
    first_line = element.value.strip().splitlines()[0] if element.value.strip() else ""
    line_count = element.value.count("\n") + 1
    glimpse = first_line if len(first_line) <= 48 else first_line[:47] + "…"
    suffix = f"  ({line_count} lines)" if line_count > 1 else ""
    return f"{element.kind.value.upper()}  {glimpse}{suffix}"


def text_for_elements(elements: Sequence[Element]) -> str:
    """A complete Modelfile for `elements`; ValueError naming the element when impossible."""
    try:
        return generate_modelfile(tuple(elements))
    except Exception as error:  # GenerateError and the like carry the element's name
        raise ValueError(str(error)) from error
