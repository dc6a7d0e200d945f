"""Every oracle case (outputs of Ollama's real Go parser) reproduced exactly.

One test per case id for parsing + rendering + re-parsing, and one per parse-ok case id for
the create request. Numbers are compared as numbers (the oracle was re-dumped by Python, so
Go's `-0` reads back as the int 0), booleans only with booleans.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from modelarium.modelfile.commands import Command, ModelfileError
from modelarium.modelfile.create import (
    CreateMarshalError,
    CreateRequestError,
    build_create_request,
)
from modelarium.modelfile.parser import decode, parse
from modelarium.modelfile.render import render_commands
from tests.conftest import load_oracle_cases
from tests.unit.modelfile.reference_parser import reference_parse

CASES = load_oracle_cases()
OK_CASES = [case for case in CASES if case["expect"]["ok"]]


def case_source(case: dict[str, Any]) -> bytes:
    """The exact input bytes of a case."""
    if "input" in case:
        text: str = case["input"]
        return text.encode("utf-8")
    return base64.b64decode(case["input_b64"])


def as_dicts(commands: list[Command]) -> list[dict[str, str]]:
    return [{"name": command.name, "args": command.args} for command in commands]


def same_json(actual: object, expected: object) -> bool:
    """JSON equality with numbers compared by value and booleans kept apart from numbers."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual is expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return actual == expected
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            same_json(actual[key], expected[key]) for key in actual
        )
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            same_json(left, right) for left, right in zip(actual, expected, strict=True)
        )
    return type(actual) is type(expected) and actual == expected


def test_oracle_has_every_case() -> None:
    assert len(CASES) == 176
    assert len({case["id"] for case in CASES}) == 176
    assert len(OK_CASES) == 123


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_oracle_parse_render_reparse(case: dict[str, Any]) -> None:
    expect = case["expect"]
    source = case_source(case)
    reference = reference_parse(decode(source))
    if not expect["ok"]:
        with pytest.raises(ModelfileError) as raised:
            parse(source)
        assert str(raised.value) == expect["error"]
        assert raised.value.ollama_line == expect.get("error_line")
        assert reference.error == expect["error"]
        assert reference.error_line == expect.get("error_line")
        return

    commands = parse(source)
    assert as_dicts(commands) == expect["commands"]
    assert reference.commands == commands
    rendered = render_commands(commands)
    assert rendered == expect["string"]

    reparse = expect["reparse"]
    try:
        again = parse(rendered)
    except ModelfileError as error:
        assert not reparse["ok"], f"re-parse failed unexpectedly: {error}"
        assert str(error) == reparse["error"]
        return
    assert reparse["ok"]
    assert (again == commands) is reparse["same"]
    if not reparse["same"]:
        assert as_dicts(again) == reparse["commands"]


def _expected_stdout(expect: dict[str, Any]) -> str:
    stdout: str = expect.get("create_stdout", "")
    return stdout


@pytest.mark.parametrize("case", OK_CASES, ids=[case["id"] for case in OK_CASES])
def test_oracle_create_request(case: dict[str, Any], tmp_path: Path) -> None:
    expect = case["expect"]
    if "create_skipped" in expect:
        pytest.skip(f"oracle did not run create: {expect['create_skipped']}")
    commands = parse(case_source(case))
    # The oracle ran create against a folder that does not exist.
    directory = tmp_path / "no-such-folder"
    if "create_marshal_error" in expect:
        with pytest.raises(CreateMarshalError) as marshal:
            build_create_request(commands, directory)
        assert str(marshal.value) == expect["create_marshal_error"]
        assert "".join(f"{line}\n" for line in marshal.value.warnings) == _expected_stdout(expect)
        return
    if "create_error" in expect:
        with pytest.raises(CreateRequestError) as failure:
            build_create_request(commands, directory)
        assert not isinstance(failure.value, CreateMarshalError)
        assert str(failure.value) == expect["create_error"]
        return

    request = build_create_request(commands, directory)
    body = json.loads(json.dumps(request.body, allow_nan=False))
    assert same_json(body, expect["create_request"]), body
    assert same_json(body.get("parameters", {}), expect["params"])
    assert "".join(f"{line}\n" for line in request.warnings) == _expected_stdout(expect)
    assert request.local_files == {}
