"""Every oracle case (Ollama's own `template.Parse` + `Execute`) reproduced exactly."""

from __future__ import annotations

from typing import Any

import pytest

from modelarium.modelfile.prompt import TemplateExecError, TemplateParseError, render_prompt
from tests.unit.modelfile.oracle_requests import load_cases, oracle_date, request_for

CASES = load_cases()


def test_the_oracle_is_complete() -> None:
    assert len(CASES) == 1320
    assert len({case["id"].split("__")[0] for case in CASES}) == 88


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_oracle_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    request = request_for(case["values"])
    today = oracle_date(expect)
    if expect["ok"]:
        assert render_prompt(case["template"], request, today=today) == expect["output"]
    elif "parse_error" in expect:
        with pytest.raises(TemplateParseError) as raised:
            render_prompt(case["template"], request, today=today)
        assert str(raised.value) == expect["parse_error"]
    else:
        with pytest.raises(TemplateExecError) as failed:
            render_prompt(case["template"], request, today=today)
        assert str(failed.value) == expect["exec_error"]
