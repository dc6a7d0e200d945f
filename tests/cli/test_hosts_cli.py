"""`modelarium hosts` and `modelarium models ...` end to end: real HTTP against the demo host and
against small servers that play a hanging host, a web page and a 401 proxy. Every failure is one
line on stderr naming host and model, exit code 1, no traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.demo import seeded_state
from tests.integration.ollama.fake_servers import (
    ThreadedServer,
    free_port,
    hanging,
    healthy,
    html_page,
    unauthorized,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(err: str, *needles: str) -> None:
    assert err.endswith("\n")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    with ThreadedServer(html_page) as server:
        yield server.url


@pytest.fixture(scope="module")
def proxy() -> Iterator[str]:
    with ThreadedServer(unauthorized) as server:
        yield server.url


@pytest.fixture(scope="module")
def stuck() -> Iterator[str]:
    with ThreadedServer(hanging) as server:
        yield server.url


@pytest.fixture(scope="module")
def tiny() -> Iterator[str]:
    with ThreadedServer(healthy()) as server:
        yield server.url


def test_not_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models", "show", "llama3.2", "--host", "not a url")
    assert code == 1
    assert out == ""
    assert_one_line_error(err, "'not a url' is not a host URL", "model 'llama3.2'")


def test_port_with_no_server(capsys: pytest.CaptureFixture[str]) -> None:
    address = f"127.0.0.1:{free_port()}"
    code, _, err = run(capsys, "models", "extract", "llama3.2", "--host", address)
    assert code == 1
    assert_one_line_error(err, address, "model 'llama3.2'", "cannot connect")


def test_html_server_is_not_ollama(capsys: pytest.CaptureFixture[str], web: str) -> None:
    code, _, err = run(capsys, "models", "show", "llama3.2", "--host", web)
    assert code == 1
    assert_one_line_error(err, web, "model 'llama3.2'", "not an Ollama API", "text/html")


def test_proxy_answering_401(capsys: pytest.CaptureFixture[str], proxy: str) -> None:
    code, _, err = run(capsys, "models", "show", "llama3.2", "--host", proxy)
    assert code == 1
    assert_one_line_error(err, proxy, "model 'llama3.2'", "HTTP 401", "token")


def test_invalid_model_name(capsys: pytest.CaptureFixture[str], tiny: str) -> None:
    code, _, err = run(capsys, "models", "show", "bad name!", "--host", tiny)
    assert code == 1
    assert_one_line_error(err, tiny, "model 'bad name!'", "invalid model name")


def test_missing_model(capsys: pytest.CaptureFixture[str], tiny: str) -> None:
    code, _, err = run(capsys, "models", "extract", "nope", "--host", tiny)
    assert code == 1
    assert_one_line_error(err, tiny, "model 'nope'", "no host has it")


def test_hosts_reports_each_host(
    capsys: pytest.CaptureFixture[str], tiny: str, stuck: str, web: str
) -> None:
    code, out, err = run(
        capsys,
        "hosts",
        "--json",
        "--timeout",
        "0.5",
        "--host",
        stuck,
        "--host",
        tiny,
        "--host",
        web,
    )
    assert code == 0
    assert err == ""
    rows = json.loads(out)
    assert [row["name"] for row in rows] == [stuck, tiny, web]
    assert [row["state"] for row in rows] == ["down", "up", "down"]
    assert rows[1]["version"] == "0.33.0"
    assert "no answer" in rows[0]["last_error"]
    code, out, _ = run(capsys, "hosts", "--host", tiny)
    assert code == 0
    header, row = out.splitlines()
    assert header.split()[:5] == ["NAME", "URL", "STATE", "VERSION", "LATENCY"]
    assert " up " in row


def test_hosts_exit_1_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "hosts", "--host", f":{free_port()}")
    assert code == 1
    assert " down " in out


def test_list_fails_over_from_a_hanging_host(
    capsys: pytest.CaptureFixture[str], stuck: str, tiny: str
) -> None:
    code, out, err = run(
        capsys, "models", "list", "--json", "--timeout", "0.5", "--host", stuck, "--host", tiny
    )
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["host"] == tiny
    assert row["name"] == "tiny:latest"
    for key in (
        "digest",
        "size",
        "modified_at",
        "family",
        "parameter_size",
        "quantization",
        "capabilities",
    ):
        assert key in row


def test_hosts_come_from_the_config_file(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path, tiny: str
) -> None:
    (isolated_environment / "config.toml").write_text(
        f'[[hosts]]\nname = "box"\nurl = "{tiny}"\ntoken = "t0ken"\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "hosts", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert (row["name"], row["state"]) == ("box", "up")
    assert "t0ken" not in out
    code, out, _ = run(capsys, "models", "list", "--host", "box", "--json")
    assert json.loads(out)[0]["host"] == "box"


def test_ollama_host_variable_is_used(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tiny: str
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", tiny.removeprefix("http://"))
    code, out, _ = run(capsys, "models", "list", "--json")
    assert code == 0
    # Named by its URL, as a --host address is (issue 17: one way of naming a host).
    assert json.loads(out)[0]["host"] == tiny


def test_bad_config_is_one_line(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    (isolated_environment / "config.toml").write_text("hosts = 3\n", encoding="utf-8")
    code, _, err = run(capsys, "hosts")
    assert code == 1
    assert_one_line_error(err, "config.toml", "hosts")


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server.url


def test_models_list_json_from_the_demo_host(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    code, out, err = run(capsys, "models", "list", "--json", "--host", demo_url)
    assert code == 0, err
    rows = json.loads(out)
    names = {row["name"] for row in rows}
    assert {"llama3.2:latest", "mistral:7b", "qwen3:8b", "granite3.3:8b"} <= names
    llama = next(row for row in rows if row["name"] == "llama3.2:latest")
    assert llama["host"] == demo_url
    assert len(llama["digest"]) == 64
    assert llama["family"] == "llama"
    assert llama["quantization"]
    assert "completion" in llama["capabilities"]
    code, out, _ = run(capsys, "models", "list", "--host", demo_url)
    assert out.splitlines()[0].split()[:3] == ["NAME", "HOST", "ID"]
    assert any(line.startswith("llama3.2:latest ") for line in out.splitlines())


def test_models_list_all_reports_failing_hosts(
    capsys: pytest.CaptureFixture[str], demo_url: str, web: str
) -> None:
    code, out, err = run(capsys, "models", "list", "--all", "--json", "--host", demo_url,
                         "--host", web)  # fmt: skip
    assert code == 0
    assert json.loads(out)
    assert_one_line_error(err, web, "not an Ollama API")


def test_models_show_is_readable(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    code, out, err = run(capsys, "models", "show", "llama3.2", "--host", demo_url)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("llama3.2:latest  on ")
    assert any(line.split()[:2] == ["family", "llama"] for line in lines)
    assert "Elements" in lines
    assert any(line.split()[:2] == ["base", "llama3.2:latest"] for line in lines)
    assert any(line.split()[:1] == ["parameters"] for line in lines)
    code, out, _ = run(capsys, "models", "show", "llama3.2", "--json", "--host", demo_url)
    data = json.loads(out)
    assert data["elements"][0] == {"kind": "base", "value": "llama3.2:latest"}


def test_models_extract_prints_a_modelfile_ollama_accepts(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    from modelarium.modelfile.create import build_create_request
    from modelarium.modelfile.parser import parse

    code, out, err = run(capsys, "models", "extract", "qwen3:8b", "--host", demo_url)
    assert code == 0, err
    assert out.startswith("FROM qwen3:8b\n")
    assert "blobs" not in out
    request = build_create_request(parse(out), None)
    assert request.body["from"] == "qwen3:8b"
    code, out, _ = run(capsys, "models", "extract", "qwen3:8b", "--json", "--host", demo_url)
    elements = json.loads(out)
    assert elements[0] == {"kind": "base", "value": "qwen3:8b"}
    assert {element["kind"] for element in elements} >= {"template", "parameters", "license"}


def test_model_management_verbs(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "models", "copy", "mistral:7b", "me/m:v1", "--host", demo_url)
    assert (code, err) == (0, "")
    assert "copied mistral:7b to me/m:v1" in out
    code, _, err = run(capsys, "models", "push", "me/m:v1", "--host", demo_url)
    assert code == 0
    assert err.splitlines()[0] == "retrieving manifest"
    assert err.splitlines()[-1] == "success"
    code, _, err = run(capsys, "models", "pull", "tinyllama", "--host", demo_url)
    assert code == 0
    assert any(line.startswith("pulling ") and "%" in line for line in err.splitlines())
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM me/m:v1\nSYSTEM Be brief.\nPARAMETER num_ctx 4096\n")
    code, _, err = run(capsys, "models", "create", "me/brief", "-f", str(modelfile),
                       "--host", demo_url)  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[-1] == "success"
    code, out, _ = run(capsys, "models", "extract", "me/brief", "--host", demo_url)
    assert "SYSTEM Be brief.\n" in out
    assert "PARAMETER num_ctx 4096\n" in out
    code, out, _ = run(capsys, "models", "delete", "me/brief", "--host", demo_url)
    assert code == 0
    code, _, err = run(capsys, "models", "delete", "me/brief", "--host", demo_url)
    assert code == 1
    assert_one_line_error(err, demo_url, "model 'me/brief'", "not found")


def test_create_reports_modelfile_errors_with_the_file(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM llama3.2\nBOGUS x\n")
    code, _, err = run(capsys, "models", "create", "x", "-f", str(modelfile), "--host", demo_url)
    assert code == 1
    assert_one_line_error(err, str(modelfile), "(line 2)")
    code, _, err = run(capsys, "models", "create", "x", "-f", str(tmp_path / "missing"),
                       "--host", demo_url)  # fmt: skip
    assert code == 1
    assert_one_line_error(err, "missing", "cannot read")


def test_models_ps_load_and_unload(capsys: pytest.CaptureFixture[str]) -> None:
    from modelarium.demo import DemoServerThread

    with DemoServerThread() as server:  # its own host: this test changes what is loaded
        code, out, _ = run(capsys, "models", "ps", "--host", server.url)
        assert code == 0
        header, *rows = out.splitlines()
        assert header.split() == ["NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"]
        by_name = {row.split()[0]: row for row in rows}
        assert "22%/78% CPU/GPU" in by_name["qwen2.5-coder:7b"]
        assert "100% GPU" in by_name["llama3.2:3b"] and "unloads in" in by_name["llama3.2:3b"]

        code, out, _ = run(capsys, "models", "load", "mistral:7b", "--keep-alive", "-1",
                           "--host", server.url)  # fmt: skip
        assert code == 0 and out.startswith("loaded mistral:7b on ")
        code, out, _ = run(capsys, "models", "ps", "--json", "--host", server.url)
        loaded = {entry["name"]: entry for entry in json.loads(out)}
        assert loaded["mistral:7b"]["processor"] == "100% GPU"
        assert loaded["mistral:7b"]["expires_at"] > "2200"

        code, out, _ = run(capsys, "models", "unload", "mistral:7b", "--host", server.url)
        assert code == 0 and out.startswith("unloaded mistral:7b on ")
        code, out, _ = run(capsys, "models", "ps", "--json", "--host", server.url)
        assert "mistral:7b" not in {entry["name"] for entry in json.loads(out)}

        code, _, err = run(capsys, "models", "load", "nope:1b", "--host", server.url)
        assert code == 1
        assert_one_line_error(err, "nope:1b", "no host has it")
