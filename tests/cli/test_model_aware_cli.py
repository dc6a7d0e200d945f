"""The CLI commands that know the model, on the demo host: `modelfile lint --host`,
`models show --effective`, `models diff`, `models rebase`, `models create --quantize`."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.demo import DemoServerThread


@pytest.fixture
def server() -> Iterator[DemoServerThread]:
    with DemoServerThread() as running:
        yield running


def sent(server: DemoServerThread) -> bytes | None:
    """The body of the last create the demo host received."""
    return server.state.last_create_body


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_lint_with_a_host_runs_the_model_rules_with_the_same_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM qwen2.5-coder:7b\nPARAMETER num_ctx 200000\n")
    code, out, _ = run(capsys, "modelfile", "lint", str(modelfile), "--json")
    assert code == 0 and json.loads(out) == []  # without a host the model rules do not run
    code, out, err = run(
        capsys, "modelfile", "lint", str(modelfile), "--host", server.url, "--json"
    )
    assert code == 0, err
    (finding,) = json.loads(out)
    assert finding["file"] == str(modelfile)
    assert finding["code"] == "MF101" and finding["severity"] == "warning"
    assert (finding["line"], finding["column"]) == (2, 19)
    assert finding["fix"] == {"description": "use 32768", "replacement": "32768"}
    code, out, _ = run(capsys, "modelfile", "lint", str(modelfile), "--host", server.url)
    assert out.startswith(f"{modelfile}:2:19: warning MF101 num_ctx 200,000 is above")


def test_lint_under_top_level_demo_and_a_model_the_host_lacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM qwen3:8b\nPARAMETER temperature 0\n")
    missing = tmp_path / "Missing"
    missing.write_text("FROM not-here:1b\nPARAMETER num_ctx 9999999\n")
    code, out, err = run(capsys, "--demo", "modelfile", "lint", str(modelfile), str(missing))
    assert code == 0
    assert "MF106" in out and str(missing) not in out
    assert f"{missing}: model rules not run: not-here:1b is not installed on demo" in err


def test_lint_with_an_unreachable_host_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM qwen3:8b\n")
    code, _, err = run(
        capsys, "modelfile", "lint", str(modelfile), "--host", "127.0.0.1:9", "--timeout", "2"
    )
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_show_effective_names_where_each_value_comes_from(
    capsys: pytest.CaptureFixture[str], server: DemoServerThread
) -> None:
    code, out, err = run(
        capsys, "models", "show", "qwen2.5-coder:7b", "--effective", "--json", "--host", server.url
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["model"] == "qwen2.5-coder:7b" and data["context_length"] == 32768
    assert data["running_context"] == 8192
    settings = {setting["name"]: setting for setting in data["settings"]}
    assert settings["template"]["source"] == "inherited"
    assert settings["num_ctx"]["running"] == "loaded with 8,192 tokens (ollama ps)"
    assert settings["top_k"] == {
        "name": "top_k",
        "value": "40",
        "source": "default",
        "origin": "Ollama default",
        "line": None,
        "running": None,
    }
    assert data["base"] is None  # a library model: its values are its own Modelfile's
    assert settings["template"]["origin"] == "its Modelfile"
    code, out, _ = run(
        capsys, "models", "show", "mario/sql-reviewer", "--effective", "--host", server.url
    )
    assert code == 0
    assert out.startswith("mario/sql-reviewer:latest  on ") and "(over qwen2.5-coder:7b)" in out
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    # Its own line reads as its own; what it keeps reads as its base's, as in the details pane.
    temperature = rows["temperature"]
    assert "0.2" in temperature and "set by mario/sql-reviewer:latest" in temperature
    assert rows["template"].endswith("from qwen2.5-coder:7b")
    code, out, _ = run(
        capsys, "models", "show", "mario/sql-reviewer", "--effective", "--json",
        "--host", server.url,
    )  # fmt: skip
    derived = json.loads(out)
    assert derived["base"] == "qwen2.5-coder:7b"
    by_name = {setting["name"]: setting for setting in derived["settings"]}
    assert by_name["temperature"] == {
        "name": "temperature",
        "value": "0.2",
        "source": "modelfile",
        "origin": "set by mario/sql-reviewer:latest",
        "line": None,
        "running": None,
    }
    assert by_name["system"]["source"] == "modelfile"
    assert (by_name["template"]["source"], by_name["template"]["origin"]) == (
        "inherited",
        "from qwen2.5-coder:7b",
    )


def test_modelfile_effective_lays_the_file_over_its_from_model_on_the_host(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text('FROM qwen3:8b\nPARAMETER top_k 40\nSYSTEM "Be brief."\n')
    code, out, err = run(
        capsys, "modelfile", "effective", str(modelfile), "--json", "--host", server.url
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["file"], data["from"], data["base"], data["note"]) == (
        str(modelfile),
        "qwen3:8b",
        "qwen3:8b",
        None,
    )
    settings = {setting["name"]: setting for setting in data["settings"]}
    assert settings["top_k"] == {
        "name": "top_k",
        "value": "40",
        "source": "modelfile",
        "origin": "line 2",  # the words the editor's F7 view shows
        "line": 2,
        "running": None,
    }
    assert settings["system"]["origin"] == "line 3"
    assert settings["temperature"]["value"] == "0.6"
    assert settings["temperature"]["source"] == "inherited"
    assert settings["temperature"]["origin"].startswith("from qwen3:8b (its line ")
    assert settings["stop"]["value"] == ["<|im_start|>", "<|im_end|>"]
    assert (settings["min_p"]["source"], settings["min_p"]["origin"]) == (
        "default",
        "Ollama default",
    )
    code, out, _ = run(capsys, "modelfile", "effective", str(modelfile), "--host", server.url)
    assert code == 0 and out.startswith(f"{modelfile} over qwen3:8b on ")
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert rows["top_k"].endswith("  line 2")
    assert "from qwen3:8b (its line " in rows["top_p"]


def test_modelfile_effective_without_a_host_or_a_known_model_says_what_is_unknown(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: DemoServerThread,
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM qwen3:8b\nPARAMETER top_k 40\n")
    code, out, err = run(capsys, "modelfile", "effective", str(modelfile), "--json")
    assert code == 0
    assert err == (
        f"{modelfile}: no --host: the FROM model's own values are not known; what this file "
        "does not set shows Ollama's default\n"
    )
    settings = {setting["name"]: setting for setting in json.loads(out)["settings"]}
    assert settings["temperature"]["source"] == "default" and "template" not in settings
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"FROM nope:1b\n")))
    code, out, err = run(capsys, "modelfile", "effective", "-", "--host", server.url)
    assert code == 0 and out.startswith("<stdin>: effective settings\n")
    assert err.startswith("<stdin>: nope:1b is not installed on ")
    assert err.endswith(": its own values are not known\n")
    broken = tmp_path / "Broken"
    broken.write_text('FROM qwen3:8b\nSYSTEM """open\n')
    code, _, err = run(capsys, "modelfile", "effective", str(broken), "--host", server.url)
    assert code == 1 and err.startswith(f"{broken}: does not parse") and "Traceback" not in err


