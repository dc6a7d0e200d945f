"""Whole trials against the demo host over real HTTP: every probe passed by one model and
failed each way by others, variants through options and through a temporary model (created,
used, removed), the client's chat, and a host that dies mid-trial."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, DemoServerThread, FaultPlan, seeded_state
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.types import ModelNotFound, StreamError
from modelarium.trials.runner import TaskRun, Variant, summarise
from modelarium.trials.session import (
    TEMPORARY_NAMESPACE,
    ProbeUnit,
    TrialAborted,
    run_trial,
    temporary_name,
    variant_modelfile,
)

AS_INSTALLED = Variant("as installed")


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def demo(faults: FaultPlan) -> AsyncIterator[DemoServer]:
    server = DemoServer(seeded_state(progress_delay=0.0), faults=faults)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def demo_thread() -> Iterator[DemoServerThread]:
    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server


@pytest.fixture
async def client(demo: DemoServer) -> AsyncIterator[OllamaClient]:
    async with OllamaClient(
        HostConfig("demo", demo.url), timeout=5.0, retry_delays=(0.0,)
    ) as opened:
        yield opened


async def failures(
    client: OllamaClient, model: str, probe: str, variant: Variant = AS_INSTALLED
) -> dict[str, int]:
    units = await run_trial(client, models=[model], variants=[variant], probes=[probe])  # type: ignore[list-item]
    [summary] = summarise(run for unit in units for run in unit.runs)
    return dict(summary.failures)


async def installed(client: OllamaClient) -> set[str]:
    return {model.name for model in await client.list_models()}


async def test_chat_streams_tool_calls_thinking_and_counters(client: OllamaClient) -> None:
    reply = await client.chat(
        {"model": "qwen3:8b", "messages": [{"role": "user", "content": "What is the weather "
         "in Lisbon right now, in celsius?"}], "think": True}
    )  # fmt: skip
    assert reply.tool_calls[0].name == "get_weather"
    assert reply.thinking
    assert reply.done_reason == "stop"
    assert reply.tokens_per_second is not None and reply.tokens_per_second > 0
    assert reply.first_token_seconds is not None and reply.first_token_seconds >= 0
    generated = await client.generate({"model": "llama3.1:8b", "prompt": "hi"})
    assert generated.content.startswith("This is the Modelarium demo host.")


async def test_chat_errors_name_host_and_model(client: OllamaClient, faults: FaultPlan) -> None:
    with pytest.raises(ModelNotFound) as missing:
        await client.chat({"model": "nope:1b", "messages": [{"role": "user", "content": "hi"}]})
    assert "demo" in str(missing.value) and "nope:1b" in str(missing.value)
    faults.cut("/api/chat", after_lines=2)
    with pytest.raises(StreamError) as cut:
        await client.chat({"model": "llama3.1:8b", "messages": [{"role": "user", "content": "a"}]})
    assert "cut" in str(cut.value) and "llama3.1:8b" in str(cut.value)


async def test_chat_obeys_the_stream_idle_timeout(demo: DemoServer) -> None:
    demo.state.progress_delay = 5.0
    async with OllamaClient(
        HostConfig("demo", demo.url), timeout=5.0, stream_idle_timeout=0.2
    ) as client:
        with pytest.raises(StreamError) as stalled:
            await client.chat(
                {"model": "llama3.1:8b", "messages": [{"role": "user", "content": "hi"}]}
            )
    assert "stalled" in str(stalled.value) and "0.2 s" in str(stalled.value)


async def test_a_model_that_passes_every_probe(client: OllamaClient) -> None:
    units = await run_trial(
        client, models=["llama3.1:8b"], variants=[AS_INSTALLED],
        probes=["tools", "json", "code", "speed"],
    )  # fmt: skip
    summaries = summarise(run for unit in units for run in unit.runs)
    assert [(s.probe, s.passed, s.runs) for s in summaries] == [
        ("tools", 3, 3), ("json", 2, 2), ("code", 3, 3), ("speed", 1, 1),
    ]  # fmt: skip
    assert all(s.tokens_per_second and s.tokens_per_second > 0 for s in summaries)
    unit = units[0]
    assert unit.host == "demo" and unit.ollama_version
    assert unit.base_digest and unit.context_length == 4096


async def test_tools_fails_each_way(client: OllamaClient) -> None:
    assert await failures(client, "qwen2.5-coder:7b", "tools") == {"markup_leaked": 3}
    assert await failures(client, "mistral:7b", "tools") == {"markup_leaked": 1}
    cut = Variant("num_predict=0", options={"num_predict": 0})
    assert await failures(client, "llama3.1:8b", "tools", cut) == {"no_tool_call": 3}


async def test_json_fails_each_way(client: OllamaClient) -> None:
    assert await failures(client, "mistral:7b", "json") == {"schema_mismatch": 1}
    cut = Variant("num_predict=3", options={"num_predict": 3})
    assert await failures(client, "llama3.1:8b", "json", cut) == {"truncated": 2}
    thinking_off = Variant("think off", think=False)
    assert await failures(client, "qwen3:8b", "json", thinking_off) == {"not_json": 2}


async def test_code_fails_each_way(client: OllamaClient) -> None:
    assert await failures(client, "mistral:7b", "code") == {"assert_failed": 1}
    assert await failures(client, "granite4:3b", "code") == {"assert_failed": 1}
    hot = Variant("temperature=1.6", options={"temperature": 1.6})
    assert await failures(client, "llama3.1:8b", "code", hot) == {"syntax_error": 3}


async def test_speed_with_a_cut_prompt_is_invalid_not_slow(client: OllamaClient) -> None:
    small = Variant("num_ctx=64", options={"num_ctx": 64})
    units = await run_trial(client, models=["llama3.1:8b"], variants=[small], probes=["speed"])
    [summary] = summarise(units[0].runs)
    assert summary.failures == {"truncated_prompt": 1}
    assert summary.invalid == 1 and summary.tokens_per_second is None
    assert units[0].context_length == 64


async def test_a_modelfile_variant_runs_through_a_temporary_model_then_removed(
    client: OllamaClient, demo: DemoServer
) -> None:
    before = await installed(client)
    seen: list[set[str]] = []

    def during(run: TaskRun) -> None:
        seen.append({m.name.display for m in demo.state.list_models()})

    hot = Variant(
        "hot", modelfile="FROM somewhere-else\nPARAMETER temperature 1.6\nSYSTEM Be brief.\n"
    )
    units = await run_trial(
        client, models=["llama3.1:8b"], variants=[hot], probes=["code"], on_run=during
    )
    name = temporary_name("llama3.1:8b", hot)
    assert name.startswith(f"{TEMPORARY_NAMESPACE}/llama3.1-8b:")
    assert all(name in names for names in seen)
    assert await installed(client) == before
    [summary] = summarise(units[0].runs)
    assert summary.failures == {"syntax_error": 3}  # the model's own PARAMETER was used
    assert units[0].variant.modelfile_hash


async def test_a_cancelled_trial_still_removes_its_temporary_model(
    client: OllamaClient, demo: DemoServer
) -> None:
    before = await installed(client)
    demo.state.progress_delay = 0.05
    started = asyncio.Event()
    variant = Variant("brief", modelfile="SYSTEM Be brief.\n")
    task = asyncio.create_task(
        run_trial(client, models=["llama3.1:8b"], variants=[variant], probes=["code"],
                  on_run=lambda run: started.set())
    )  # fmt: skip
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await installed(client) == before


def test_variant_modelfile_puts_the_model_under_trial_as_base() -> None:
    assert variant_modelfile("FROM x\nPARAMETER stop END\n", "qwen3:8b") == (
        "PARAMETER stop END\nFROM qwen3:8b\n"
    )
    assert variant_modelfile("", "qwen3:8b") == "FROM qwen3:8b\n"


async def test_a_host_that_dies_mid_trial_ends_it_with_a_clear_failure(
    client: OllamaClient, demo: DemoServer
) -> None:
    done: list[ProbeUnit] = []
    runs: list[TaskRun] = []

    async def keep(unit: ProbeUnit) -> None:
        done.append(unit)

    stopping: list[asyncio.Task[None]] = []

    def maybe_die(run: TaskRun) -> None:
        runs.append(run)
        if len(runs) == 4 and not stopping:  # the first json task has been answered
            stopping.append(asyncio.create_task(demo.stop()))

    with pytest.raises(TrialAborted) as aborted:
        await run_trial(
            client, models=["llama3.1:8b"], variants=[AS_INSTALLED],
            probes=["tools", "json", "code"], on_run=maybe_die, on_unit=keep,
        )  # fmt: skip
    await stopping[0]
    assert "demo" in str(aborted.value) and "llama3.1:8b" in str(aborted.value)
    assert [unit.probe for unit in done] == ["tools"]
    assert aborted.value.units_done == 1


def test_the_demo_answers_unstreamed_with_calls_thinking_and_counters(
    demo_thread: DemoServerThread,
) -> None:
    with httpx.Client(base_url=demo_thread.url, timeout=10.0) as http:
        body = http.post(
            "/api/chat",
            json={"model": "qwen3:8b", "stream": False, "think": True, "messages": [
                {"role": "user", "content": "What is the weather in Lisbon right now, in celsius?"}
            ]},
        ).json()  # fmt: skip
        assert body["done"] is True and body["done_reason"] == "stop"
        assert body["message"]["tool_calls"][0]["function"]["name"] == "get_weather"
        assert body["message"]["thinking"]
        assert body["eval_count"] > 0 and body["eval_duration"] > 0
        assert body["prompt_eval_count"] > 0 and body["total_duration"] > 0
        generated = http.post(
            "/api/generate",
            json={"model": "mistral:7b", "stream": False, "prompt": "Describe the novel Dune "
                  "by Frank Herbert as JSON: title, author and the year it was first published."},
        ).json()  # fmt: skip
        assert json.loads(generated["response"]) == {"title": "Dune", "author": "Frank Herbert"}
        cut = http.post(
            "/api/generate",
            json={"model": "llama3.1:8b", "prompt": "hello there",
                  "options": {"num_predict": 2}},
        )  # fmt: skip
        lines = [json.loads(line) for line in cut.text.splitlines()]
        assert lines[-1]["done_reason"] == "length"  # num_predict cuts even the fixed reply
        assert "".join(line["response"] for line in lines) == "This is "
