"""Drift: a derived model on old base weights, and its own lines over the current base."""

from __future__ import annotations

from modelarium.modelfile.drift import drift, has_drifted, own_lines
from modelarium.modelfile.model_facts import facts_from_modelfile
from modelarium.modelfile.parser import parse

BASE_TEXT = (
    "FROM /models/blobs/sha256-{weights}\n"
    'TEMPLATE "{{{{ .Prompt }}}}"\n'
    "PARAMETER stop <|eot_id|>\n"
    "PARAMETER temperature 0.6\n"
    'LICENSE "Llama 3.1 licence"\n'
)
DERIVED_TEXT = BASE_TEXT + (
    'SYSTEM "You review code."\nPARAMETER num_ctx 32768\nLICENSE "my notes"\n'
    "MESSAGE user hi\nMESSAGE assistant hello\n"
)


def test_a_derived_model_on_the_old_weights_has_drifted() -> None:
    old_base = facts_from_modelfile("llama3.1:8b", BASE_TEXT.format(weights="old"))
    new_base = facts_from_modelfile("llama3.1:8b", BASE_TEXT.format(weights="new"))
    derived = facts_from_modelfile("reviewer", DERIVED_TEXT.format(weights="old"))
    assert not has_drifted(derived, old_base)
    assert drift(derived, old_base) is None
    found = drift(derived, new_base)
    assert found is not None
    assert (found.old_weights, found.new_weights) == (
        "/models/blobs/sha256-old",
        "/models/blobs/sha256-new",
    )
    assert found.notes == ()
    commands = parse(found.modelfile)
    assert [(c.name, c.args) for c in commands] == [
        ("model", "llama3.1:8b"),
        ("system", "You review code."),
        ("num_ctx", "32768"),
        ("license", "my notes"),
        ("message", "user: hi"),
        ("message", "assistant: hello"),
    ]


def test_values_the_update_changed_are_kept_as_the_derived_model_had_them() -> None:
    updated = BASE_TEXT.replace("temperature 0.6", "temperature 0.8")
    new_base = facts_from_modelfile("llama3.1:8b", updated.format(weights="new"))
    derived = facts_from_modelfile("reviewer", DERIVED_TEXT.format(weights="old"))
    text, _ = own_lines(derived, new_base)
    assert "PARAMETER temperature 0.6" in text


def test_adapters_and_projectors_are_named_not_dropped_silently() -> None:
    base = facts_from_modelfile("llava:7b", "FROM /b/sha256-new\n")
    derived = facts_from_modelfile(
        "mine", "FROM /b/sha256-old\nFROM /b/sha256-proj\nADAPTER /b/sha256-lora\n"
    )
    found = drift(derived, base)
    assert found is not None
    assert len(found.notes) == 2
    assert "projector" in found.notes[0] and "ADAPTER" in found.notes[1]


def test_unknown_weights_never_count_as_drift() -> None:
    assert not has_drifted(
        facts_from_modelfile("a", ""), facts_from_modelfile("b", "FROM /b/sha256-x\n")
    )
