"""Each model-aware rule (MF101-MF113) against the demo host's models: a Modelfile that
triggers it and one that does not, with the facts fetched as the editor and
`modelfile lint --host` fetch them. MF112 needs a cloud model and MF113 an adapter: the cloud
model is installed on the running demo host by the test (through its state, so the default
seed and every Models-table snapshot stay as they are), and the adapters are GGUF files beside
the Modelfile, where create reads them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, seeded_state
from modelarium.demo.names import parse_name
from modelarium.modelfile.model_rules import MODEL_RULES, ElementSpan
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.facts import FactsSource
from modelarium.ollama.model_check import check_on_host
from tests.gguf_files import write_header

TOOLS_TEMPLATE = '"""{{ if .Tools }}{{ .Tools }}{{ end }}{{ .Prompt }}"""'
PLAIN_TEMPLATE = '"""{{ .System }} {{ .Prompt }}"""'
THINKING_TEMPLATE = (
    '"""{{ if .Tools }}{{ .Tools }}{{ end }}{{ if .Think }}<think>{{ .Thinking }}</think>'
    '{{ end }}{{ .Prompt }}"""'
)
REVIEWER_SYSTEM = (
    "You are a senior SQL reviewer. Answer with a corrected query first, then one short "
    "paragraph explaining the change."
)
QWEN_SPAN = (ElementSpan(2, 3, "qwen", "PARAMETERS qwen coder settings"),)
GRANITE_SPAN = (ElementSpan(2, 3, "granite", "PARAMETERS granite settings"),)

CASES: list[tuple[str, str, str, tuple[ElementSpan, ...]]] = [
    # code, triggering Modelfile, one that does not, element spans
    (
        "MF101",
        "FROM qwen2.5-coder:7b\nPARAMETER num_ctx 200000\n",
        "FROM qwen2.5-coder:7b\nPARAMETER num_ctx 32768\n",
        (),
    ),
    (
        "MF102",
        f"FROM mistral:7b\nTEMPLATE {TOOLS_TEMPLATE}\n",
        f"FROM mistral:7b\nTEMPLATE {PLAIN_TEMPLATE}\n",
        (),
    ),
    (
        "MF103",
        f"FROM qwen2.5-coder:7b\nTEMPLATE {PLAIN_TEMPLATE}\n",
        f"FROM qwen2.5-coder:7b\nTEMPLATE {TOOLS_TEMPLATE}\n",
        (),
    ),
    (
        "MF104",
        'FROM qwen2.5-coder:7b\nSYSTEM """/no_think Answer briefly."""\n',
        'FROM qwen3:8b\nSYSTEM """/no_think Answer briefly."""\n',
        (),
    ),
    (
        "MF105",
        f"FROM qwen3:8b\nTEMPLATE {TOOLS_TEMPLATE}\n",
        f"FROM qwen3:8b\nTEMPLATE {THINKING_TEMPLATE}\n",
        (),
    ),
    (
        "MF106",
        "FROM qwen3:8b\nPARAMETER temperature 0\n",
        "FROM qwen3:8b\nPARAMETER temperature 0.6\n",
        (),
    ),
    (
        "MF107",
        f'FROM mario/sql-reviewer:latest\nSYSTEM """{REVIEWER_SYSTEM}"""\n',
        'FROM mario/sql-reviewer:latest\nSYSTEM """Review Postgres queries only."""\n',
        (),
    ),
    (
        "MF108",
        "FROM qwen3:8b\nREQUIRES 9.1.0\n",
        "FROM qwen3:8b\nREQUIRES 0.6.0\n",
        (),
    ),
    (
        "MF109",
        "FROM granite4:3b\nPARAMETER temperature 0.7\nPARAMETER top_k 20\n",
        "FROM granite4:3b\nPARAMETER temperature 0.7\nPARAMETER top_k 20\n",
        QWEN_SPAN,
    ),
    (
        "MF110",
        "FROM qwen2.5-coder:7b\nPARAMETER stop <|eot_id|>\nPARAMETER stop <|im_end|>\n",
        "FROM qwen2.5-coder:7b\nPARAMETER stop <|im_end|>\n",
        (),
    ),
    (
        "MF111",
        "FROM qwen2.5-coder:7b\nPARAMETER stop User:\n",
        "FROM qwen2.5-coder:7b\nPARAMETER stop User:\nPARAMETER stop <|im_end|>\n",
        (),
    ),
]


