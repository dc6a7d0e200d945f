"""The library's filter tokens: a model filter finds an element by the model it came from,
with or without the tag, also for a registry with a port (`registry.local:5000/ns/m:tag`)."""

from __future__ import annotations

import pytest

from modelarium.store.search import element_filter_terms, filter_token


@pytest.mark.parametrize(
    ("model", "wanted"),
    [
        ("llama3.2:3b", "llama3.2:3b"),
        ("llama3.2:3b", "llama3.2"),
        ("registry.local:5000/ns/model:tag", "registry.local:5000/ns/model:tag"),
        ("registry.local:5000/ns/model:tag", "registry.local:5000/ns/model"),
        ("registry.local:5000/ns/model", "registry.local:5000/ns/model"),
    ],
)
def test_a_model_filter_token_is_among_the_elements_terms(model: str, wanted: str) -> None:
    terms = element_filter_terms("system", (), [("gpu-box", model)]).split()
    assert filter_token("model", wanted) in terms


def test_a_registry_port_is_not_taken_for_a_tag() -> None:
    terms = element_filter_terms("system", (), [("gpu-box", "registry.local:5000/ns/m:v1")])
    assert filter_token("model", "registry.local") not in terms.split()
