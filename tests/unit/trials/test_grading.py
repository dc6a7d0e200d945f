"""Grading: each probe passes a right answer and fails each wrong one with its stable code."""

from __future__ import annotations

import pytest

from modelarium.ollama.chat import ChatReply, ToolCall, reply_from_chunks
from modelarium.trials.grading import FAILURE_CODES, code_of, grade
from modelarium.trials.probes import PROBES, SPEED_MIN_PROMPT_TOKENS

WEATHER = PROBES["tools"].tasks[0]
CONVERT = PROBES["tools"].tasks[2]
BOOK = PROBES["json"].tasks[0]
FIZZBUZZ = PROBES["code"].tasks[0]
STORY = PROBES["speed"].tasks[0]


def call(name: str, **arguments: object) -> ChatReply:
    return ChatReply(tool_calls=(ToolCall(name, arguments),), done_reason="stop")


@pytest.mark.parametrize(
    ("reply", "failure"),
    [
        (call("get_weather", city="lisbon", unit="celsius"), None),
        (ChatReply(content="It is sunny."), "no_tool_call"),
        (ChatReply(content='<tool_call>{"name": "get_weather"}</tool_call>'), "markup_leaked"),
        (call("read_file", path="x"), "wrong_function"),
        (call("get_weather", city="Lisbon", unit="kelvin"), "invalid_arguments"),
        (call("get_weather", city="Lisbon"), "invalid_arguments"),
        (call("get_weather", city="Lisbon", unit="celsius", extra=1), "invalid_arguments"),
        (call("get_weather", city="Porto", unit="celsius"), "wrong_arguments"),
        (
            ChatReply(
                content="[TOOL_CALLS]",
                tool_calls=(ToolCall("get_weather", {"city": "Lisbon", "unit": "celsius"}),),
            ),
            "markup_leaked",
        ),
    ],
)
def test_tools(reply: ChatReply, failure: str | None) -> None:
    assert grade("tools", WEATHER, reply).failure == failure


def test_tool_numbers_compare_as_numbers() -> None:
    reply = call("convert_currency", amount=250.0, source="USD", target="EUR")
    assert grade("tools", CONVERT, reply).passed
    wrong_type = call("convert_currency", amount="250", source="USD", target="EUR")
    assert grade("tools", CONVERT, wrong_type).failure == "invalid_arguments"


@pytest.mark.parametrize(
    ("content", "reason", "failure"),
    [
        ('{"title": "Dune", "author": "Frank Herbert", "year": 1965}', "stop", None),
        ('{"title": "Dune", "author": "Frank Herbert", "year": 19', "length", "truncated"),
        ("Dune is a 1965 novel.", "stop", "not_json"),
        ('{"title": "Dune", "author": "Frank Herbert"}', "stop", "schema_mismatch"),
        ('{"title": "Dune", "author": "Frank Herbert", "year": "1965"}', "stop", "schema_mismatch"),
    ],
)
def test_json(content: str, reason: str, failure: str | None) -> None:
    assert grade("json", BOOK, ChatReply(content=content, done_reason=reason)).failure == failure


RIGHT_FIZZBUZZ = """Here you go:

```python
def fizzbuzz(n):
    out = []
    for i in range(1, n + 1):
        word = ("Fizz" if i % 3 == 0 else "") + ("Buzz" if i % 5 == 0 else "")
        out.append(word or str(i))
    return out
```
"""


@pytest.mark.parametrize(
    ("content", "failure"),
    [
        (RIGHT_FIZZBUZZ, None),
        (RIGHT_FIZZBUZZ.replace("n + 1", "n"), "assert_failed"),
        ("", "no_code"),
        ("def fizzbuzz(n)\n    return []\n", "syntax_error"),
        ("def fizzbuzz(n):\n    return 1 / 0\n", "runtime_error"),
    ],
)
def test_code(content: str, failure: str | None) -> None:
    result = grade("code", FIZZBUZZ, ChatReply(content=content, done_reason="stop"))
    assert result.failure == failure
    if failure == "assert_failed":
        assert result.detail == "assert fizzbuzz(5) == ['1', '2', 'Fizz', '4', 'Buzz']"


def test_code_that_never_ends_is_stopped() -> None:
    from modelarium.trials.grading import grade_code

    looping = ChatReply(content="def fizzbuzz(n):\n    while True:\n        pass\n")
    assert grade_code(FIZZBUZZ, looping, time_limit=0.5).failure == "timeout"


def test_code_runs_in_an_empty_folder() -> None:
    probe = ChatReply(
        content="import os\nassert os.listdir('.') == ['answer.py']\n"
        "def fizzbuzz(n):\n    return [str(i) if i % 3 and i % 5 else "
        "'Fizz' * (i % 3 == 0) + 'Buzz' * (i % 5 == 0) for i in range(1, n + 1)]\n"
    )
    assert grade("code", FIZZBUZZ, probe).passed


def test_code_of_takes_the_fenced_blocks() -> None:
    assert code_of("a\n```py\nx = 1\n```\nb\n```python\ny = 2\n```") == "x = 1\n\ny = 2\n"
    assert code_of("x = 1") == "x = 1"


def test_speed() -> None:
    good = ChatReply(
        eval_count=128, eval_duration=2_000_000_000,
        prompt_eval_count=SPEED_MIN_PROMPT_TOKENS * 3, prompt_eval_duration=500_000_000,
        done_reason="length",
    )  # fmt: skip
    assert grade("speed", STORY, good).passed
    assert good.tokens_per_second == 64.0
    cut = ChatReply(
        eval_count=128, eval_duration=10**9, prompt_eval_count=10, prompt_eval_duration=10**6
    )
    verdict = grade("speed", STORY, cut)
    assert (verdict.failure, verdict.valid) == ("truncated_prompt", False)
    assert grade("speed", STORY, ChatReply(content="hi")).failure == "no_counters"


def test_every_failure_code_is_described() -> None:
    assert all(FAILURE_CODES.values())


def test_streamed_chunks_fold_into_one_reply() -> None:
    reply = reply_from_chunks(
        [
            {"message": {"role": "assistant", "content": "", "thinking": "Let me"}, "done": False},
            {"message": {"role": "assistant", "content": "", "thinking": " see."}, "done": False},
            {"message": {"role": "assistant", "content": "",
                         "tool_calls": [{"function": {"name": "get_weather",
                                                      "arguments": {"city": "Lisbon"}}}]},
             "done": False},
            {"message": {"role": "assistant", "content": ""}, "done": True,
             "done_reason": "stop", "eval_count": 12, "eval_duration": 600_000_000,
             "prompt_eval_count": 40, "prompt_eval_duration": 100_000_000,
             "load_duration": 5, "total_duration": 9},
        ],
        first_token_seconds=0.25,
    )  # fmt: skip
    assert reply.thinking == "Let me see."
    assert reply.tool_calls == (ToolCall("get_weather", {"city": "Lisbon"}),)
    assert reply.tokens_per_second == 20.0
    assert reply.prompt_tokens_per_second == 400.0
    assert reply.first_token_seconds == 0.25
    assert reply.to_json()["tool_calls"] == [
        {"name": "get_weather", "arguments": {"city": "Lisbon"}}
    ]