CLOUD_MODEL = "qwen3-coder:480b-cloud"


@pytest.fixture
async def server() -> AsyncIterator[DemoServer]:
    server = DemoServer(seeded_state(progress_delay=0.0))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def client(server: DemoServer) -> AsyncIterator[OllamaClient]:
    client = OllamaClient(HostConfig("demo", server.url), timeout=30)
    try:
        yield client
    finally:
        await client.aclose()


def test_every_rule_but_the_cloud_one_has_a_demo_case() -> None:
    # MF112 needs a cloud model and MF113 an adapter file: test_mf112_* and test_mf113_* below
    # set those up on the demo host and beside the Modelfile.
    assert {case[0] for case in CASES} == set(MODEL_RULES) - {"MF112", "MF113"}


@pytest.mark.parametrize(("code", "triggers", "passes", "spans"), CASES, ids=[c[0] for c in CASES])
async def test_rule_triggers_and_does_not(
    client: OllamaClient,
    code: str,
    triggers: str,
    passes: str,
    spans: tuple[ElementSpan, ...],
) -> None:
    source = FactsSource()
    found = await check_on_host(client, triggers, source=source, element_spans=spans)
    assert found.facts is not None and found.note is None
    hits = [d for d in found.diagnostics if d.code == code]
    assert hits, [d.code for d in found.diagnostics]
    assert hits[0].severity == MODEL_RULES[code].severity
    fine_spans = GRANITE_SPAN if code == "MF109" else spans
    fine = await check_on_host(client, passes, source=source, element_spans=fine_spans)
    assert code not in [d.code for d in fine.diagnostics]


async def test_a_model_the_host_lacks_is_a_note_not_an_error(client: OllamaClient) -> None:
    found = await check_on_host(client, "FROM not-here:1b\nPARAMETER num_ctx 999999\n")
    assert found.facts is None and found.diagnostics == ()
    assert found.note == "not-here:1b is not installed on demo"
    local = await check_on_host(client, "FROM ./model.gguf\n")
    assert local.model is None and local.note is None


def install_cloud_model(server: DemoServer) -> None:
    """A `-cloud` tag on the running demo host (what `ollama pull …-cloud` installs), made from
    qwen3:8b's manifest; the host's listing and show answer for it like any model."""
    qwen3 = server.state.find(parse_name("qwen3:8b"))
    assert qwen3 is not None
    server.state.install(parse_name(CLOUD_MODEL), qwen3.manifest)


async def test_mf112_load_time_settings_on_a_cloud_model_of_the_demo_host(
    server: DemoServer, client: OllamaClient
) -> None:
    install_cloud_model(server)
    found = await check_on_host(client, f"FROM {CLOUD_MODEL}\nPARAMETER num_ctx 65536\n")
    assert found.facts is not None and found.facts.is_remote
    (hit,) = [d for d in found.diagnostics if d.code == "MF112"]
    assert (hit.severity, hit.line) == (MODEL_RULES["MF112"].severity, 2)
    assert hit.message == (
        f"{CLOUD_MODEL} is a cloud model: num_ctx is decided where it runs, not on this host"
    )
    fine = await check_on_host(client, f"FROM {CLOUD_MODEL}\nPARAMETER temperature 0.7\n")
    assert fine.facts is not None and "MF112" not in [d.code for d in fine.diagnostics]
    local = await check_on_host(client, "FROM qwen3:8b\nPARAMETER num_ctx 65536\n")
    assert "MF112" not in [d.code for d in local.diagnostics]


