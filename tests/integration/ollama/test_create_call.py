"""The create the core built is the create the demo host receives: byte for byte, with the
license decision made from the base's licenses on that host."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, seeded_state
from modelarium.modelfile.create import build_create_request, licenses_of_modelfile
from modelarium.modelfile.elements import generate_modelfile
from modelarium.modelfile.parser import parse
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.extract import elements_from_show
from modelarium.ollama.prepare import base_licenses, prepare_create
from modelarium.ollama.types import HostUnreachable, Progress
from tests.gguf_files import write_header


@pytest.fixture
async def demo() -> AsyncIterator[DemoServer]:
    server = DemoServer(seeded_state(progress_delay=0.0))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client(demo: DemoServer) -> AsyncIterator[OllamaClient]:
    async with OllamaClient(HostConfig("demo", demo.url), timeout=2.0) as opened:
        yield opened


async def collect(stream: AsyncIterator[Progress]) -> list[Progress]:
    return [progress async for progress in stream]


async def license_count(client: OllamaClient, model: str) -> int:
    return len(licenses_of_modelfile((await client.show(model)).modelfile))


async def test_recreating_an_extracted_model_keeps_its_licenses_and_sends_the_preview(
    demo: DemoServer, client: OllamaClient
) -> None:
    before = await license_count(client, "llama3.1:8b")
    assert before == 2
    details = await client.show("llama3.1:8b")
    text = generate_modelfile(elements_from_show(details)) + "PARAMETER num_ctx 32768\n"
    request = build_create_request(parse(text), None)
    create = await prepare_create(client, request, "llama3.1:8b")
    assert create.kept_licenses == 2 and "license" not in create.body
    lines = await collect(client.create(create))
    assert lines[-1].is_success
    assert demo.state.last_create_body == create.data  # the preview's bytes, unchanged
    assert await license_count(client, "llama3.1:8b") == before
    assert "num_ctx" in (await client.show("llama3.1:8b")).parameters_text
    # Under a new name the base is the same model: still two licenses, not four.
    copy = await prepare_create(client, request, "me/long-llama")
    await collect(client.create(copy))
    assert demo.state.last_create_body == copy.data
    assert await license_count(client, "me/long-llama") == before


async def test_uploads_come_first_then_the_exact_body(
    demo: DemoServer, client: OllamaClient, tmp_path: Path
) -> None:
    weights = write_header(
        {"general.architecture": "llama", "llama.context_length": 2048},
        [("token_embd.weight", [16, 8], 0)],
    )
    (tmp_path / "tiny.gguf").write_bytes(weights)
    request = build_create_request(parse("FROM ./tiny.gguf\nSYSTEM Tiny.\n"), tmp_path)
    create = await prepare_create(client, request, "tiny-local")
    lines = await collect(client.create(create))
    assert lines[0].status.startswith("copying file sha256:")
    assert lines[-1].is_success
    assert demo.state.last_create_body == create.data
    assert json.loads(create.data)["files"] == {"tiny.gguf": create.uploads[0][0]}


async def test_a_base_the_host_lacks_has_no_licenses_and_an_unreachable_host_is_an_error(
    client: OllamaClient,
) -> None:
    assert await base_licenses(client, "not-installed:1b") == ()
    async with OllamaClient(
        HostConfig("gone", "http://127.0.0.1:9"), timeout=0.5, retry_delays=()
    ) as gone:
        request = build_create_request(parse("FROM llama3.1:8b\nLICENSE x\n"), None)
        with pytest.raises(HostUnreachable):
            await prepare_create(gone, request, "m")
