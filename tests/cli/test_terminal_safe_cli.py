"""Text from a host, a bundle or a file never reaches the terminal raw: `hosts`, `models list`,
`models show`, `library search/show` and every error line show escapes visibly, while `--json`
keeps the same data (escaped the JSON way) and file content written to a file stays exact."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.cli.output import write_data
from modelarium.demo import DemoServerThread, seeded_state
from tests.cli.hostile_host import (
    BIDI,
    ESC_CLEAR,
    ESC_TITLE,
    HOSTILE_ERROR,
    HOSTILE_FAMILY,
    HOSTILE_LICENSE,
    HOSTILE_MODEL,
    add_hostile_model,
    assert_no_raw_escapes,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert_no_raw_escapes(captured.out)
    assert_no_raw_escapes(captured.err)
    return code, captured.out, captured.err


@pytest.fixture
def hostile() -> Iterator[DemoServerThread]:
    state = seeded_state(progress_delay=0.0)
    add_hostile_model(state)
    with DemoServerThread(state) as server:
        yield server


def test_models_list_shows_a_hostile_family_escaped(
    capsys: pytest.CaptureFixture[str], hostile: DemoServerThread
) -> None:
    code, out, err = run(capsys, "models", "list", "--host", hostile.url)
    assert code == 0, err
    [row] = [line for line in out.splitlines() if line.startswith(HOSTILE_MODEL)]
    assert "llama\\x1b[2J\\x1b[31m" in row
    code, out, _ = run(capsys, "models", "list", "--json", "--host", hostile.url)
    [data] = [entry for entry in json.loads(out) if entry["name"] == HOSTILE_MODEL]
    assert data["family"] == HOSTILE_FAMILY  # the same data, escaped the JSON way


def test_models_show_escapes_host_text(
    capsys: pytest.CaptureFixture[str], hostile: DemoServerThread
) -> None:
    code, out, err = run(capsys, "models", "show", HOSTILE_MODEL, "--host", hostile.url)
    assert code == 0, err
    [family_line] = [line for line in out.splitlines() if line.split()[:1] == ["family"]]
    assert family_line.split(None, 1)[1] == "llama\\x1b[2J\\x1b[31m"
    # Ollama's Modelfile parser drops non-printable characters: the license's words remain.
    [license_line] = [line for line in out.splitlines() if line.split()[:1] == ["license"]]
    assert "Evil License" in license_line and "(+2 lines)" in license_line
    code, out, _ = run(capsys, "models", "show", HOSTILE_MODEL, "--json", "--host", hostile.url)
    assert json.loads(out)["family"] == HOSTILE_FAMILY


def test_a_license_starting_with_a_blank_line_is_summed_up_by_its_first_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text('FROM llama3.2\nLICENSE """\n\nApache License\nVersion 2.0\n"""\n')
    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        code, _, err = run(capsys, "models", "create", "licensed", "-f", str(modelfile),
                           "--host", server.url)  # fmt: skip
        assert code == 0, err
        code, out, _ = run(capsys, "models", "show", "licensed", "--host", server.url)
    licenses = [line.split(None, 1) for line in out.splitlines() if line.startswith("  license")]
    assert ["license", "Apache License  (+3 lines)"] in licenses


def test_file_content_is_exact_into_a_file_and_safe_on_a_terminal() -> None:
    text = f'FROM x\nLICENSE """{HOSTILE_LICENSE}"""\n'

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    into_file = io.StringIO()
    write_data(text, into_file)
    assert into_file.getvalue() == text  # a file or a pipe gets the exact bytes
    terminal = Terminal()
    write_data(text, terminal)
    shown = terminal.getvalue()
    assert_no_raw_escapes(shown)
    assert shown.count("\n") == text.count("\n")  # line breaks kept
    assert "\\x1b]0;pwned\\x07Evil License" in shown


def test_host_error_texts_are_escaped(
    capsys: pytest.CaptureFixture[str], hostile: DemoServerThread
) -> None:
    hostile.faults.error("/api/show", 500, HOSTILE_ERROR)
    code, out, err = run(capsys, "models", "show", "llama3.2", "--host", hostile.url)
    assert (code, out) == (1, "")
    assert "out of memory\\x1b[2J" in err and len(err.splitlines()) == 1
    hostile.faults.clear()
    hostile.faults.error("/api/version", 500, HOSTILE_ERROR)
    code, out, _ = run(capsys, "hosts", "--host", hostile.url)
    assert "\\x1b[2J" in out


def test_library_search_and_show_escape_bundle_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = {
        "format": "modelarium-bundle",
        "version": 1,
        "elements": [
            {
                "id": 1,
                "name": f"pirate{ESC_CLEAR}",
                "content": {"kind": "system", "value": f"Talk like a pirate.{ESC_CLEAR}"},
                "notes": f"found on a ship{ESC_TITLE}",
                "curated": False,
                "tags": [{"category": "use_case", "value": "fun"}],
                "provenance": [
                    {"host": f"box{BIDI}", "model": "pirate:1", "model_digest": None,
                     "extracted_at": None}
                ],
            }
        ],
        "modelfiles": [],
        "drafts": [],
    }  # fmt: skip
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    code, out, err = run(capsys, "library", "import", "--yes", str(path))
    assert code == 0, err
    assert "pirate\\x1b[2J" in out
    code, out, _ = run(capsys, "library", "search", "pirate", "--kind", "system")
    assert code == 0 and "pirate\\x1b[2J\\x1b[31m" in out
    element_id = out.split()[0]
    code, out, _ = run(capsys, "library", "show", element_id)
    assert code == 0
    assert "found on a ship\\x1b]0;pwned\\x07" in out
    assert "seen on box\\u202e: pirate:1" in out
    # Such a value cannot become Modelfile text (Ollama's parser would drop the ESC): said so.
    assert "it holds the character U+001B" in out
    code, out, _ = run(capsys, "library", "show", element_id, "--json")
    shown = json.loads(out)
    assert shown["name"] == f"pirate{ESC_CLEAR}"
    assert shown["content"]["value"] == f"Talk like a pirate.{ESC_CLEAR}"


def test_lint_and_parse_messages_quote_file_text_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Modelfile"
    path.write_text(f"FROM x\n{ESC_CLEAR}BOGUS y\n", encoding="utf-8")
    code, out, _ = run(capsys, "modelfile", "lint", str(path))
    assert code == 1 and "\\x1b" in out
    code, _, err = run(capsys, "modelfile", "parse", str(path))
    assert code == 1 and "command must be one of" in err


def test_a_model_name_with_escapes_is_listed_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.integration.ollama.fake_servers import ThreadedServer, healthy

    evil = f"evil{ESC_CLEAR}{BIDI}:latest"
    with ThreadedServer(healthy({evil: "ab" * 32})) as server:
        code, out, err = run(capsys, "models", "list", "--host", server.url)
        assert code == 0, err
        assert "evil\\x1b[2J\\x1b[31m\\u202e:latest" in out
        code, out, _ = run(capsys, "models", "list", "--json", "--host", server.url)
        assert json.loads(out)[0]["name"] == evil
