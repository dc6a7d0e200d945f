"""The demo's scripted answers: right or wrong per family, options honoured, the probes
grading them as a real model's would be graded."""

from __future__ import annotations

from typing import Any

import pytest

from modelarium.demo.answers import DEMO_REPLY, scripted_answer
from modelarium.ollama.chat import reply_from_chunks
from modelarium.trials.grading import grade
from modelarium.trials.probes import PROBES, Task

SEED = {
    "llama3.1:8b": (8_030_261_248, ("completion", "tools")),
    "qwen2.5-coder:7b": (7_615_616_512, ("completion", "tools", "insert")),
    "qwen3:8b": (8_190_735_360, ("completion", "tools", "thinking")),
    "mistral:7b": (7_248_023_552, ("completion", "tools")),
    "granite4:3b": (3_402_836_992, ("completion", "tools")),
}


def answer_to(
    model: str, task: Task, *, options: dict[str, Any] | None = None, think: object = None
) -> Any:
    count, capabilities = SEED[model]
    answer = scripted_answer(model, parameter_count=count, capabilities=capabilities,
                             prompt=task.prompt, options=options or dict(task.options),
                             think=think, loaded=True)  # fmt: skip
    message: dict[str, Any] = {"role": "assistant", "content": answer.content,
                               "thinking": answer.thinking,
                               "tool_calls": list(answer.tool_calls)}  # fmt: skip
    final = {"message": {"role": "assistant", "content": ""}, "done": True,
             "done_reason": answer.done_reason, **answer.counters()}  # fmt: skip
    return reply_from_chunks([{"message": message, "done": False}, final])


def verdicts(model: str, probe: str, **options: Any) -> dict[str, str | None]:
    return {
        task.id: grade(probe, task, answer_to(model, task, **options)).failure
        for task in PROBES[probe].tasks  # type: ignore[index]
    }


def test_llama_gets_everything_right() -> None:
    for probe in ("tools", "json", "code", "speed"):
        assert set(verdicts("llama3.1:8b", probe).values()) == {None}, probe


def test_each_family_fails_in_its_own_way() -> None:
    assert set(verdicts("qwen2.5-coder:7b", "tools").values()) == {"markup_leaked"}
    assert verdicts("mistral:7b", "tools")["numbers-and-enums"] == "markup_leaked"
    assert verdicts("mistral:7b", "json")["book"] == "schema_mismatch"
    assert verdicts("mistral:7b", "code")["fizzbuzz"] == "assert_failed"
    assert verdicts("granite4:3b", "code") == {
        "fizzbuzz": None, "palindrome": "assert_failed", "merge-intervals": None,
    }  # fmt: skip


def test_qwen3_thinks_unless_told_not_to_and_then_leaks_it() -> None:
    book = PROBES["json"].tasks[0]
    assert answer_to("qwen3:8b", book, think=True).thinking
    assert grade("json", book, answer_to("qwen3:8b", book, think=True)).passed
    off = answer_to("qwen3:8b", book, think=False)
    assert off.thinking == "" and off.content.startswith("<think>")
    assert grade("json", book, off).failure == "not_json"


def test_options_are_honoured() -> None:
    fizz = PROBES["code"].tasks[0]
    assert (
        grade("code", fizz, answer_to("llama3.1:8b", fizz, options={"temperature": 1.6})).failure
        == "syntax_error"
    )
    cut = answer_to("llama3.1:8b", PROBES["json"].tasks[0], options={"num_predict": 2})
    assert cut.done_reason == "length"
    story = PROBES["speed"].tasks[0]
    small = answer_to("llama3.1:8b", story, options={"num_ctx": 64, "num_predict": 128})
    assert grade("speed", story, small).failure == "truncated_prompt"


def test_bigger_models_and_contexts_are_slower() -> None:
    story = PROBES["speed"].tasks[0]
    big = answer_to("llama3.1:8b", story).tokens_per_second
    small = answer_to("granite4:3b", story).tokens_per_second
    long_context = answer_to(
        "llama3.1:8b", story, options={"num_ctx": 131072, "num_predict": 128}
    ).tokens_per_second
    assert small > big > long_context


@pytest.mark.parametrize("think", [None, False, True])
def test_other_prompts_get_the_fixed_reply(think: object) -> None:
    answer = scripted_answer("qwen3:8b", parameter_count=8_000_000_000,
                             capabilities=("thinking",), prompt="Hello!", options={},
                             think=think, loaded=False)  # fmt: skip
    assert (answer.content, answer.thinking) == (DEMO_REPLY, "")
    assert answer.load_duration > 0
