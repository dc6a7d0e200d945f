"""The host named is the host used: `modelarium --host H|--demo <command>` reaches that command,
or is refused with exit 2; `--timeout` takes only finite positive seconds (exit 2 otherwise);
a host is named one way in CLI output whichever way it was given."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from modelarium.cli import main
from modelarium.demo import seeded_state
from modelarium.ollama.names import ModelName
from tests.integration.ollama.fake_servers import free_port


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The error line of a usage error (exit 2), asserting that nothing reached stdout."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err.splitlines()[-1]


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server.url


@pytest.fixture
def nothing_local(monkeypatch: pytest.MonkeyPatch) -> str:
    """OLLAMA_HOST points at a port where nothing listens: a default used by mistake fails."""
    address = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("OLLAMA_HOST", address)
    return address


def test_a_host_before_the_subcommand_is_the_host_asked(
    capsys: pytest.CaptureFixture[str], demo_url: str, nothing_local: str
) -> None:
    code, out, err = run(capsys, "--host", demo_url, "models", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and {row["host"] for row in rows} == {demo_url}
    code, out, err = run(capsys, "--host", demo_url, "hosts", "--json")
    assert code == 0, err
    assert [row["url"] for row in json.loads(out)] == [demo_url]


def test_hosts_before_and_after_the_subcommand_are_both_used_in_order(
    capsys: pytest.CaptureFixture[str], demo_url: str, nothing_local: str
) -> None:
    code, out, _ = run(capsys, "--host", nothing_local, "hosts", "--json", "--host", demo_url)
    rows = json.loads(out)
    assert [row["url"] for row in rows] == [f"http://{nothing_local}", demo_url]
    assert [row["state"] for row in rows] == ["down", "up"]
    assert code == 0


def test_a_change_goes_to_the_host_named_before_the_subcommand(
    capsys: pytest.CaptureFixture[str], nothing_local: str
) -> None:
    from modelarium.demo import DemoServerThread

    with DemoServerThread() as server:
        code, out, err = run(capsys, "--host", server.url, "models", "delete", "mistral:7b")
        assert (code, err) == (0, "")
        assert "deleted mistral:7b" in out
        assert server.state.find(ModelName.parse("mistral:7b")) is None


def test_demo_before_the_subcommand_runs_a_fresh_demo_host_per_command(
    capsys: pytest.CaptureFixture[str], nothing_local: str
) -> None:
    code, out, err = run(capsys, "--demo", "models", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert {row["host"] for row in rows} == {"demo"}
    assert "mistral:7b" in {row["name"] for row in rows}
    code, out, err = run(capsys, "--demo", "models", "delete", "mistral:7b")
    assert (code, err) == (0, "")
    assert "deleted mistral:7b on demo" in out
    # The next command gets a fresh host: the delete did not reach anything lasting.
    code, out, _ = run(capsys, "--demo", "models", "list", "--json")
    assert "mistral:7b" in {row["name"] for row in json.loads(out)}


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo", "models", "list", "--host", "127.0.0.1:1"],
        ["--demo", "--host", "127.0.0.1:1", "hosts"],
    ],
)
def test_demo_and_a_host_together_are_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert "cannot be combined with --host" in usage_error(capsys, *argv)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--host", "127.0.0.1:1", "library", "search", "x"], "`library search`"),
        (["--demo", "library", "search", "x"], "`library search`"),
        (["--host", "127.0.0.1:1", "modelfile", "lint", "-"], "`modelfile lint`"),
        (["--demo", "demo", "serve"], "`demo serve`"),
        (["--host", "127.0.0.1:1", "screenshot"], "`screenshot`"),
        (["--demo", "db", "copy", "--from", "a", "--to", "b"], "`db copy`"),
    ],
)
def test_top_level_hosts_on_a_command_without_hosts_are_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    error = usage_error(capsys, *argv)
    assert argv[0] in error and named in error and "does not use an Ollama host" in error


def test_demo_before_screenshot_is_accepted() -> None:
    from modelarium.cli import apply_top_level_hosts, build_parser

    args = build_parser().parse_args(["--demo", "screenshot"])
    assert apply_top_level_hosts(args) is None


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-1", "0.0", "soon", "1e999"])
def test_timeout_must_be_finite_and_positive(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    error = usage_error(capsys, "models", "pull", "x", f"--timeout={value}", "--host", "h:1")
    assert "--timeout" in error and repr(value) in error


def test_a_positive_timeout_is_used(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    code, _, err = run(capsys, "models", "list", "--timeout", "2.5", "--host", demo_url)
    assert code == 0, err


def test_a_host_given_by_address_is_named_by_its_url_however_it_was_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, demo_url: str
) -> None:
    address = demo_url.removeprefix("http://")
    code, out, _ = run(capsys, "models", "list", "--json", "--host", address)
    assert code == 0
    assert {row["host"] for row in json.loads(out)} == {demo_url}
    monkeypatch.setenv("OLLAMA_HOST", address)
    code, out, _ = run(capsys, "models", "list", "--json")
    assert {row["host"] for row in json.loads(out)} == {demo_url}
    code, out, _ = run(capsys, "hosts")
    assert out.splitlines()[1].split()[:2] == [demo_url, demo_url]
    code, _, err = run(capsys, "models", "show", "nope:1b", "--host", address)
    assert code == 1
    assert err.startswith(f"modelarium: {demo_url}: model 'nope:1b': ")
    assert f"asked {demo_url})" in err


def test_the_bare_command_refuses_demo_with_a_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert "cannot be combined with --host" in usage_error(capsys, "--demo", "--host", "h:1")