def test_models_diff_exit_codes_and_against_base(
    capsys: pytest.CaptureFixture[str], server: DemoServerThread
) -> None:
    code, out, _ = run(
        capsys, "models", "diff", "llama3.2:3b", "llama3.2:latest", "--host", server.url
    )
    assert code == 0 and "describe the same model" in out
    code, out, _ = run(
        capsys,
        "models",
        "diff",
        "mario/sql-reviewer",
        "--against-base",
        "--json",
        "--host",
        server.url,
    )
    assert code == 1
    data = json.loads(out)
    assert data["before"] == f"qwen2.5-coder:7b on {server.url}"
    assert data["after"] == f"mario/sql-reviewer:latest on {server.url}"
    assert {(c["element"], c["change"]) for c in data["changes"]} >= {("system", "added")}
    code, _, err = run(capsys, "models", "diff", "nope:1b", "qwen3:8b", "--host", server.url)
    assert code == 2 and "nope:1b" in err
    code, _, err = run(capsys, "models", "diff", "qwen3:8b", "--host", server.url)
    assert code == 2 and "--against-base" in err
    code, _, err = run(capsys, "models", "diff", "qwen3:8b", "--against-base", "--host", server.url)
    assert code == 2 and "was not made FROM a named model" in err


def test_models_diff_of_one_name_on_two_hosts_says_digests_differ(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    with DemoServerThread() as lab:
        modelfile = tmp_path / "Modelfile"
        modelfile.write_text("FROM qwen3:8b\nPARAMETER top_k 7\n")
        assert main(["models", "create", "qwen3:8b", "-f", str(modelfile), "--host", lab.url]) == 0
        capsys.readouterr()
        code, out, _ = run(
            capsys, "models", "diff", "qwen3:8b", "qwen3:8b", "--json",
            "--host", server.url, "--host", lab.url,
        )  # fmt: skip
    assert code == 1
    data = json.loads(out)
    assert data["note"].startswith("digests differ: ")
    assert [c["name"] for c in data["changes"]] == ["top_k"]


def test_rebase_previews_and_re_creates_only_with_yes(
    capsys: pytest.CaptureFixture[str], server: DemoServerThread
) -> None:
    code, out, err = run(capsys, "models", "rebase", "my-reviewer", "--json", "--host", server.url)
    assert code == 0, err
    (plan,) = json.loads(out)
    assert plan["drifted"] and plan["base"] == "llama3.1:8b"
    assert plan["modelfile"].startswith("FROM llama3.1:8b\n")
    assert plan["create"]["from"] == "llama3.1:8b"
    assert plan["create"]["parameters"] == {
        "num_ctx": 8192,
        "stop": ["<|eot_id|>"],
        "temperature": 0.3,
    }
    assert "pass --yes to re-create" in err
    assert sent(server) is None  # nothing was sent
    code, out, err = run(capsys, "models", "rebase", "my-reviewer", "--yes", "--host", server.url)
    assert code == 0, err
    assert "POST /api/create" in out and "re-created my-reviewer" in err
    body = sent(server)
    assert body is not None and json.loads(body)["model"] == "my-reviewer"
    code, out, _ = run(capsys, "models", "rebase", "my-reviewer", "--host", server.url)
    assert code == 0 and "already on llama3.1:8b's weights" in out


def test_create_quantize_goes_into_the_body(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: DemoServerThread
) -> None:
    modelfile = tmp_path / "Modelfile"
    modelfile.write_text("FROM llama3.2:3b\n")
    code, _, err = run(
        capsys, "models", "create", "small:q", "-f", str(modelfile), "--quantize", "q5_0",
        "--host", server.url,
    )  # fmt: skip
    assert code == 1 and "unsupported quantization type 'q5_0'" in err
    assert sent(server) is None
    modelfile.write_text("FROM nomic-embed-text:latest\n")  # F16 weights: quantize works
    code, _, err = run(
        capsys, "models", "create", "embed:q8", "-f", str(modelfile), "--quantize", "q8_0",
        "--host", server.url,
    )  # fmt: skip
    assert code == 0, err
    body = sent(server)
    assert body is not None and json.loads(body)["quantize"] == "q8_0"
