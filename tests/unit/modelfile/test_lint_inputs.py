"""Lint on any input: never raises, every result well-formed, OS errors on local paths become
diagnostics, long values stay linear, and non-text input is named as `parse` names it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelarium.cli import main
from modelarium.cli.modelfile_core import encoding_hint
from modelarium.modelfile.commands import Command, NoFromLineError
from modelarium.modelfile.create import (
    CreateRequestError,
    build_create_request,
    stat_local_path,
)
from modelarium.modelfile.golang.strconv import parse_go_float32, parse_go_int
from modelarium.modelfile.lint import RULES, Diagnostic, Fix, encoding_problem, lint
from modelarium.modelfile.parser import decode, parse
from tests.unit.modelfile.test_elements_strategies import PIECES, any_text

_NEWLINES = re.compile(r"\r\n|\r|\n")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _linted_text(source: str | bytes) -> str:
    """The text lint positions refer to (bytes decoded as lint decodes them)."""
    if isinstance(source, str):
        return source
    return ("\ufeff" if source.startswith(_BOMS) else "") + decode(source)


def assert_well_formed(source: str | bytes, diagnostics: Sequence[Diagnostic]) -> None:
    """Each diagnostic has a known code and severity, a message, a fix of the right shape and a
    span inside the text (1-based, end exclusive, end not before start)."""
    text = _linted_text(source)
    starts = [0, *(match.end() for match in _NEWLINES.finditer(text))]
    ends = [*(match.start() for match in _NEWLINES.finditer(text)), len(text)]
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.code in RULES, diagnostic
        assert diagnostic.severity in ("error", "warning", "info"), diagnostic
        assert isinstance(diagnostic.message, str) and diagnostic.message.strip(), diagnostic
        assert diagnostic.fix is None or (
            isinstance(diagnostic.fix, Fix)
            and isinstance(diagnostic.fix.description, str)
            and isinstance(diagnostic.fix.replacement, str)
        ), diagnostic
        for line, column in (
            (diagnostic.line, diagnostic.column),
            (diagnostic.end_line, diagnostic.end_column),
        ):
            assert 1 <= line <= len(starts), diagnostic
            # A column may point one past the last character of its line (an exclusive end).
            assert 1 <= column <= ends[line - 1] - starts[line - 1] + 1, diagnostic
        assert (diagnostic.end_line, diagnostic.end_column) >= (
            diagnostic.line,
            diagnostic.column,
        ), diagnostic
    assert list(diagnostics) == sorted(diagnostics, key=lambda d: (d.line, d.column, d.code))


# --- never raises -----------------------------------------------------------------------------

_PATH_PIECES = (
    "~",
    "~/",
    "~nosuchuser-modelarium/",
    "~root/",
    "/",
    "./",
    "../",
    "\\",
    "a" * 300,
    "x" * 40,
    "\x00",
    "weights.gguf",
    "model",
    "folder/",
    "file/",
    "locked/",
    ".gguf",
    "é",
)
from_paths = st.lists(st.sampled_from(_PATH_PIECES), min_size=1, max_size=6).map("".join)
"""FROM values that exercise path expansion and stat: home folders, unknown users, names over
255 bytes, NUL bytes, paths through a regular file, existing files and folders."""

path_heavy_text = st.builds(
    lambda head, value, tail: head + value + tail,
    st.sampled_from(("FROM ", "FROM  ", 'FROM "', "ADAPTER ", "DRAFT ", "PARAMETER stop ")),
    from_paths,
    st.lists(st.sampled_from(PIECES), max_size=10).map("".join),
)
lint_inputs = st.one_of(
    any_text,
    path_heavy_text,
    st.binary(max_size=300),
    path_heavy_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A Modelfile folder with a weights file, a model folder, a regular file named like a
    folder and (for a non-root user) a folder that cannot be entered."""
    folder = tmp_path_factory.mktemp("modelfile")
    (folder / "weights.gguf").write_bytes(b"GGUF")
    (folder / "model").write_bytes(b"GGUF")
    (folder / "folder").mkdir()
    (folder / "folder" / "model.gguf").write_bytes(b"GGUF")
    (folder / "file").write_bytes(b"not a folder")
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    yield folder
    locked.chmod(0o700)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=lint_inputs)
def test_lint_never_raises_and_every_result_is_well_formed(
    source: str | bytes, model_folder: Path
) -> None:
    for directory in (model_folder, None):
        diagnostics = lint(source, directory=directory)
        assert_well_formed(source, diagnostics)


# --- OS errors on local paths -------------------------------------------------------------


