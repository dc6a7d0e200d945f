"""The matcher: exactly the records that apply to each seeded demo model, and the rules behind
it (mode, size, variant, use case, Ollama version, supersession) on hand-made facts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer
from modelarium.knowledge.match import (
    ModelFacts,
    facts_from_show,
    line_of,
    match,
    model_line,
    model_size,
    other_sizes,
    other_sizes_remark,
    parameters_from_text,
    repository,
    runtime_applies,
    select,
    shipped_columns,
    ships_own_parameters,
    size_in_billions,
)
from modelarium.knowledge.records import load_records
from modelarium.ollama.client import OllamaClient

ENGINE = (
    "all-ollama-server-general-engine-default-0-33",
    "all-ollama-server-research-engine-default-num-ctx",
    "all-ollama-server-general-note-repeat-penalty-change",
)

EXPECTED: dict[str, tuple[str, ...]] = {
    "granite3.3:8b": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "granite-granite-3-3-8b-instruct-research-note-ollama",
        "granite-granite-3-3-8b-instruct-general-sampling-hosted",
    ),
    "granite4:3b": (
        "granite-granite-4-0-general-template-ollama",
        "granite-granite-4-0-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "granite-granite-4-0-h-small-general-note",
        "granite-granite-4-0-h-small-tools-tool-call-format",
        "granite-granite-4-0-general-note-ollama-template-diff",
        "granite-granite-4-0-h-small-general-note-example",
        "granite-granite-4-0-h-small-general-note-sizes",
        "granite-granite-4-0-h-small-tools-tool-call-format-ollama",
        "granite-granite-4-0-research-context-ollama",
    ),
    "llama3.1:8b": (
        "llama-llama-3-1-8b-instruct-general-template-ollama",
        "llama-llama-3-1-8b-instruct-general-stop-ollama",
        "llama-llama-3-1-8b-instruct-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "llama-llama-3-1-8b-instruct-general-sampling-codedefault",
        "llama-llama-3-1-8b-instruct-research-context",
        "llama-llama-3-1-8b-instruct-tools-note",
        "llama-llama-3-1-8b-instruct-tools-note-ollama-eom",
        "llama-llama-3-1-8b-instruct-general-stop-community",
        "llama-llama-3-1-8b-instruct-tools-tool-call-format",
    ),
    "llama3.2-vision:11b": (
        "llama-llama-3-2-vision-instruct-general-template-ollama",
        "llama-llama-3-2-vision-instruct-general-sampling-ollama",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
    ),
    "llama3.2:3b": (
        "llama-llama-3-2-3b-instruct-general-template-ollama",
        "llama-llama-3-2-3b-instruct-general-stop-ollama",
        "llama-llama-3-2-3b-instruct-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "llama-llama-3-1-8b-instruct-general-sampling-codedefault",
        "llama-llama-3-2-3b-instruct-research-context",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format-ollama",
    ),
    "llama3.2:latest": (
        "llama-llama-3-2-3b-instruct-general-template-ollama",
        "llama-llama-3-2-3b-instruct-general-stop-ollama",
        "llama-llama-3-2-3b-instruct-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "llama-llama-3-1-8b-instruct-general-sampling-codedefault",
        "llama-llama-3-2-3b-instruct-research-context",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format-ollama",
    ),
    "mario/llama-pirate:lora": (
        "llama-llama-3-2-3b-instruct-general-template-ollama",
        "llama-llama-3-2-3b-instruct-general-stop-ollama",
        "llama-llama-3-2-3b-instruct-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "llama-llama-3-1-8b-instruct-general-sampling-codedefault",
        "llama-llama-3-2-3b-instruct-research-context",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format",
        "llama-llama-3-2-3b-instruct-tools-tool-call-format-ollama",
    ),
    "mario/sql-reviewer:latest": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "qwen-qwen2-5-coder-7b-instruct-code-system-example",
        "qwen-qwen2-5-coder-7b-instruct-code-note",
        "qwen-qwen2-5-coder-7b-instruct-research-context",
        "qwen-qwen2-5-coder-7b-instruct-research-context-card",
    ),
    "mistral-small:24b": (
        "mistral-mistral-small-24b-instruct-general-template-ollama",
        "mistral-mistral-small-24b-instruct-general-sampling-ollama",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "mistral-mistral-small-3-1-24b-instruct-2503-general-sampling-example",
        "mistral-mistral-small-3-1-24b-instruct-2503-research-context-community",
        "mistral-mistral-small-24b-instruct-tools-tool-call-format-ollama",
    ),
    "mistral:7b": (
        "mistral-mistral-7b-instruct-general-template-ollama",
        "mistral-mistral-7b-instruct-general-stop-ollama",
        "mistral-mistral-7b-instruct-general-note-ollama-noparams",
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "mistral-mistral-7b-instruct-v0-3-tools-note",
        "mistral-mistral-7b-instruct-v0-3-general-note-community",
    ),
    "nomic-embed-text:latest": (),
    "qwen2.5-coder:7b": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "qwen-qwen2-5-coder-7b-instruct-code-system-example",
        "qwen-qwen2-5-coder-7b-instruct-code-note",
        "qwen-qwen2-5-coder-7b-instruct-research-context",
        "qwen-qwen2-5-coder-7b-instruct-research-context-card",
    ),
    "qwen3.5:2b": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "qwen-qwen3-5-0-8b-general-sampling-non-thinking-community",
        "qwen-qwen3-5-0-8b-general-sampling-non-thinking-community-vision",
        "qwen-qwen3-5-0-8b-general-sampling-thinking-community",
        "qwen-qwen3-5-0-8b-code-sampling-thinking-community",
        "qwen-qwen3-5-0-8b-general-note-community",
        "qwen-qwen3-5-0-8b-research-context-community",
        "qwen-qwen3-5-35b-a3b-research-context-example",
        "qwen-qwen3-5-35b-a3b-tools-tool-call-format-ollama",
        "qwen-qwen3-5-0-8b-tools-note-community",
    ),
    "qwen3:4b-mlx": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "qwen-qwen3-8b-general-sampling-thinking",
        "qwen-qwen3-8b-general-sampling-non-thinking",
        "qwen-qwen3-8b-general-note-thinking",
        "qwen-qwen3-8b-general-sampling-non-thinking-example",
        "qwen-qwen3-8b-general-sampling-thinking-example",
        "qwen-qwen3-8b-research-context",
        "qwen-qwen3-8b-research-context-ollama",
        "qwen-qwen3-8b-general-note-thinking-hybrid",
        "qwen-qwen3-30b-a3b-general-note",
        "qwen-qwen3-8b-tools-note-thinking",
        "qwen-qwen3-8b-gguf-general-sampling-thinking-example",
        "qwen-qwen3-8b-gguf-general-note",
        "qwen-qwen3-8b-tools-tool-call-format",
    ),
    "qwen3:8b": (
        "all-ollama-server-general-engine-default-0-33",
        "all-ollama-server-research-engine-default-num-ctx",
        "all-ollama-server-general-note-repeat-penalty-change",
        "qwen-qwen3-8b-general-sampling-thinking",
        "qwen-qwen3-8b-general-sampling-non-thinking",
        "qwen-qwen3-8b-general-note-thinking",
        "qwen-qwen3-8b-general-sampling-non-thinking-example",
        "qwen-qwen3-8b-general-sampling-thinking-example",
        "qwen-qwen3-8b-research-context",
        "qwen-qwen3-8b-research-context-ollama",
        "qwen-qwen3-8b-general-note-thinking-hybrid",
        "qwen-qwen3-30b-a3b-general-note",
        "qwen-qwen3-8b-tools-note-thinking",
        "qwen-qwen3-8b-gguf-general-sampling-thinking-example",
        "qwen-qwen3-8b-gguf-general-note",
        "qwen-qwen3-8b-tools-tool-call-format",
    ),
}
EXPECTED["my-reviewer:latest"] = EXPECTED["llama3.1:8b"]  # made FROM it (on older weights)
"""Every demo model (and the pullable qwen3.5:2b) -> the ids `select` returns, in file order."""


@pytest.fixture
async def demo_facts() -> AsyncIterator[dict[str, ModelFacts]]:
    """Facts of every demo model, read from the demo host as the CLI reads them."""
    server = DemoServer()
    await server.start()
    client = OllamaClient(HostConfig("demo", server.url), timeout=10)
    try:
        async for _progress in client.pull("qwen3.5:2b"):
            pass
        version = await client.version()
        facts = {}
        for summary in await client.list_models():
            facts[summary.name] = facts_from_show(await client.show(summary.name), version)
        yield facts
    finally:
        await client.aclose()
        await server.stop()


async def test_each_demo_model_gets_exactly_the_records_that_apply(
    demo_facts: dict[str, ModelFacts],
) -> None:
    assert set(demo_facts) == set(EXPECTED)
    for name, facts in demo_facts.items():
        assert tuple(record.id for record in select(load_records(), facts)) == EXPECTED[name], name


async def test_a_thinking_model_is_matched_in_both_modes(
    demo_facts: dict[str, ModelFacts],
) -> None:
    facts = demo_facts["qwen3:8b"]
    assert facts.thinks
    thinking = {r.id for r in select(load_records(), facts, mode="thinking")}
    plain = {r.id for r in select(load_records(), facts, mode="non-thinking")}
    assert "qwen-qwen3-8b-general-sampling-thinking" in thinking - plain
    assert "qwen-qwen3-8b-general-sampling-non-thinking" in plain - thinking
    recommendation = match(load_records(), facts)
    assert [s.title for s in recommendation.sections] == [
        "thinking · general",
        "non-thinking · general",
    ]
    first, second = recommendation.sections
    assert first.vendor_record is not None and second.vendor_record is not None
    assert first.vendor_record.id == "qwen-qwen3-8b-general-sampling-thinking"
    assert second.vendor_record.id == "qwen-qwen3-8b-general-sampling-non-thinking"
    rows = {row.parameter: row for row in second.rows}
    # The tag ships the thinking preset (0.6): in non-thinking mode it differs from the 0.7
    # the vendor recommends; in thinking mode it matches.
    assert rows["temperature"].ollama is not None and rows["temperature"].ollama.text == "0.6"
    assert rows["temperature"].differs
    assert not {row.parameter: row for row in first.rows}["temperature"].differs
    assert all(row.measured is None for row in first.rows)


async def test_a_size_conditioned_qwen35_record_applies_to_its_sizes_only(
    demo_facts: dict[str, ModelFacts],
) -> None:
    small = {r.id for r in select(load_records(), demo_facts["qwen3.5:2b"])}
    assert "qwen-qwen3-5-0-8b-general-sampling-thinking-community" in small
    assert "qwen-qwen3-5-35b-a3b-general-sampling-thinking-community" not in small
    large = ModelFacts(
        "qwen3.5:27b", parameter_size="27.4B", capabilities=("completion", "thinking")
    )
    big = {r.id for r in select(load_records(), large)}
    assert "qwen-qwen3-5-35b-a3b-general-sampling-thinking-community" in big
    assert "qwen-qwen3-5-27b-reasoning-sampling-non-thinking-community-quicktip" in big
    assert "qwen-qwen3-5-0-8b-general-sampling-thinking-community" not in big
    section = match(load_records(), demo_facts["qwen3.5:2b"], mode="thinking").sections[0]
    assert section.vendor_record is not None
    assert section.vendor_record.id == "qwen-qwen3-5-0-8b-general-sampling-thinking-community"
    presence = {row.parameter: row for row in section.rows}["presence_penalty"]
    assert presence.vendor is not None and presence.vendor.text == "1.5" and presence.differs


async def test_a_family_without_vendor_sampling_advice_says_so(
    demo_facts: dict[str, ModelFacts],
) -> None:
    recommendation = match(load_records(), demo_facts["granite4:3b"])
    assert "the vendor publishes no sampling values for this model" in recommendation.remarks
    [section] = recommendation.sections
    assert section.vendor_record is None and all(row.vendor is None for row in section.rows)
    assert "no vendor sampling advice for this model" in section.remarks
    notes = {record.id for record in recommendation.of_kind("note")}
    assert "granite-granite-4-0-h-small-general-note-example" in notes


@pytest.mark.parametrize(
    ("version", "engine_record", "repeat_penalty"),
    [
        ("0.30.1", "all-ollama-server-general-engine-default-pre-0-32-10", "1.1"),
        ("0.32.10", "all-ollama-server-general-engine-default-0-33", "1"),
        ("0.33.0-rc2", "all-ollama-server-general-engine-default-0-33", "1"),
        (None, "all-ollama-server-general-engine-default-0-33", "1"),
    ],
)
def test_the_engine_default_follows_the_hosts_ollama_version(
    version: str | None, engine_record: str, repeat_penalty: str
) -> None:
    facts = ModelFacts("llama3.2:3b", parameter_size="3.2B", ollama_version=version)
    chosen = select(load_records(), facts)
    engines = [r.id for r in chosen if r.kind == "engine_default" and "num-ctx" not in r.id]
    assert engines == [engine_record]
    [section] = match(load_records(), facts).sections
    row = {row.parameter: row for row in section.rows}["repeat_penalty"]
    assert row.engine is not None and row.engine.text == repeat_penalty
    assert row.engine.record_id == engine_record


def test_a_use_case_without_its_own_values_falls_back_to_general() -> None:
    facts = ModelFacts("llama3.1:8b", parameter_size="8.0B")
    [section] = match(load_records(), facts, use_case="code").sections
    assert section.task == "code"
    assert section.vendor_record is not None
    assert section.vendor_record.origin == "vendor-code-default"
    assert section.remarks == ("no code-specific vendor values; general ones shown",)


def test_the_qwen25_coder_32b_base_example_does_not_apply_to_the_7b_instruct() -> None:
    facts = ModelFacts("qwen2.5-coder:7b", parameter_size="7.6B")
    ids = {record.id for record in select(load_records(), facts)}
    assert not any("qwen2-5-coder-32b" in record_id for record_id in ids)
    base = ModelFacts("qwen2.5-coder:32b-base", parameter_size="32.8B")
    assert any("qwen2-5-coder-32b" in r.id for r in select(load_records(), base))


async def test_another_sizes_values_are_named_not_applied(
    demo_facts: dict[str, ModelFacts],
) -> None:
    """qwen2.5-coder:7b gets no vendor sampling values (they are the 32B's), and the remark
    says whose they are instead of "the vendor publishes no sampling values"."""
    for use_case in (None, "code"):
        recommendation = match(load_records(), demo_facts["qwen2.5-coder:7b"], use_case=use_case)
        assert all(section.vendor_record is None for section in recommendation.sections)
        assert [r.id for r in recommendation.other_sizes] == [
            "qwen-qwen2-5-coder-32b-instruct-code-sampling-community"
        ]
        assert recommendation.remarks == (
            "no vendor sampling values for this size (7.6B); the series has them for another "
            "size: Qwen2.5-Coder-32B-Instruct (32B)",
        )
    # The 32B base example is for base models only; a use case without values has none.
    assert other_sizes(load_records(), demo_facts["qwen2.5-coder:7b"], use_case="tools") == ()
    # A model that has its own values, or a series with none at any size, gets no other size.
    assert match(load_records(), demo_facts["qwen3:8b"]).other_sizes == ()
    granite = match(load_records(), demo_facts["granite4:3b"])
    assert granite.other_sizes == ()
    assert "the vendor publishes no sampling values for this model" in granite.remarks


def test_other_sizes_come_nearest_first_and_keep_the_variant_and_mode() -> None:
    small = ModelFacts("qwen3.5:9b", parameter_size="9.7B", capabilities=("completion",))
    others = other_sizes(load_records(), small, mode="non-thinking")
    assert others and all(line_of(r.model) == "qwen3.5" for r in others)
    assert all(r.conditions.mode in (None, "non-thinking") for r in others)
    assert "27B" in (others[0].conditions.sizes or ())  # 27B is nearer 9.7B than 2B is
    remark = other_sizes_remark(small, others)
    assert remark.startswith("no vendor sampling values for this size (9.7B); the series has ")
    assert remark.count("(") == min(3, len({r.model for r in others})) + 1
    base = ModelFacts("qwen2.5-coder:14b-base", parameter_size="14.8B")
    assert [r.id for r in other_sizes(load_records(), base, use_case="code")] == [
        "qwen-qwen2-5-coder-32b-code-sampling-example",
        "qwen-qwen2-5-coder-32b-instruct-code-sampling-community",
    ]
    unknown_size = ModelFacts("qwen2.5-coder:latest")
    assert other_sizes(load_records(), unknown_size) == ()


def test_embedding_models_and_unknown_series() -> None:
    embedding = ModelFacts("nomic-embed-text:latest", capabilities=("embedding",))
    assert match(load_records(), embedding).records == ()
    unknown = match(load_records(), ModelFacts("someone/novel:1b", ollama_version="0.33.0"))
    assert unknown.line is None
    assert {record.id for record in unknown.records} == set(ENGINE)


def test_names_sizes_and_versions() -> None:
    assert line_of("Qwen3.5-35B-A3B") == "qwen3.5"
    assert line_of("qwen3:30b-a3b-thinking-2507-q4_K_M") == "qwen3-2507"
    assert line_of("Mistral-Small-3.2-24B-Instruct-2506") == "mistral-small3.2"
    assert line_of("granite3.2-vision:2b") == "granite-vision"
    assert line_of("nomic-embed-text") is None
    assert size_in_billions("8x7B") == 56
    assert size_in_billions("H-Small 32B/9B active") == 32
    assert size_in_billions("873.44M") == pytest.approx(0.87344)
    assert runtime_applies("ollama>=0.33.0-rc2 (fb30760)", "0.33.0") is True
    assert runtime_applies("ollama>=0.33.0-rc2 (fb30760)", "0.33.0-rc1") is False
    assert runtime_applies("ollama<0.32.10", None) is None
    assert runtime_applies("llama.cpp", "0.1.0") is True
    assert parameters_from_text('stop "<|im_end|>"\ntemperature 0.6') == (
        ("stop", "<|im_end|>"),
        ("temperature", "0.6"),
    )


def test_a_registry_port_is_not_taken_for_the_tag() -> None:
    from modelarium.knowledge.match import repository

    assert repository("registry.local:5000/ns/qwen3:8b") == ("qwen3", "8b")
    assert repository("registry.local:5000/ns/qwen3") == ("qwen3", "")
    assert repository("library/Qwen3:8B") == ("qwen3", "8b")


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("qwen3:8b", ("qwen3", "8b")),
        ("Qwen3:8B", ("qwen3", "8b")),
        ("me/qwen3", ("qwen3", "")),
        ("registry.local:5000/ns/qwen3:8b", ("qwen3", "8b")),
        ("registry.local:5000/ns/qwen3", ("qwen3", "")),
        ("https://registry.local:5000/ns/qwen3:8b", ("qwen3", "8b")),
    ],
)
def test_repository_is_split_as_ollama_splits_names(name: str, parts: tuple[str, str]) -> None:
    """A registry's port is not a tag (issue 16): `registry.local:5000/...` used to give the
    repository `registry.local` and the tag `5000/ns/qwen3:8b`."""
    assert repository(name) == parts


def test_a_model_from_a_registry_with_a_port_gets_the_same_records() -> None:
    """The size comes from the tag, not from a namespace that happens to read like one."""
    plain = ModelFacts("qwen3.5:2b", capabilities=("completion", "thinking"))
    remote = ModelFacts(
        "registry.local:5000/team70b/qwen3.5:2b", capabilities=("completion", "thinking")
    )
    assert model_size(remote) == model_size(plain) == 2
    assert model_line(remote) == model_line(plain) == "qwen3.5"
    assert [r.id for r in select(load_records(), remote)] == [
        r.id for r in select(load_records(), plain)
    ]


def _cells_by_parameter(facts: ModelFacts) -> tuple[bool, dict[str, tuple[str | None, str | None]]]:
    """Whether the views get a "this model" column, and the first section's (Ollama ships,
    this model) texts per parameter."""
    columns = shipped_columns(match(load_records(), facts))
    return columns.own_column, {
        cells.row.parameter: (
            cells.shipped.text if cells.shipped else None,
            cells.own.text if cells.own else None,
        )
        for cells in columns.sections[0]
    }


def test_a_model_as_pulled_ships_its_own_values() -> None:
    """Under a library name an applying record lists, the model's values are what Ollama ships."""
    facts = ModelFacts(
        "mistral-small:24b",
        parameter_size="23.6B",
        capabilities=("completion", "tools"),
        parameters=(("temperature", "0.15"),),
    )
    own_column, cells = _cells_by_parameter(facts)
    assert not own_column
    assert cells["temperature"] == ("0.15", None)
    assert ships_own_parameters("mistral-small:24b", match(load_records(), facts).records)


