"""Hypothesis strategies shared by the element, document, format and lint tests."""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import strategies as st

from modelarium.modelfile.elements import Element, ElementKind, Message, Parameter
from modelarium.modelfile.parser import decode
from tests.conftest import load_oracle_cases

PIECES = (
    "FROM ",
    "from ",
    "PARAMETER ",
    "parameter ",
    "SYSTEM ",
    "TEMPLATE ",
    "MESSAGE user ",
    "MESSAGE User ",
    "LICENSE ",
    "REQUIRES ",
    "temperature ",
    "stop ",
    "num-ctx ",
    "0.7",
    "llama3",
    '"',
    '"""',
    "#",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "\x0c",
    "{{ .Prompt }}",
    "{{ if .System }}",
    "{{ end }}",
    "x",
    "é",
    "👋",
)
"""Fragments that hit the parser's interesting states when glued together."""

modelfile_like_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
"""Text assembled from Modelfile fragments (keywords, quotes, line breaks, comments)."""

any_text = st.one_of(st.text(max_size=200), modelfile_like_text)
"""Arbitrary text, half of it Modelfile-shaped."""

_value_alphabet = st.sampled_from([*list("ab \"#\t\n\r{}'<|>"), "x", "é", '"""', "\ufeff"])
values = st.lists(_value_alphabet, max_size=25).map("".join)
"""Values with quotes, blanks and line breaks in awkward places (some not expressible)."""

parameter_names = st.sampled_from(
    ["temperature", "num_ctx", "stop", "top_p", "seed", "x_1", "8bit", "system", "model"]
)

_TEXT_KINDS = [
    ElementKind.TEMPLATE,
    ElementKind.SYSTEM,
    ElementKind.LICENSE,
    ElementKind.ADAPTER,
    ElementKind.REQUIRES,
    ElementKind.RENDERER,
    ElementKind.PARSER,
    ElementKind.DRAFT,
]


def _element(kind: ElementKind, draw: Any) -> Element:
    if kind is ElementKind.PARAMETERS:
        pairs = draw(st.lists(st.tuples(parameter_names, values), min_size=1, max_size=5))
        return Element(kind, parameters=tuple(Parameter(n, v) for n, v in pairs))
    if kind is ElementKind.MESSAGES:
        roles = st.sampled_from(["system", "user", "assistant"])
        pairs = draw(st.lists(st.tuples(roles, values), min_size=1, max_size=4))
        return Element(kind, messages=tuple(Message(r, c) for r, c in pairs))
    if kind is ElementKind.BASE:
        return Element(kind, value=draw(st.sampled_from(["llama3", "qwen2.5:7b", "./m.gguf", ""])))
    return Element(kind, value=draw(values))


@st.composite
def element_sets(draw: Any) -> tuple[Element, ...]:
    """An ordered element set: a FROM first, then any other kinds."""
    kinds = draw(
        st.lists(
            st.sampled_from([*_TEXT_KINDS, ElementKind.PARAMETERS, ElementKind.MESSAGES]),
            max_size=5,
        )
    )
    return (_element(ElementKind.BASE, draw), *(_element(kind, draw) for kind in kinds))


def oracle_texts() -> list[tuple[str, str]]:
    """(case id, decoded text) for every oracle case."""
    found: list[tuple[str, str]] = []
    for case in load_oracle_cases():
        if "input" in case:
            found.append((case["id"], case["input"]))
        else:
            found.append((case["id"], decode(base64.b64decode(case["input_b64"]))))
    return found


def oracle_inputs() -> list[tuple[str, bytes]]:
    """(case id, raw bytes) for every oracle case."""
    found: list[tuple[str, bytes]] = []
    for case in load_oracle_cases():
        if "input" in case:
            found.append((case["id"], case["input"].encode("utf-8")))
        else:
            found.append((case["id"], base64.b64decode(case["input_b64"])))
    return found
