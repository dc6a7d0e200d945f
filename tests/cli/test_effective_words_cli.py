"""`modelfile effective` and the editor's F7 view say the same thing for the same text: the
CLI fetches the FROM model's facts with the function `lint --host` and the editor use
(`from_model_facts`) and prints the core's `effective_settings` words unchanged."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread
from modelarium.modelfile import EffectiveSetting, effective_settings
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.model_check import check_on_host, from_model_facts
from modelarium.tui.widgets.effective_text import effective_text

TEXT = 'FROM qwen3:8b\nPARAMETER top_k 40\nSYSTEM "Be brief."\nPARAMETER stop "<|x|>"\n'


@pytest.fixture
def server() -> Iterator[DemoServerThread]:
    with DemoServerThread() as running:
        yield running


def editor_settings(url: str, text: str) -> tuple[EffectiveSetting, ...]:
    """What the editor's F7 view is given for `text` on the host: the core's settings over
    the FROM model's facts, fetched as the editor's model check fetches them."""

    async def fetch() -> tuple[EffectiveSetting, ...]:
        client = OllamaClient(HostConfig("demo", url), timeout=30)
        try:
            fetched = await from_model_facts(client, text)
            checked = await check_on_host(client, text)
        finally:
            await client.aclose()
        assert checked.facts == fetched.facts and checked.model == fetched.model
        return effective_settings(text, fetched.facts)

    return asyncio.run(fetch())


def test_the_cli_prints_the_words_the_editor_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text(TEXT)
    expected = editor_settings(server.url, TEXT)
    assert main(["modelfile", "effective", str(modelfile), "--json", "--host", server.url]) == 0
    printed = json.loads(capsys.readouterr().out)["settings"]
    assert printed == [setting.to_json() for setting in expected]
    assert {s["origin"] for s in printed if s["source"] == "modelfile"} == {
        "line 2",
        "line 3",
        "line 4",
    }
    assert main(["modelfile", "effective", str(modelfile), "--host", server.url]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    shown = effective_text(expected).plain
    for setting, row in zip(expected, rows, strict=True):
        assert row.startswith(setting.name) and row.endswith(setting.origin), row
        assert f"\n    {setting.origin}" in shown


def test_a_model_the_host_lacks_reads_as_in_lint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM nope:1b\nPARAMETER top_k 5\n")
    code = main(["modelfile", "effective", str(modelfile), "--host", server.url])
    err = capsys.readouterr().err
    assert code == 0
    assert (
        err
        == f"{modelfile}: nope:1b is not installed on {server.url}: its own values are not known\n"
    )