def test_a_model_under_its_own_name_gets_the_curated_shipped_values_beside_its_own() -> None:
    """mistral-small-code:24b made from mistral-small:24b: its temperature is its maker's, and
    "Ollama ships" holds the curated ollama-shipped record's 0.15 for the series."""
    facts = ModelFacts(
        "mistral-small-code:24b",
        parameter_size="23.6B",
        capabilities=("completion", "tools"),
        parameters=(("temperature", "0.3"), ("top_p", "0.8")),
    )
    recommendation = match(load_records(), facts)
    assert not ships_own_parameters(facts.name, recommendation.records)
    own_column, cells = _cells_by_parameter(facts)
    assert own_column
    assert cells["temperature"] == ("0.15", "0.3") and cells["top_p"] == (None, "0.8")
    assert cells["top_k"] == (None, None)
    shipped = shipped_columns(recommendation).sections[0][0].shipped
    assert shipped is not None
    assert shipped.record_id == "mistral-mistral-small-24b-instruct-general-sampling-ollama"


def test_a_namespaced_model_or_one_without_own_values_has_no_this_model_column() -> None:
    """A namespace is never a library name; without own values there is nothing to set apart."""
    records = match(load_records(), ModelFacts("mistral-small:24b", parameter_size="24B")).records
    assert not ships_own_parameters("me/mistral-small:24b", records)
    bare = ModelFacts("mistral-small-code:24b", parameter_size="23.6B")
    own_column, cells = _cells_by_parameter(bare)
    assert not own_column and cells["temperature"] == ("0.15", None)
