"""`knowledge check` against fixture pages on a local server: fresh, stale, moved,
unreachable, not fetchable, no quote; through the proxy the environment names. No network."""

from __future__ import annotations

import json

import pytest

from modelarium.knowledge.check import check_records, default_address, holds_quote
from modelarium.knowledge.records import KnowledgeRecord, parse_records
from tests.unit.knowledge.pages import Pages, serve

QUOTE = "we suggest using Temperature=0.7, TopP=0.8, TopK=20"


def records(*sources: tuple[str, str | None]) -> list[KnowledgeRecord]:
    """One sampling record per (where, quote)."""
    raw: list[dict[str, object]] = [
        {
            "id": f"qwen-test-general-sampling-v{index}",
            "family": "qwen",
            "model": "Qwen-Test",
            "ollama_tags": [],
            "conditions": {
                "mode": None,
                "sizes": None,
                "variant": None,
                "task": None,
                "runtime": None,
            },
            "kind": "sampling",
            "values": {"temperature": 0.7},
            "origin": "vendor-recommendation",
            "source": {"where": where, "quote": quote, "retrieved": "2026-12"},
            "verified_on": None,
            "superseded_by": None,
            "pairs_with": None,
            "note": "",
        }
        for index, (where, quote) in enumerate(sources)
    ]
    return parse_records(json.dumps({"schema_version": 2, "records": raw}), "test")


PAGES = Pages(
    bodies={
        "/card": "<html><body><p>For non-thinking mode,\n  we suggest using <code>Temperature=0.7,"
        "</code>\n TopP=0.8, TopK=20, and MinP=0.</p></body></html>",
        "/edited": "<html><body><p>We now suggest Temperature=1.0.</p></body></html>",
        "/new-card": f"<html><body>{QUOTE}</body></html>",
    },
    redirects={"/old-card": "/new-card"},
)


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


async def test_each_status_from_fixture_pages(no_proxy_env: None) -> None:
    checked = records(
        ("https://vendor.invalid/card", QUOTE),
        ("https://vendor.invalid/edited", QUOTE),
        ("https://vendor.invalid/old-card", QUOTE),
        ("https://vendor.invalid/gone", QUOTE),
        ("https://closed.invalid/card", QUOTE),
        ("QwenLM/Qwen3@7a2f61f:README.md", QUOTE),
        ("https://vendor.invalid/card#again", None),
    )
    with serve(PAGES) as base:
        closed = "http://127.0.0.1:9"

        def address(where: str) -> str | None:
            found = default_address(where)
            if found is None:
                return None
            host = closed if "closed.invalid" in found else base
            return found.replace("https://vendor.invalid", host).replace(
                "https://closed.invalid", host
            )

        results = await check_records(checked, address=address, timeout=5)
    statuses = [result.status for result in results]
    assert statuses == [
        "fresh",
        "stale",
        "moved",
        "unreachable",
        "unreachable",
        "not fetchable",
        "no quote",
    ]
    assert "HTTP 404" in results[3].detail
    assert results[2].detail.endswith("/new-card; quote found")
    assert results[5].url is None
    assert results[0].to_json()["status"] == "fresh"


async def test_the_check_goes_through_the_proxy_the_environment_names(
    no_proxy_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = Pages(bodies=PAGES.bodies)
    with serve(pages) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        [result] = await check_records(records(("http://vendor.invalid/card", QUOTE)), timeout=5)
    assert result.status == "fresh"
    assert pages.seen == ["http://vendor.invalid/card"]


def test_addresses_and_quotes() -> None:
    assert default_address("huggingface.co/Qwen/QwQ-32B") == "https://huggingface.co/Qwen/QwQ-32B"
    assert default_address("cs.qcri.org/?p=3914 (copy of a card)") == "https://cs.qcri.org/?p=3914"
    assert default_address("ollama/ollama@fb30760:api/types.go") is None
    assert default_address("@huggingface/ollama-utils@0.0.18:src/x.ts") is None
    assert default_address("github-copy:51787436118 (copy)") is None
    assert holds_quote("a &amp; <b>b</b>\n\n c", "a & b c")
    assert not holds_quote("temperature 0.6", "temperature 0.7")
