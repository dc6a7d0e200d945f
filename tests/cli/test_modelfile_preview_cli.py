"""`modelarium modelfile preview`: the exact prompt, samples, real requests, the FROM model's
template from a host, and one-line errors."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.cli.modelfile_preview import terminal_safe
from modelarium.demo import seeded_state

CHATML = (
    'FROM llama3.2\nSYSTEM "Be brief."\nPARAMETER stop <|im_end|>\n'
    'TEMPLATE """{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}'
    '{{ range .Messages }}{{ if ne .Role "system" }}<|im_start|>{{ .Role }}\n{{ .Content }}'
    "<|im_end|>\n{{ end }}{{ end }}"
    '<|im_start|>assistant\n"""\n'
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def chatml(tmp_path: Path) -> Path:
    path = tmp_path / "Modelfile"
    path.write_text(CHATML, encoding="utf-8")
    return path


def test_plain_sample_with_the_modelfiles_system(
    capsys: pytest.CaptureFixture[str], chatml: Path
) -> None:
    code, out, err = run(capsys, "modelfile", "preview", str(chatml), "--sample", "plain")
    assert (code, err) == (0, "")
    assert out == (
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhy is the sky blue?"
        "<|im_end|>\n<|im_start|>assistant\n"
    )


def test_json_output_names_the_sample_and_stops(
    capsys: pytest.CaptureFixture[str], chatml: Path
) -> None:
    code, out, _ = run(capsys, "modelfile", "preview", str(chatml), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["sample"] == "multi-turn"
    assert payload["template_from"] == "modelfile"
    assert payload["stop"] == ["<|im_end|>"]
    # The sample's own system message wins over the Modelfile's SYSTEM.
    assert payload["prompt"].startswith("<|im_start|>system\nYou are a concise assistant.")


def test_a_real_chat_request(
    capsys: pytest.CaptureFixture[str], chatml: Path, tmp_path: Path
) -> None:
    body = tmp_path / "chat.json"
    body.write_text(
        json.dumps(
            {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]}
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "modelfile", "preview", str(chatml), "--chat", str(body))
    assert code == 0
    assert out.startswith("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>")


def test_modelfile_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(CHATML.encode())))
    code, out, _ = run(capsys, "modelfile", "preview", "-", "--sample", "tools")
    assert code == 0
    assert "What is the weather in Paris?" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "FROM x\n",
            "the Modelfile has no TEMPLATE; pass --host URL to use the FROM model's template",
        ),
        (
            "FROM x\nRENDERER qwen3\nTEMPLATE {{ .Prompt }}\n",
            "RENDERER is set, so Ollama builds this model's prompt in Go code",
        ),
        ("FROM x\nTEMPLATE {{ .Prompt\n", "TEMPLATE: template: :1: unclosed action"),
        (
            'FROM x\nTEMPLATE "{{ .Missing.X }}{{ range .Messages }}{{ end }}"\n',
            'TEMPLATE: template: :1:11: executing "" at <.Missing.X>: '
            "nil pointer evaluating interface {}.X",
        ),
        (
            'FROM x\nTEMPLATE "{{ range .Messages }}{{ .Missing }}{{ end }}"\n',
            "can't evaluate field Missing in type template.templateMessage",
        ),
        ("FROM x\n  SYTEM y\n", "command must be one of"),
    ],
)
def test_problems_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "Modelfile"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "modelfile", "preview", str(path))
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(str(path))
    assert message in err


def test_bad_request_body(capsys: pytest.CaptureFixture[str], chatml: Path, tmp_path: Path) -> None:
    body = tmp_path / "chat.json"
    body.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "modelfile", "preview", str(chatml), "--chat", str(body))
    assert code == 1
    assert err == f"{body}: the request body must be a JSON object\n"


def test_terminal_safe_escapes_control_characters() -> None:
    assert terminal_safe("a\x1b[2Jb\n\tc\x7f\u009b") == "a\\x1b[2Jb\n\tc\\x7f\\x9b"


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server.url


def test_inherited_template_from_the_host(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_url: str
) -> None:
    path = tmp_path / "Modelfile"
    path.write_text("FROM llama3.2\nPARAMETER temperature 0.2\n", encoding="utf-8")
    code, out, err = run(
        capsys, "modelfile", "preview", str(path), "--host", demo_url, "--sample", "plain", "--json"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["template_from"] == "host"
    assert "Why is the sky blue?" in payload["prompt"]


def test_unknown_base_on_the_host(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_url: str
) -> None:
    path = tmp_path / "Modelfile"
    path.write_text("FROM nothing-here\n", encoding="utf-8")
    code, _, err = run(capsys, "modelfile", "preview", str(path), "--host", demo_url)
    assert code == 1
    assert len(err.splitlines()) == 1 and "nothing-here" in err
