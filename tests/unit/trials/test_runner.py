"""The runner: requests built from task and variant, runs graded in order, summaries."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from modelarium.ollama.chat import ChatReply, ToolCall
from modelarium.trials.probes import PROBES
from modelarium.trials.runner import TaskRun, Variant, chat_request, run_probes, summarise


class HostDown(Exception):
    pass


def scripted(replies: dict[str, ChatReply]) -> tuple[list[Mapping[str, Any]], Any]:
    sent: list[Mapping[str, Any]] = []

    async def chat(body: Mapping[str, Any]) -> ChatReply:
        sent.append(body)
        prompt = body["messages"][-1]["content"]
        for needle, reply in replies.items():
            if needle in prompt:
                return reply
        raise HostDown("connection refused")

    return sent, chat


def test_the_request_carries_the_variant_and_the_task() -> None:
    task = PROBES["tools"].tasks[0]
    variant = Variant("cool", options={"temperature": 0.2, "num_predict": 999}, think=False)
    body = chat_request("qwen3:8b", "tools", task, variant, run_number=1)
    assert body["model"] == "qwen3:8b"
    assert body["options"] == {"temperature": 0.2, "num_predict": 999}
    assert body["think"] is False
    assert body["tools"][0]["function"]["name"] == "get_weather"
    assert "format" not in body
    speed = PROBES["speed"].tasks[0]
    first = chat_request("m", "speed", speed, variant, run_number=1)
    second = chat_request("m", "speed", speed, variant, run_number=2)
    assert first["options"]["num_predict"] == 128, "the probe's own options win"
    assert first["messages"][0]["content"] != second["messages"][0]["content"]
    json_body = chat_request("m", "json", PROBES["json"].tasks[0], Variant("x"), run_number=3)
    assert json_body["format"]["required"] == ["title", "author", "year"]
    assert "options" not in json_body and "think" not in json_body


def test_variant_keys_name_their_settings() -> None:
    assert Variant("a", {"top_k": 20, "temperature": 0.7}).key() == ("temperature=0.7,top_k=20|||")
    with_text = Variant("b", modelfile="FROM x\n", think=True, element_hashes=("h1",))
    assert with_text.key().startswith("|think=on|")
    assert with_text.key().endswith("|h1") and len(with_text.modelfile_hash) == 64


def test_runs_are_graded_and_summarised() -> None:
    good = ChatReply(
        tool_calls=(ToolCall("get_weather", {"city": "Lisbon", "unit": "celsius"}),),
        done_reason="stop", eval_count=10, eval_duration=10**9,
    )  # fmt: skip
    sent, chat = scripted({"Lisbon": good, "src/main.py": ChatReply(content="no")})
    seen: list[TaskRun] = []
    runs = asyncio.run(
        run_probes(chat, model="qwen3:8b", send_as="qwen3:8b", variant=Variant("as installed"),
                   probes=["tools"], repeat=2, on_run=seen.append,
                   failure_of=lambda error: str(error) if isinstance(error, HostDown) else None)
    )  # fmt: skip
    assert runs == seen and len(runs) == 6 and len(sent) == 6
    assert [run.task_id for run in runs[:3]] == ["weather", "pick-the-tool", "numbers-and-enums"]
    failures = [run.grade.failure for run in runs]
    assert failures == [None, "no_tool_call", "host_error"] * 2
    assert runs[2].error == "connection refused"
    (summary,) = summarise(runs)
    assert summary.to_json() == {
        "model": "qwen3:8b",
        "variant": "as installed",
        "probe": "tools",
        "runs": 6,
        "passed": 2,
        "tokens_per_second": 10.0,
        "failures": {"host_error": 2, "no_tool_call": 2},
        "invalid": 0,
    }


def test_an_unexpected_error_is_not_swallowed() -> None:
    _, chat = scripted({})
    with pytest.raises(HostDown):
        asyncio.run(run_probes(chat, model="m", send_as="m", variant=Variant("v"),
                               probes=["json"]))  # fmt: skip
