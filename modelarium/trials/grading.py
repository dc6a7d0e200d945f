"""Grading one answer to one probe task: passed, or a stable failure code with a detail.

Failure codes are part of the stored results and of `trials run --json`: never rename one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelarium.ollama.chat import ChatReply
from modelarium.trials.probes import SPEED_MIN_PROMPT_TOKENS, Task

FAILURE_CODES: Mapping[str, str] = {
    "host_error": "the host failed the request",
    "no_tool_call": "no tool call in the answer",
    "markup_leaked": "tool-call markup leaked into the text instead of a real call",
    "wrong_function": "called another function than the task needs",
    "invalid_arguments": "arguments do not satisfy the function's schema",
    "wrong_arguments": "arguments valid but not what the task asked for",
    "truncated": "the answer was cut short (done_reason is not stop)",
    "not_json": "the answer is not JSON",
    "schema_mismatch": "the JSON does not satisfy the requested schema",
    "no_code": "no code in the answer",
    "syntax_error": "the code does not compile",
    "assert_failed": "the code fails the task's checks",
    "runtime_error": "the code raises before the checks finish",
    "timeout": "the code ran past its time limit",
    "no_counters": "the host reported no token counters",
    "truncated_prompt": "the server cut the prompt (invalid run, not a slow one)",
}

LEAKED_MARKUP = (
    "<tool_call>",
    "</tool_call>",
    "[TOOL_CALLS]",
    "<|python_tag|>",
    "<function=",
    "<|tool_call|>",
    "<tool_call|>",
    "<|tool_calls_section_begin|>",
)
CODE_TIME_LIMIT = 10.0
_CODE_BLOCK = re.compile(r"```(?:python|py|python3)?[ \t]*\n(.*?)```", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Grade:
    """The verdict on one answer. `valid` is False when the run measured nothing usable."""

    passed: bool
    failure: str | None = None
    detail: str = ""
    valid: bool = True

    @staticmethod
    def fail(code: str, detail: str = "", *, valid: bool = True) -> Grade:
        assert code in FAILURE_CODES, code
        return Grade(False, code, detail or FAILURE_CODES[code], valid)


PASS = Grade(True)


def grade(probe: str, task: Task, reply: ChatReply) -> Grade:
    """Grade `reply` to `task` of `probe` (tools, json, code or speed)."""
    if probe == "tools":
        return grade_tools(task, reply)
    if probe == "json":
        return grade_json(task, reply)
    if probe == "code":
        return grade_code(task, reply)
    if probe == "speed":
        return grade_speed(reply)
    raise ValueError(f"unknown probe {probe!r}")


def _leaked(text: str) -> str | None:
    return next((marker for marker in LEAKED_MARKUP if marker in text), None)


def _schema_errors(value: object, schema: Mapping[str, Any]) -> list[str]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(dict(schema))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(value)
    ]


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.strip().casefold() == actual.strip().casefold()
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    return expected == actual


def grade_tools(task: Task, reply: ChatReply) -> Grade:
    """Right function, schema-valid arguments with the asked values, and no leaked markup."""
    leaked = _leaked(reply.content)
    if not reply.tool_calls:
        if leaked is not None:
            return Grade.fail("markup_leaked", f"{leaked!r} in the text, no tool call")
        return Grade.fail("no_tool_call")
    call = reply.tool_calls[0]
    if call.name != task.expect_function:
        return Grade.fail("wrong_function", f"called {call.name!r}, not {task.expect_function!r}")
    schema = next(
        tool["function"]["parameters"]
        for tool in task.tools
        if tool["function"]["name"] == call.name
    )
    errors = _schema_errors(dict(call.arguments), schema)
    if errors:
        return Grade.fail("invalid_arguments", "; ".join(errors))
    for name, expected in task.expect_arguments.items():
        if not _same(expected, call.arguments.get(name)):
            return Grade.fail(
                "wrong_arguments", f"{name} is {call.arguments.get(name)!r}, not {expected!r}"
            )
    if leaked is not None:
        return Grade.fail("markup_leaked", f"a tool call, and {leaked!r} in the text too")
    return PASS


def grade_json(task: Task, reply: ChatReply) -> Grade:
    """Not cut short, parses, and satisfies the requested schema."""
    if reply.done_reason != "stop":
        return Grade.fail("truncated", f"done_reason {reply.done_reason or 'missing'!r}")
    try:
        value = json.loads(reply.content)
    except ValueError as error:
        return Grade.fail("not_json", str(error))
    assert task.format_schema is not None
    errors = _schema_errors(value, task.format_schema)
    if errors:
        return Grade.fail("schema_mismatch", "; ".join(errors))
    return PASS


def code_of(answer: str) -> str:
    """The Python in an answer: its fenced blocks joined, else the whole text."""
    blocks = _CODE_BLOCK.findall(answer)
    return "\n".join(blocks) if blocks else answer


def grade_code(task: Task, reply: ChatReply, *, time_limit: float = CODE_TIME_LIMIT) -> Grade:
    """Compile the answer's code, then run it and the task's asserts in a fresh interpreter,
    in an empty temporary folder, killed after `time_limit` seconds."""
    code = code_of(reply.content).strip()
    if not code:
        return Grade.fail("no_code")
    try:
        compile(code, "<answer>", "exec")
    except SyntaxError as error:
        return Grade.fail("syntax_error", f"line {error.lineno}: {error.msg}")
    program = code + "\n\n" + task.code_check
    with tempfile.TemporaryDirectory(prefix="modelarium-trial-") as folder:
        script = Path(folder) / "answer.py"
        script.write_text(program, encoding="utf-8")
        try:
            result = subprocess.run(
                [sys.executable, "-I", "-S", str(script)],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=time_limit,
                env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"},
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Grade.fail("timeout", f"still running after {time_limit:g} s")
    if result.returncode == 0:
        return PASS
    last = (result.stderr.strip().splitlines() or [""])[-1]
    if last.startswith("AssertionError"):
        failing = _failing_assert(result.stderr)
        return Grade.fail("assert_failed", failing or last)
    return Grade.fail("runtime_error", last)


def _failing_assert(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines()]
    return next((line for line in reversed(lines) if line.startswith("assert ")), "")


def grade_speed(reply: ChatReply) -> Grade:
    """Counters present and the whole prompt read; the figures themselves are the result."""
    if reply.tokens_per_second is None:
        return Grade.fail("no_counters")
    prompt = reply.prompt_eval_count or 0
    if prompt < SPEED_MIN_PROMPT_TOKENS:
        return Grade.fail(
            "truncated_prompt",
            f"the server read {prompt} prompt tokens of ~{SPEED_MIN_PROMPT_TOKENS * 3}",
            valid=False,
        )
    return PASS
