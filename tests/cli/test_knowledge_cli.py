"""`modelarium knowledge show|check` end to end: the demo host over real HTTP, and fixture
pages on a local server for the check (no network)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator

import pytest

from modelarium.cli import main
from modelarium.demo import seeded_state
from modelarium.knowledge import check as check_module
from modelarium.knowledge import records as records_module
from tests.unit.knowledge.pages import Pages, serve
from tests.unit.knowledge.test_check import QUOTE, records


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server.url


def test_show_prints_the_side_by_side_table(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, out, err = run(capsys, "knowledge", "show", "qwen3:8b", "--host", demo_url)
    assert code == 0, err
    assert "(Ollama 0.33.0-rc2)" in out and "series qwen3 · 8.2B · thinking" in out
    assert "thinking · general" in out and "non-thinking · general" in out
    assert "vendor recommends" in out and "Ollama ships" in out
    assert "engine default (0.33.0-rc2)" in out
    assert "measured here: no trials yet" in out
    assert '"For thinking mode, use Temperature=0.6' in out
    marked = [line for line in out.splitlines() if line.strip().startswith("≠")]
    assert any("temperature" in line and "0.7" in line for line in marked)
    assert "hermes-json" in out


def test_show_json_for_one_use_case(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    code, out, _ = run(
        capsys, "knowledge", "show", "granite4:3b", "--host", demo_url, "--use-case", "code",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "granite4:3b" and data["series"] == "granite4"
    assert data["ollama_version"] == "0.33.0-rc2" and data["measured"] == "no trials yet"
    [section] = data["sections"]
    assert section["use_case"] == "code" and section["vendor_record"] is None
    assert "no vendor sampling advice for this model" in section["remarks"]
    temperature = next(row for row in section["rows"] if row["parameter"] == "temperature")
    assert temperature["engine"]["value"] == 0.8 and temperature["measured"] is None
    assert all(record["id"] for record in data["records"])


def test_show_of_a_missing_model_is_one_line(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, out, err = run(capsys, "knowledge", "show", "nope:1b", "--host", demo_url)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "nope:1b" in err and "Traceback" not in err


def test_check_reports_fresh_stale_and_unreachable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    pages = Pages(bodies={"/card": f"<p>{QUOTE}</p>", "/edited": "<p>changed</p>"})
    checked = records(
        ("https://vendor.invalid/card", QUOTE),
        ("https://vendor.invalid/edited", QUOTE),
        ("https://vendor.invalid/gone", QUOTE),
        ("QwenLM/Qwen3@7a2f61f:README.md", QUOTE),
    )
    monkeypatch.setattr(records_module, "load_records", lambda: tuple(checked))
    with serve(pages) as base:
        monkeypatch.setattr(
            check_module,
            "default_address",
            lambda where: (
                where.replace("https://vendor.invalid", base)
                if where.startswith("https://")
                else None
            ),
        )
        code, out, _ = run(capsys, "knowledge", "check", "--json")
        assert code == 1
        statuses = [entry["status"] for entry in json.loads(out)]
        assert statuses == ["fresh", "stale", "unreachable", "not fetchable"]
        code, out, _ = run(capsys, "knowledge", "check")
    assert code == 1
    assert out.splitlines()[0] == "4 records: 1 fresh, 1 stale, 1 unreachable, 1 not fetchable"
    assert "stale        qwen-test-general-sampling-v1" in out


def test_show_warns_when_the_template_writes_another_tool_call_style(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    # A Qwen3 (Hermes JSON) template under a Qwen3-Coder name: Qwen3-Coder documents XML calls.
    code, _, err = run(
        capsys, "models", "copy", "qwen3:8b", "me/qwen3-coder:30b", "--host", demo_url
    )
    assert code == 0, err
    code, out, _ = run(capsys, "knowledge", "show", "me/qwen3-coder:30b", "--host", demo_url)
    assert code == 0
    assert "warning KN001: me/qwen3-coder:30b: the TEMPLATE asks for hermes-json tool calls" in out
    code, out, _ = run(
        capsys, "knowledge", "show", "me/qwen3-coder:30b", "--host", demo_url, "--json"
    )
    [finding] = json.loads(out)["tool_calls"]
    assert finding["documented"] == ["xml-function"]


def test_measured_here_shows_the_trials_run_on_this_machine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """After a trial, the side-by-side view's "measured here" holds its results."""
    from modelarium.cli import main

    assert main(["--demo", "trials", "run", "qwen3:8b", "--probes", "tools", "--json"]) == 0
    capsys.readouterr()
    assert main(["--demo", "knowledge", "show", "qwen3:8b", "--use-case", "tools"]) == 0
    out = capsys.readouterr().out
    assert "measured here: as installed tools: 3/3 passed" in out
    assert main(["--demo", "knowledge", "show", "qwen3:8b", "--use-case", "tools", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    tools = [section for section in data["sections"] if section["use_case"] == "tools"]
    assert tools and tools[0]["measured"].startswith("as installed tools: 3/3 passed")


def make_user_model(url: str, lines: str, base: str, name: str) -> None:
    """A model made under a name of its own, as a user makes one (`create` FROM `base`)."""
    from modelarium.config import HostConfig
    from modelarium.modelfile.overlay import overlay_create
    from modelarium.ollama.client import OllamaClient

    async def create() -> None:
        async with OllamaClient(HostConfig("demo", url), timeout=30) as client:
            async for _ in client.create(overlay_create(lines, base, name)):
                pass

    asyncio.run(create())


def table_rows(out: str, header_start: str = "parameter") -> dict[str, dict[str, str]]:
    """The first table of `knowledge show`'s readable output, per parameter, by column header
    (columns split on runs of two or more spaces; "—" is an empty cell)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(header_start))
    headers = re.split(r"\s{2,}", lines[start].strip())
    rows: dict[str, dict[str, str]] = {}
    for line in lines[start + 1 :]:
        if not line.startswith("  ") or line.strip().startswith(("vendor:", "this model:")):
            break
        cells = re.split(r"\s{2,}", line.strip().removeprefix("≠").strip())
        rows[cells[0]] = dict(zip(headers, cells, strict=True))
    return rows


def test_show_sets_a_user_models_own_values_apart_from_what_ollama_ships(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    """mistral-small-code:24b, made from mistral-small:24b with its own temperature and top_p:
    "Ollama ships" holds the curated ollama-shipped values (temperature 0.15), "this model" its
    own; the CLI used to print its own values as what Ollama ships."""
    make_user_model(
        demo_url,
        "PARAMETER temperature 0.3\nPARAMETER top_p 0.8\n",
        "mistral-small:24b",
        "mistral-small-code:24b",
    )
    code, out, err = run(capsys, "knowledge", "show", "mistral-small-code:24b", "--host", demo_url)
    assert code == 0, err
    rows = table_rows(out)
    assert rows["temperature"]["Ollama ships"] == "0.15"
    assert rows["temperature"]["this model"] == "0.3"
    assert rows["top_p"]["Ollama ships"] == "—" and rows["top_p"]["this model"] == "0.8"
    assert "this model: its own parameters, not what Ollama ships" in out
    marked = [line for line in out.splitlines() if line.strip().startswith("≠")]
    assert any("temperature" in line for line in marked)  # 0.3 runs, the vendor says 0.15
    code, out, _ = run(
        capsys, "knowledge", "show", "mistral-small-code:24b", "--host", demo_url, "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["this_model_column"] is True
    row = {r["parameter"]: r for r in data["sections"][0]["rows"]}
    assert row["temperature"]["ollama"]["text"] == "0.15"
    assert row["temperature"]["ollama"]["from"] == (
        "mistral-mistral-small-24b-instruct-general-sampling-ollama"
    )
    assert row["temperature"]["this_model"] == {"value": 0.3, "text": "0.3", "from": "model"}
    assert row["top_p"]["ollama"] is None and row["top_p"]["this_model"]["text"] == "0.8"


def test_show_of_a_model_as_pulled_gives_its_own_values_as_what_ollama_ships(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    """qwen3:8b as pulled: its own parameters are what Ollama ships, with no "this model"."""
    code, out, err = run(capsys, "knowledge", "show", "qwen3:8b", "--host", demo_url)
    assert code == 0, err
    assert "this model" not in out
    rows = table_rows(out)
    assert rows["temperature"]["Ollama ships"] == "0.6" and rows["top_k"]["Ollama ships"] == "20"
    code, out, _ = run(capsys, "knowledge", "show", "qwen3:8b", "--host", demo_url, "--json")
    data = json.loads(out)
    assert data["this_model_column"] is False
    for section in data["sections"]:
        for row in section["rows"]:
            assert "this_model" not in row
    temperature = next(r for r in data["sections"][0]["rows"] if r["parameter"] == "temperature")
    assert temperature["ollama"] == {"value": 0.6, "text": "0.6", "from": "model"}
