"""`modelarium screenshot` writes one SVG per view, taken on the demo host."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelarium.cli import main


@pytest.mark.slow
def test_screenshot_command_writes_every_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shots"
    assert main(["screenshot", "--out", str(out), "--size", "120x36"]) == 0
    written = sorted(path.name for path in out.iterdir())
    assert written == [
        "dashboard.svg",
        "details.svg",
        "editor.svg",
        "effective.svg",
        "help.svg",
        "library.svg",
        "models.svg",
        "settings.svg",
        "trials.svg",
        "wizard.svg",
    ]
    printed = capsys.readouterr().out.split()
    assert sorted(Path(line).name for line in printed) == written
    models = (out / "models.svg").read_text(encoding="utf-8")
    assert models.startswith("<svg") and "Modelarium" in models
    assert "llama3.1:8b" in models
    assert "mario/sql-reviewer:latest" in (out / "details.svg").read_text(encoding="utf-8")
    assert "mario/sql-reviewer:latest" in (out / "editor.svg").read_text(encoding="utf-8")
    effective = (out / "effective.svg").read_text(encoding="utf-8")
    assert "Effective&#160;settings" in effective and "my-reviewer:latest" in effective
    dashboard = (out / "dashboard.svg").read_text(encoding="utf-8")
    assert "qwen2.5-coder:7b" in dashboard
    assert any(bar in dashboard for bar in "▁▂▃▄▅▆▇█")  # the probes' sparkline has a history
    assert "Parameters" in (out / "wizard.svg").read_text(encoding="utf-8")
    settings = (out / "settings.svg").read_text(encoding="utf-8")
    assert "qwen3:8b" in settings and "vendor&#160;recommends" in settings
    trials = (out / "trials.svg").read_text(encoding="utf-8")
    assert "qwen3:8b" in trials and "Done" in trials
    assert (out / "models.svg").stat().st_mode & 0o044  # readable by others (README images)


def test_screenshot_size_must_be_sane(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["screenshot", "--size", "10x5"])
    assert exit_info.value.code == 2
    assert "too small" in capsys.readouterr().err
