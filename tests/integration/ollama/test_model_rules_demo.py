"""Each model-aware rule (MF101-MF111) against the demo host's models: a Modelfile that
triggers it and one that does not, with the facts fetched as the editor and
`modelfile lint --host` fetch them. MF112 needs a cloud model, which the demo host does not
have: tests/integration/ollama/test_facts.py serves one from a mock host."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, seeded_state
from modelarium.modelfile.model_rules import MODEL_RULES, ElementSpan
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.facts import FactsSource
from modelarium.ollama.model_check import check_on_host

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


def test_every_rule_but_the_cloud_one_has_a_demo_case() -> None:
    # MF112 needs a cloud model (tests/integration/ollama/test_facts.py); MF113 reads a local
    # adapter file (tests/unit/modelfile/test_model_rules.py).
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
