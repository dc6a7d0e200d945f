"""`modelarium knowledge show|check` end to end: the demo host over real HTTP, and fixture
pages on a local server for the check (no network)."""

from __future__ import annotations

import json
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
