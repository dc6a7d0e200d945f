"""`modelarium modelfile parse|render|request`: output shapes, exit codes, bad input."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from modelarium.cli import main, modelfile_core

INVALID_COMMAND = (
    '(line 2): command must be one of "from", "license", "template", "system", "adapter", '
    '"draft", "renderer", "parser", "parameter", "message", or "requires"'
)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "Modelfile"
    path.write_text(
        "FROM llama3\nPARAMETER temperature 0.1234567891\nPARAMETER mirostat 1\n"
        'SYSTEM """be\nbrief"""\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "Broken"
    path.write_text("FROM x\n  SYTEM y\n", encoding="utf-8")
    return path


def json_lines(text: str) -> list[dict[str, object]]:
    """The results of a `--json` run: one JSON array, one object per input (README)."""
    results = json.loads(text)
    assert isinstance(results, list)
    return results


def test_parse_json(good: Path, bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modelfile", "parse", "--json", str(good), str(bad)]) == 1
    first, second = json_lines(capsys.readouterr().out)
    assert first == {
        "file": str(good),
        "ok": True,
        "commands": [
            {"name": "model", "args": "llama3"},
            {"name": "temperature", "args": "0.1234567891"},
            {"name": "mirostat", "args": "1"},
            {"name": "system", "args": "be\nbrief"},
        ],
    }
    assert second == {"file": str(bad), "ok": False, "error": INVALID_COMMAND, "line": 2}


def test_parse_text(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modelfile", "parse", str(good)]) == 0
    assert capsys.readouterr().out == (
        'model\t"llama3"\ntemperature\t"0.1234567891"\nmirostat\t"1"\nsystem\t"be\\nbrief"\n'
    )


def test_parse_text_error_has_human_position(
    good: Path, bad: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["modelfile", "parse", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"==> {good} <==\nmodel")
    assert captured.err == f"{bad}:2:3: {INVALID_COMMAND}\n"


def test_parse_eof_error_without_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m"
    path.write_text("FROM x\nPARAMETER temperature\n", encoding="utf-8")
    assert main(["modelfile", "parse", "--json", str(path)]) == 1
    assert json_lines(capsys.readouterr().out) == [
        {"file": str(path), "ok": False, "error": "unexpected EOF: temperature", "line": None}
    ]


def test_parse_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfFROM x\n")))
    assert main(["modelfile", "parse", "--json", "-"]) == 0
    assert json_lines(capsys.readouterr().out) == [
        {"file": "-", "ok": True, "commands": [{"name": "model", "args": "x"}]}
    ]


def test_render(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modelfile", "render", str(good)]) == 0
    assert capsys.readouterr().out == (
        "FROM llama3\nPARAMETER temperature 0.1234567891\nPARAMETER mirostat 1\n"
        'SYSTEM "be\nbrief"\n'
    )


def test_render_error(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modelfile", "render", str(bad)]) == 1
    assert capsys.readouterr().err == f"{bad}:2:3: {INVALID_COMMAND}\n"


def test_request_json(good: Path, bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modelfile", "request", "--json", str(good), str(bad)]) == 1
    first, second = json_lines(capsys.readouterr().out)
    assert first == {
        "file": str(good),
        "ok": True,
        "request": {
            "model": "",
            "from": "llama3",
            "system": "be\nbrief",
            "parameters": {"temperature": 0.12345679},
            "name": "",
        },
        "warnings": ["warning: parameter mirostat is deprecated"],
    }
    assert second == {"file": str(bad), "ok": False, "error": INVALID_COMMAND}


def test_request_resolves_files_next_to_the_modelfile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "w.gguf").write_bytes(b"GGUF\x00\x01")
    path = tmp_path / "Modelfile"
    path.write_text("FROM ./w.gguf\nPARAMETER top_k 1.5\n", encoding="utf-8")
    assert main(["modelfile", "request", str(path)]) == 1
    assert capsys.readouterr().err == f"{path}: invalid int value [1.5]\n"
    path.write_text("FROM ./w.gguf\n", encoding="utf-8")
    assert main(["modelfile", "request", str(path)]) == 0
    body = json.loads(capsys.readouterr().out)
    assert list(body["files"]) == ["w.gguf"]


def test_request_text_prints_warnings_on_stderr(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["modelfile", "request", str(good)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["parameters"] == {"temperature": 0.12345679}
    assert captured.err == "warning: parameter mirostat is deprecated\n"


def test_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    folder = tmp_path / "folder"
    folder.mkdir()
    utf16 = tmp_path / "utf16"
    utf16.write_bytes("FROM llama3\n".encode("utf-16-le"))
    binary = tmp_path / "binary"
    binary.write_bytes(bytes(range(256)) * 4)
    code = main(["modelfile", "parse", str(missing), str(folder), str(utf16), str(binary)])
    assert code == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == f"{missing}: no such file"
    assert errors[1] == f"{folder}: is a directory, not a Modelfile"
    assert errors[2].startswith(f"{utf16}:1:2: (line 1): command must be one of")
    assert errors[2].endswith(
        "(the file looks like UTF-16 without a byte order mark; save it as UTF-8)"
    )
    assert errors[3].startswith(f"{binary}:1:")
    assert errors[3].endswith("(the file looks like binary data, not a Modelfile)")


def test_oversized_input_is_refused_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert main(["modelfile", "request", "--json", str(big)]) == 1
    assert json_lines(capsys.readouterr().out) == [
        {"file": str(big), "ok": False, "error": "file is larger than 16 MiB; not a Modelfile"}
    ]
    monkeypatch.setattr(modelfile_core, "MAX_INPUT_BYTES", 8)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"FROM llama3\n")))
    assert main(["modelfile", "render", "-"]) == 1
    assert capsys.readouterr().err == "<stdin>: input is larger than 8 bytes; not a Modelfile\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["modelfile", "parse"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["modelfile", "render", "a", "b"])
    assert raised.value.code == 2
    capsys.readouterr()


def test_undecodable_file_names_are_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9")
    Path(name).write_text("FROM x\n", encoding="utf-8")
    assert main(["modelfile", "parse", "--json", name]) == 0
    line = capsys.readouterr().out
    assert json_lines(line)[0]["file"] == f"{tmp_path}/caf\ufffd"
    line.encode("utf-8")
