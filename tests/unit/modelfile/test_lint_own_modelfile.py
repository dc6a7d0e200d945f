"""MF107 is about a Modelfile built on a base; a model's own Modelfile (FROM names the model
itself, as `e` in Models opens it) repeats nothing: its lines are the model."""

from __future__ import annotations

from modelarium.modelfile.model_facts import facts_from_modelfile
from modelarium.modelfile.model_rules import check_against_model

TEMPLATE = "{{ if .System }}<|system|>{{ .System }}<|end|>{{ end }}<|user|>{{ .Prompt }}<|end|>"
SHOWN = (
    "FROM /root/.ollama/models/blobs/sha256-bbbb\n"
    f'TEMPLATE """{TEMPLATE}"""\n'
    'SYSTEM "You review SQL."\n'
    "PARAMETER num_ctx 4096\n"
)
REVIEWER = facts_from_modelfile(
    "sql-reviewer:latest",
    SHOWN,
    architecture="llama",
    context_length=8192,
    capabilities=("completion",),
)
OWN_TEXT = (
    "FROM sql-reviewer:latest\n"
    f'TEMPLATE """{TEMPLATE}"""\n'
    'SYSTEM "You review SQL."\n'
    "PARAMETER num_ctx 4096\n"
)


def _codes(text: str, *, own: bool) -> list[str]:
    return [str(d.code) for d in check_against_model(text, REVIEWER, own_modelfile=own)]


def test_a_new_modelfile_repeating_its_base_still_gets_mf107_on_each_repeated_line() -> None:
    found = check_against_model(OWN_TEXT, REVIEWER)
    assert [(d.code, d.line) for d in found] == [("MF107", 2), ("MF107", 3)]


def test_the_models_own_modelfile_gets_no_mf107() -> None:
    assert _codes(OWN_TEXT, own=True) == []


def test_a_variant_of_the_own_modelfile_stays_quiet_too() -> None:
    """The user edits the SYSTEM to save a variant: the TEMPLATE kept is still the model's."""
    variant = OWN_TEXT.replace("You review SQL.", "You review SQL tersely.")
    assert _codes(variant, own=True) == []
    assert _codes(variant, own=False) == ["MF107"]


def test_the_other_model_rules_still_run_on_the_own_modelfile() -> None:
    """Only MF107 is about repetition: a setting past the model's context is still wrong."""
    too_long = OWN_TEXT.replace("num_ctx 4096", "num_ctx 65536")
    assert _codes(too_long, own=True) == ["MF101"]
