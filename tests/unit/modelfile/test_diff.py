"""Element-level diff: what the model gets, not how the text is laid out."""

from __future__ import annotations

import json

import pytest

from modelarium.modelfile.diff import Change, DiffError, diff_modelfiles

BEFORE = (
    "FROM llama3\n"
    "PARAMETER temperature 0.7\n"
    "PARAMETER stop a\n"
    "PARAMETER seed 1\n"
    'TEMPLATE """one\ntwo\nthree"""\n'
    "SYSTEM hi\n"
    "MESSAGE user q1\n"
    "MESSAGE assistant a1\n"
)


def test_identical_models_with_different_layout() -> None:
    after = "# comment\nfrom llama3\n\nparameter temperature 0.7\n" + BEFORE.split("\n", 2)[2]
    result = diff_modelfiles(BEFORE, after)
    assert result.identical
    assert "describe the same model" in result.to_text()


def test_every_kind_of_change() -> None:
    after = (
        "FROM llama3.1\n"
        "PARAMETER temperature 0.9\n"
        "PARAMETER stop a\n"
        "PARAMETER stop b\n"
        "PARAMETER num_ctx 8192\n"
        'TEMPLATE """one\n2\nthree"""\n'
        "MESSAGE user q1\n"
        "MESSAGE user q2\n"
        "MESSAGE assistant a1\n"
    )
    result = diff_modelfiles(BEFORE, after, before_label="a", after_label="b")
    assert result.changes == (
        Change("base", "changed", before=["llama3"], after=["llama3.1"]),
        Change(
            "template",
            "changed",
            before="one\ntwo\nthree",
            after="one\n2\nthree",
            diff=(
                "--- before",
                "+++ after",
                "@@ -1,3 +1,3 @@",
                " one",
                "-two",
                "+2",
                " three",
            ),
        ),
        Change("system", "removed", before="hi"),
        Change("parameters", "changed", "temperature", before="0.7", after="0.9"),
        Change("parameters", "changed", "stop", before=["a"], after=["a", "b"]),
        Change("parameters", "removed", "seed", before="1"),
        Change("parameters", "added", "num_ctx", after="8192"),
        Change("messages", "added", "2", after="user: q2"),
    )
    text = result.to_text()
    assert text.splitlines()[:3] == ["--- a", "+++ b", 'FROM: ["llama3"] -> ["llama3.1"]']
    assert 'PARAMETER temperature: "0.7" -> "0.9"' in text
    assert 'PARAMETER num_ctx: added "8192"' in text
    assert 'MESSAGE #2: added "user: q2"' in text
    assert "    -two" in text
    data = json.loads(json.dumps(result.to_json()))
    assert data["identical"] is False
    assert data["changes"][4] == {
        "element": "parameters",
        "change": "changed",
        "name": "stop",
        "before": ["a"],
        "after": ["a", "b"],
    }


def test_last_value_wins_like_create() -> None:
    before = "FROM x\nPARAMETER seed 1\nPARAMETER seed 2\nSYSTEM a\nSYSTEM b\n"
    after = "FROM x\nPARAMETER seed 2\nSYSTEM b\n"
    assert diff_modelfiles(before, after).identical


def test_changed_message_content() -> None:
    result = diff_modelfiles("FROM x\nMESSAGE user a\n", "FROM x\nMESSAGE user b\n")
    assert result.changes == (
        Change("messages", "changed", "1", before="user: a", after="user: b"),
    )


def test_unparsable_side_is_named() -> None:
    with pytest.raises(DiffError, match=r"^right: Ollama rejects this Modelfile: unexpected EOF"):
        diff_modelfiles("FROM x\n", 'FROM "x\n', after_label="right")


def test_parameter_values_are_compared_and_shown_as_ollama_takes_them() -> None:
    """`ollama show` prints `seed 1e+06` for `seed 1000000`: the same value, shown as the
    details pane shows it, and no difference at all against the text that wrote it."""
    from modelarium.modelfile import diff_modelfiles

    added = diff_modelfiles("FROM a\n", "FROM a\nPARAMETER seed 1e+06\n")
    assert 'PARAMETER seed: added "1000000"' in added.to_text()
    assert diff_modelfiles(
        "FROM a\nPARAMETER seed 1000000\n", "FROM a\nPARAMETER seed 1e+06\n"
    ).identical
    changed = diff_modelfiles("FROM a\nPARAMETER top_k 20.0\n", "FROM a\nPARAMETER top_k 40\n")
    assert 'PARAMETER top_k: "20" -> "40"' in changed.to_text()