def _only(code: str, diagnostics: Sequence[Diagnostic]) -> Diagnostic:
    found = [diagnostic for diagnostic in diagnostics if diagnostic.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


def test_unknown_user_in_from_is_create_s_error_with_or_without_a_folder(tmp_path: Path) -> None:
    text = "FROM ~nosuchuser-modelarium/x\n"
    for directory in (tmp_path, None):
        found = _only("MF036", lint(text, directory=directory))
        assert found.severity == "error"
        assert (found.line, found.column, found.end_line, found.end_column) == (1, 6, 1, 30)
        assert found.message.endswith(
            "failed to find user 'nosuchuser-modelarium': user: unknown user nosuchuser-modelarium"
        )


def test_a_path_part_over_255_bytes_is_a_diagnostic(tmp_path: Path) -> None:
    part = "a" * 300
    found = _only("MF036", lint(f"FROM ./{part}/x\n", directory=tmp_path))
    assert "file name too long" in found.message
    assert len(found.message) < 500  # the path is quoted, not the whole of it


def test_a_path_through_a_regular_file_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "weights").write_bytes(b"GGUF")
    found = _only("MF036", lint("FROM weights/x\n", directory=tmp_path))
    assert found.message.endswith(f"stat {tmp_path}/weights/x: not a directory")


