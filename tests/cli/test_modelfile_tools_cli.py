"""`modelarium modelfile lint|format|diff` end to end: output shapes, exit codes, stdin, atomic
writes and one-line errors (never a traceback)."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from modelarium.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "modelfiles"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class _Stdin:
    """A stand-in for sys.stdin with a binary buffer."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(data))


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_lint_text_output_and_error_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path / "Bad", "FROM x\nPARAMETER temprature 0.7\n")
    good = _write(tmp_path / "Good", "FROM x\nPARAMETER mirostat 1\n")
    code, out, err = run(capsys, "modelfile", "lint", str(bad), str(good))
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        f"{bad}:2:11: error MF020 unknown parameter 'temprature': create fails; "
        "did you mean temperature?"
    )
    assert lines[1].startswith(f"{good}:2:1: warning MF025 ")


def test_lint_warnings_only_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "M", "FROM x\nSYSTEM a\nSYSTEM b\n")
    code, out, _ = run(capsys, "modelfile", "lint", str(path))
    assert code == 0
    assert " warning MF030 " in out


def test_lint_clean_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in sorted(FIXTURES.glob("*.Modelfile"))]
    code, out, err = run(capsys, "modelfile", "lint", *paths)
    assert code == 0
    assert err == ""
    assert " error " not in out and " warning " not in out


def test_lint_json_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"FROM x\nrepeat_last_n 2048\n")
    code, out, _ = run(capsys, "modelfile", "lint", "--json", "-")
    assert code == 1
    (data,) = json.loads(out)  # one JSON array of findings
    assert list(data) == [
        "file",
        "code",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "fix",
    ]
    assert data["file"] == "<stdin>"
    assert data["code"] == "MF002"
    assert data["fix"] == {
        "description": "add the PARAMETER keyword",
        "replacement": "PARAMETER repeat_last_n 2048",
    }


def test_lint_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    code, out, err = run(capsys, "modelfile", "lint", str(missing))
    assert code == 1
    assert out == ""
    assert err == f"{missing}: no such file\n"


def test_format_prints_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = _write(tmp_path / "Messy", 'from x\n  # note  \nsystem "hi"\n')
    tidy = _write(tmp_path / "Tidy", "FROM x\n# note\nSYSTEM hi\n")
    code, out, _ = run(capsys, "modelfile", "format", str(messy))
    assert (code, out) == (0, "FROM x\n# note\nSYSTEM hi\n")
    code, out, _ = run(capsys, "modelfile", "format", "--check", str(messy), str(tidy))
    assert (code, out) == (1, f"{messy}: would reformat\n")
    code, out, _ = run(capsys, "modelfile", "format", "--check", str(tidy))
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "modelfile", "format", str(tidy), str(tidy))
    assert (
        out
        == f"==> {tidy} <==\nFROM x\n# note\nSYSTEM hi\n==> {tidy} <==\nFROM x\n# note\nSYSTEM hi\n"
    )


def test_format_write_is_atomic_and_keeps_mode_and_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Modelfile"
    path.write_bytes("\ufefffrom x\r\nsystem hi\r\n".encode("utf-16-le"))
    os.chmod(path, 0o640)
    code, _, err = run(capsys, "modelfile", "format", "--write", str(path))
    assert code == 0
    assert err == f"{path}: reformatted\n"
    assert path.read_bytes() == "\ufeffFROM x\r\nSYSTEM hi\r\n".encode("utf-16-le")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Modelfile"]
    before = path.stat().st_mtime_ns
    code, _, err = run(capsys, "modelfile", "format", "--write", str(path))
    assert (code, err) == (0, "")
    assert path.stat().st_mtime_ns == before


def test_format_refuses_what_it_cannot_write_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin1 = tmp_path / "Latin1"
    latin1.write_bytes(b"FROM x\nSYSTEM caf\xe9\n")
    code, _, err = run(capsys, "modelfile", "format", "--write", str(latin1))
    assert code == 1
    assert err == (
        f"{latin1}: not valid UTF-8 (at byte offset 17); format rewrites only files it can "
        "write back unchanged\n"
    )
    assert latin1.read_bytes() == b"FROM x\nSYSTEM caf\xe9\n"
    broken = _write(tmp_path / "Broken", 'FROM x\nSYSTEM "open\n')
    code, _, err = run(capsys, "modelfile", "format", str(broken))
    assert code == 1
    assert err == (
        f"{broken}: cannot format a Modelfile Ollama rejects: line 2, column 8: unexpected EOF\n"
    )


def test_format_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, b"from x\n")
    assert run(capsys, "modelfile", "format", "-") == (0, "FROM x\n", "")
    _stdin(monkeypatch, b"from x\n")
    code, out, err = run(capsys, "modelfile", "format", "--write", "-")
    assert (code, out) == (1, "")
    assert err == "<stdin>: --write needs a file; standard input cannot be rewritten\n"


def test_diff_text_and_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _write(tmp_path / "A", "FROM x\nPARAMETER temperature 0.7\n")
    _stdin(monkeypatch, b"# new\nFROM x\nPARAMETER temperature 0.9\n")
    code, out, _ = run(capsys, "modelfile", "diff", str(before), "-")
    assert code == 1  # they differ: 1, as `diff` (issue 17)
    assert out == f'--- {before}\n+++ <stdin>\nPARAMETER temperature: "0.7" -> "0.9"\n'
    code, out, _ = run(capsys, "modelfile", "diff", "--json", str(before), str(before))
    assert code == 0
    assert json.loads(out) == {
        "before": str(before),
        "after": str(before),
        "identical": True,
        "changes": [],
    }


def test_diff_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "Good", "FROM x\n")
    broken = _write(tmp_path / "Broken", "FROM x\nBOGUS y\n")
    code, out, err = run(capsys, "modelfile", "diff", str(good), str(broken))
    assert (code, out) == (2, "")  # trouble: 2, as `diff` (issue 17)
    assert err.startswith(f"{broken}: Ollama rejects this Modelfile: (line 2)")
    assert len(err.splitlines()) == 1
    code, _, err = run(capsys, "modelfile", "diff", "-", "-")
    assert (code, err) == (2, "<stdin>: standard input can be read only once\n")


def test_lint_names_binary_data_in_the_words_parse_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elf = tmp_path / "a.out"
    elf.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    code, out, err = run(capsys, "modelfile", "lint", str(elf))
    assert (code, out) == (1, "")
    assert err == f"{elf}: the file looks like binary data, not a Modelfile\n"
    code, _, err = run(capsys, "modelfile", "parse", str(elf))
    assert code == 1 and err.endswith("(the file looks like binary data, not a Modelfile)\n")
    # A text Modelfile with a stray NUL byte still parses: it is linted as usual.
    stray = _write(tmp_path / "Stray", "FROM x\nSYSTEM a\x00b\n")
    code, out, err = run(capsys, "modelfile", "lint", str(stray))
    assert err == ""


def test_diff_exits_0_for_the_same_model_1_for_a_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _write(tmp_path / "One", "FROM x\nPARAMETER temperature 0.7\n")
    same = _write(tmp_path / "Same", "# a comment\nfrom x\nparameter temperature 0.7\n")
    other = _write(tmp_path / "Other", "FROM x\nPARAMETER temperature 0.8\n")
    assert run(capsys, "modelfile", "diff", str(one), str(same))[0] == 0
    assert run(capsys, "modelfile", "diff", str(one), str(other))[0] == 1
    assert run(capsys, "modelfile", "diff", "--json", str(one), str(other))[0] == 1
    assert run(capsys, "modelfile", "diff", str(one), str(tmp_path / "missing"))[0] == 2