async def test_mf113_an_adapter_of_another_family_on_a_demo_base(
    client: OllamaClient, tmp_path: Path
) -> None:
    header = [("blk.0.attn_q.lora_a", [8, 64], 0)]
    (tmp_path / "qwen-lora.gguf").write_bytes(
        write_header({"general.type": "adapter", "general.architecture": "qwen2"}, header)
    )
    (tmp_path / "llama-lora.gguf").write_bytes(
        write_header({"general.type": "adapter", "general.architecture": "llama"}, header)
    )
    text = "FROM llama3.1:8b\nADAPTER ./qwen-lora.gguf\n"
    found = await check_on_host(client, text, directory=tmp_path)
    assert found.facts is not None and found.facts.family == "llama"
    (hit,) = [d for d in found.diagnostics if d.code == "MF113"]
    assert (hit.severity, hit.line, hit.column) == (MODEL_RULES["MF113"].severity, 2, 9)
    assert hit.message == (
        "this ADAPTER was trained on qwen2 (qwen), but llama3.1:8b is a llama model: the "
        "weights will not fit"
    )
    fine = await check_on_host(
        client, "FROM llama3.1:8b\nADAPTER ./llama-lora.gguf\n", directory=tmp_path
    )
    assert "MF113" not in [d.code for d in fine.diagnostics]


async def test_mf106_warns_only_where_the_curated_family_settings_do(
    client: OllamaClient,
) -> None:
    source = FactsSource()
    found = await check_on_host(client, "FROM qwen3:8b\nPARAMETER temperature 0\n", source=source)
    (hit,) = [d for d in found.diagnostics if d.code == "MF106"]
    assert "qwen-qwen3-8b-general-note-thinking" in hit.message
    assert '"DO NOT use greedy decoding' in hit.message and "QwenLM/Qwen3@" in hit.message
    granite = await check_on_host(
        client, "FROM granite3.3:8b\nPARAMETER temperature 0\n", source=source
    )
    assert granite.facts is not None and granite.facts.supports("thinking")
    assert granite.facts.greedy_warning is None
    assert "MF106" not in [d.code for d in granite.diagnostics]


async def test_mf110_judges_the_rendered_prompts_not_the_template_text(
    client: OllamaClient,
) -> None:
    # qwen2.5-coder:7b's TEMPLATE writes <|fim_middle|> only for fill-in-the-middle requests,
    # never in a chat prompt: the text has it, no rendered prompt does.
    text = "FROM qwen2.5-coder:7b\nPARAMETER stop <|im_end|>\nPARAMETER stop <|fim_middle|>\n"
    found = await check_on_host(client, text)
    (hit,) = [d for d in found.diagnostics if d.code == "MF110"]
    assert (hit.line, hit.column) == (3, 16)
    assert hit.message == (
        "stop '<|fim_middle|>' never occurs in the prompts qwen2.5-coder:7b's TEMPLATE renders "
        "(plain, system, multi-turn and tools samples): qwen2.5-coder:7b is unlikely to emit "
        "it, so it will not end a turn; that TEMPLATE ends turns with '<|im_end|>'"
    )
    own = (
        "FROM qwen2.5-coder:7b\n"
        'TEMPLATE """{{ if .Tools }}{{ .Tools }}{{ end }}{{ range .Messages }}<|im_start|>'
        '{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n"""\n'
        "PARAMETER stop <|im_end|>\n"
    )
    assert "MF110" not in [d.code for d in (await check_on_host(client, own)).diagnostics]
    foreign = await check_on_host(client, own + "PARAMETER stop <|eot_id|>\n")
    (hit,) = [d for d in foreign.diagnostics if d.code == "MF110"]
    assert hit.line == 7 and "this file's TEMPLATE (line 2)" in hit.message


def test_only_records_that_warn_against_greedy_decoding_count() -> None:
    from modelarium.knowledge.advice import greedy_warning
    from modelarium.knowledge.records import load_records

    records = {record.id: record for record in load_records()}
    qwen3 = greedy_warning([records["qwen-qwen3-8b-general-note-thinking"]])
    assert qwen3 is not None and qwen3.origin == "vendor recommendation"
    assert qwen3.source == "QwenLM/Qwen3@7a2f61ffc7a2:docs/source/getting_started/quickstart.md"
    # Granite's records say its vendor's examples decode greedily: no warning there.
    granite = [r for r in records.values() if r.family == "granite" and "greedy" in str(r.values)]
    assert granite and greedy_warning(granite) is None