def test_a_nul_byte_in_a_path_is_create_s_error_not_a_value_error(tmp_path: Path) -> None:
    # The parser drops NULs, but a command built from elements can still carry one.
    with pytest.raises(CreateRequestError, match=r"^stat .*: invalid argument$"):
        stat_local_path(f"{tmp_path}/a\x00b")
    command = Command("model", f"{tmp_path}/a\x00b")
    with pytest.raises(CreateRequestError, match=r"invalid argument"):
        build_create_request([command], tmp_path)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root reads any folder, so permission cannot be denied",
)
def test_a_folder_without_permission_is_a_diagnostic(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found = _only("MF036", lint("FROM locked/x.gguf\n", directory=tmp_path))
    finally:
        locked.chmod(0o700)
    assert found.message.endswith("permission denied")


def test_a_refused_stat_is_a_diagnostic_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root reads every folder, so the refusal is simulated where create stats the path.
    real_stat = os.stat
    refused = f"{tmp_path}/locked/x.gguf"

    def stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        if path == refused:
            raise PermissionError(13, "Permission denied", path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    found = _only("MF036", lint("FROM locked/x.gguf\n", directory=tmp_path))
    assert found.message.endswith(f"stat {refused}: permission denied")


def test_paths_that_are_not_there_name_a_model_and_local_weights_are_still_found(
    tmp_path: Path,
) -> None:
    (tmp_path / "weights").write_bytes(b"GGUF")
    assert [d.code for d in lint("FROM llama3\n", directory=tmp_path)] == []
    assert [d.code for d in lint("FROM ~/no-such-weights\n", directory=tmp_path)] == []
    assert [d.code for d in lint("FROM weights\n", directory=tmp_path)] == ["MF033"]
    assert [d.code for d in lint("FROM ./model.gguf\n")] == ["MF033"]


def test_cli_lint_reports_path_errors_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "Modelfile"
    first.write_text("FROM ~nosuchuser-modelarium/x\n", encoding="utf-8")
    second = tmp_path / "Long"
    second.write_text(f"FROM ./{'a' * 300}/x\n", encoding="utf-8")
    assert main(["modelfile", "lint", str(first), str(second)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{first}:1:6: error MF036 ")
    assert lines[1].startswith(f"{second}:1:6: error MF036 ")
    assert "file name too long" in lines[1]


# --- numbers too long for int() ----------------------------------------------------------


def test_numbers_with_thousands_of_digits_are_typed_as_create_types_them() -> None:
    assert parse_go_int("1" * 5000) is None
    assert parse_go_int("0" * 5000 + "12") == 12
    assert parse_go_int("-0" + "0" * 5000) == 0
    assert parse_go_float32("1" * 20000) is None
    # 16777217 lies halfway between two float32 values: ties go to even, anything above up.
    assert parse_go_float32("16777217." + "0" * 5000) == 16777216.0
    assert parse_go_float32("16777217." + "0" * 5000 + "1") == 16777218.0
    assert parse_go_float32("0." + "0" * 5000 + "1") == 0.0
    codes = [d.code for d in lint("FROM x\nPARAMETER temperature " + "1" * 20000 + "\n")]
    assert codes == ["MF021"]
    assert [d.code for d in lint("FROM x\nPARAMETER num_ctx " + "1" * 5000 + "\n")] == ["MF021"]


# --- linear on long lines ----------------------------------------------------------------

_LONG = 128 * 1024


def test_placeholder_rule_on_a_128_kb_run_of_words() -> None:
    words = "word " * (_LONG // 5)
    # A `<` that never closes is not a placeholder; one that closes around blanks is.
    assert [d.code for d in lint(f"FROM x\nPARAMETER stop <{words}\n")] == []
    assert [d.code for d in lint(f"FROM x\nPARAMETER stop <{words}>\n")] == ["MF023"]
    assert [d.code for d in lint(f"FROM <{words}>\n")] == ["MF023"]
    assert [d.code for d in lint(f"FROM x\nPARAMETER stop <|{words}|>\n")] == []


def test_comment_rules_on_a_128_kb_run_of_blanks() -> None:
    blanks = " " * _LONG
    stop = _only("MF022", lint(f"FROM x\nPARAMETER stop </s>{blanks}# end\n"))
    assert stop.severity == "warning"
    assert stop.fix is not None and stop.fix.replacement == "</s>"
    base = _only("MF022", lint(f"FROM llama3{blanks}# base\n"))
    assert base.severity == "error"
    assert base.fix is not None and base.fix.replacement == "llama3"
    assert [d.code for d in lint(f"FROM llama3{blanks}x\n")] == []


# --- empty and non-text input --------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "   \t\n", "# a comment\n", b"\xef\xbb\xbf"])
def test_text_without_from_is_mf009_as_ollama_refuses_it(text: str | bytes) -> None:
    with pytest.raises(NoFromLineError):
        parse(text)
    assert "MF009" in [d.code for d in lint(text)]


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x03\x00>\x00\x01\x00\x00\x00\xe0#" + bytes(40)
UTF16 = "FROM llama3\nSYSTEM hi\n".encode("utf-16-le")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (ELF, "the file looks like binary data, not a Modelfile"),
        (UTF16, "the file looks like UTF-16 without a byte order mark; save it as UTF-8"),
    ],
    ids=["binary", "utf16"],
)
def test_non_text_is_named_as_parse_names_it(data: bytes, words: str) -> None:
    assert encoding_problem(data) == words
    assert encoding_hint(data) == words
    for source in (data, decode(data)):
        diagnostics = lint(source)
        assert_well_formed(source, diagnostics)
        found = _only("MF001", diagnostics)
        assert words in found.message
        other = "UTF-16" if "binary" in words else "binary"
        assert other not in found.message


def test_text_is_not_taken_for_binary() -> None:
    assert encoding_problem(b"FROM x\n") == ""
    assert encoding_problem("FROM x\n") == ""
    assert encoding_problem(b"\xff\xfe" + UTF16) == ""


@pytest.mark.parametrize(
    ("line", "message", "fixed"),
    [
        ("SYSTEMYou are terse.", "did you mean SYSTEM You?", "SYSTEM You are terse."),
        ("FROMllama3.2", "did you mean FROM llama3.2?", "FROM llama3.2"),
        ("PARAMETERtemperature 0.2", "PARAMETER temperature?", "PARAMETER temperature 0.2"),
        ("systemyou are terse", "did you mean system you?", "system you are terse"),
    ],
)
def test_an_instruction_run_into_its_first_word_gets_a_space_not_a_cut(
    line: str, message: str, fixed: str
) -> None:
    """The fix of MF001 for `SYSTEMYou` adds the missing space; it never drops the user's
    word (it replaced the whole run by `SYSTEM`)."""
    from modelarium.modelfile import lint

    text = f"FROM x\n{line}\n" if not line.startswith("FROM") else f"{line}\n"
    (found,) = [d for d in lint(text) if d.code == "MF001"]
    assert message in found.message and "a space is missing" in found.message
    assert found.fix is not None
    assert found.line == found.end_line
    lines = text.split("\n")
    target = lines[found.line - 1]
    lines[found.line - 1] = (
        target[: found.column - 1] + found.fix.replacement + target[found.end_column - 1 :]
    )
    assert "\n".join(lines) == text.replace(line, fixed)


@pytest.mark.parametrize(("word", "keyword"), [("SYSTEMS", "SYSTEM"), ("messages", "message")])
def test_a_misspelt_instruction_is_still_replaced(word: str, keyword: str) -> None:
    from modelarium.modelfile import lint

    (found,) = [d for d in lint(f"FROM x\n{word} hi\n") if d.code == "MF001"]
    assert found.fix is not None and found.fix.replacement == keyword
