"""Arbitrary request bodies never break a demo route: every answer is an Ollama-style one."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelarium.demo import seeded_state
from modelarium.demo.routes import Request, Router

NAMES = st.sampled_from(
    ["qwen3:8b", "LLAMA3.2", "nope", "a:", "me/x:v1", "", "tinyllama", "h//m", "x:cloud:local"]
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | NAMES,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)  # fmt: skip
KEYS = st.sampled_from(
    ["model", "name", "from", "files", "adapters", "template", "system", "license", "parameters",
     "messages", "stream", "quantize", "source", "destination", "verbose", "options",
     "insecure", "keep_alive", "prompt", "Model", "FROM"]
)  # fmt: skip
BODIES = st.one_of(
    st.dictionaries(KEYS, VALUES | NAMES, max_size=5).map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=20),
)
ROUTES = st.sampled_from(
    [("POST", "/api/show"), ("POST", "/api/create"), ("POST", "/api/copy"),
     ("DELETE", "/api/delete"), ("POST", "/api/pull"), ("POST", "/api/push"),
     ("POST", "/api/chat"), ("POST", "/api/generate"), ("POST", "/api/embed"),
     ("POST", "/api/blobs/sha256:" + "0" * 64), ("HEAD", "/api/blobs/bad")]
)  # fmt: skip
ROUTER = Router(seeded_state(progress_delay=0.0))


async def _answer(method: str, path: str, body: bytes) -> tuple[int, list[bytes]]:
    response = await ROUTER.dispatch(Request(method, path, "", {}, body))
    lines = [response.body]
    if response.stream is not None:
        lines = [line async for line in response.stream]
    return response.status, lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROUTES, BODIES)
def test_any_body_gets_an_ollama_style_answer(route: tuple[str, str], body: bytes) -> None:
    method, path = route
    status, chunks = asyncio.run(_answer(method, path, body))
    assert status in (200, 201, 400, 404, 500)
    for chunk in chunks:
        for line in chunk.splitlines():
            decoded = json.loads(line)
            assert isinstance(decoded, dict)
            if status >= 400:
                assert set(decoded) == {"error"}
                assert isinstance(decoded["error"], str)
                assert decoded["error"]
