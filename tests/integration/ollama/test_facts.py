"""Model facts from the demo host, and the model-aware rules they drive."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, seeded_state
from modelarium.modelfile.effective import effective_settings
from modelarium.modelfile.model_rules import check_against_model
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.facts import FactsSource
from modelarium.ollama.types import ModelNotFound


@pytest.fixture
async def client() -> AsyncIterator[OllamaClient]:
    server = DemoServer(seeded_state(progress_delay=0.0))
    await server.start()
    client = OllamaClient(HostConfig("demo", server.url), timeout=30)
    try:
        yield client
    finally:
        await client.aclose()
        await server.stop()


async def test_facts_of_the_seeded_models(client: OllamaClient) -> None:
    source = FactsSource()
    qwen = await source.facts(client, "qwen2.5-coder:7b")
    assert qwen.family == "qwen"
    assert qwen.context_length == 32768
    assert qwen.supports("tools") and not qwen.supports("thinking")
    assert "<|im_end|>" in qwen.template
    assert qwen.host == "demo" and qwen.digest
    assert qwen.host_version
    assert qwen.weights.startswith("/") and "sha256-" in qwen.weights
    qwen3 = await source.facts(client, "qwen3:8b")
    assert qwen3.supports("thinking")
    assert qwen3.parameters["temperature"] == "0.6"
    assert "<|im_end|>" in qwen3.stops
    with pytest.raises(ModelNotFound):
        await source.facts(client, "no-such-model:1b")


async def test_rules_against_the_demo_models(client: OllamaClient) -> None:
    source = FactsSource()
    qwen = await source.facts(client, "qwen2.5-coder:7b")
    text = "FROM qwen2.5-coder:7b\nPARAMETER num_ctx 200000\nPARAMETER stop <|eot_id|>\n"
    found = {d.code for d in check_against_model(text, qwen)}
    assert found == {"MF101", "MF110", "MF111"}
    fine = "FROM qwen2.5-coder:7b\nPARAMETER num_ctx 16384\n"
    assert check_against_model(fine, qwen) == []
    qwen3 = await source.facts(client, "qwen3:8b")
    assert [
        d.code for d in check_against_model("FROM qwen3:8b\nPARAMETER temperature 0\n", qwen3)
    ] == ["MF106"]


async def test_effective_settings_of_a_demo_model(client: OllamaClient) -> None:
    qwen3 = await FactsSource().facts(client, "qwen3:8b")
    settings = {s.name: s for s in effective_settings("FROM qwen3:8b\nPARAMETER top_k 40\n", qwen3)}
    assert settings["top_k"].source == "modelfile"
    assert settings["temperature"].source == "inherited"
    assert settings["temperature"].origin.startswith("from qwen3:8b (its line ")
    assert settings["top_p"].value == "0.95"


async def test_cloud_models_are_known_as_such() -> None:
    import httpx

    cloud = {"remote_model": "gpt-oss:120b", "remote_host": "https://ollama.com:443"}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/tags":
            entry = {
                "name": "gpt-oss:120b-cloud",
                "digest": "a" * 64,
                "size": 384,
                "modified_at": "2026-11-01T10:00:00Z",
                "details": {},
                **cloud,
            }
            return httpx.Response(200, json={"models": [entry]})
        if request.url.path == "/api/version":
            return httpx.Response(200, json={"version": "0.33.0"})
        return httpx.Response(200, json={"modelfile": "FROM gpt-oss:120b-cloud\n",
                                         "details": {"family": "gptoss"},
                                         "capabilities": ["completion", "tools", "thinking"],
                                         **cloud})  # fmt: skip

    async with OllamaClient(
        HostConfig("cloudy", "http://cloudy.invalid:11434"),
        timeout=5,
        transport=httpx.MockTransport(answer),
    ) as client:
        (summary,) = await client.list_models()
        assert summary.is_remote and summary.to_json()["remote_host"] == cloud["remote_host"]
        facts = await FactsSource().facts(client, "gpt-oss:120b-cloud")
    assert facts.is_remote and facts.remote_model == "gpt-oss:120b"
    found = check_against_model("FROM gpt-oss:120b-cloud\nPARAMETER num_ctx 8192\n", facts)
    assert [d.code for d in found] == ["MF112"]
