"""`modelarium trials run|show` end to end against the demo host: the JSON shape scripts rely
on, variants from --set and --variant, results accumulating in the library across runs, and
one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.demo import DemoServerThread, seeded_state

FIELDS = {"model", "variant", "probe", "runs", "passed", "tokens_per_second", "failures"}


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_run_json_one_object_per_variant_and_probe(
    demo: DemoServerThread, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    variant = tmp_path / "hot.modelfile"
    variant.write_text("PARAMETER temperature 1.6\nSYSTEM Be brief.\n")
    code, out, err = run(
        capsys, "trials", "run", "mistral:7b", "--host", demo.url, "--set", "num_ctx=64",
        "--variant", str(variant), "--probes", "json,speed", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    results = lines(out)
    assert [(r["variant"], r["probe"]) for r in results] == [
        ("num_ctx=64", "json"), ("num_ctx=64", "speed"),
        ("hot.modelfile", "json"), ("hot.modelfile", "speed"),
    ]  # fmt: skip
    for result in results:
        assert set(result) >= FIELDS
    assert results[1]["failures"] == {"truncated_prompt": 1}
    assert results[1]["tokens_per_second"] is None
    assert results[2]["failures"] == {"schema_mismatch": 1}
    assert isinstance(results[3]["tokens_per_second"], float)


def test_results_accumulate_and_show_aggregates(
    demo: DemoServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        code, out, _ = run(capsys, "trials", "run", "granite4:3b", "--host", demo.url,
                           "--probes", "code")  # fmt: skip
        assert code == 0 and "granite4:3b" in out and "assert_failed ×1" in out
    code, out, _ = run(capsys, "trials", "show", "--model", "granite4:3b", "--json")
    [result] = lines(out)
    assert set(result) >= FIELDS
    assert (result["runs"], result["passed"], result["failures"]) == (6, 4, {"assert_failed": 2})
    for name in ("host", "ollama_version", "digest", "first_run", "last_run"):
        assert result[name]
    code, out, _ = run(capsys, "trials", "show", "--probe", "tools")
    assert "no trial results yet" in out


def test_think_off_is_a_variant_label(
    demo: DemoServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _ = run(capsys, "trials", "run", "qwen3:8b", "--host", demo.url,
                       "--probes", "json", "--think", "off", "--json")  # fmt: skip
    [result] = lines(out)
    assert result["variant"] == "as installed, think off"
    assert result["failures"] == {"not_json": 2}


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--set", "bogus=1"], "unknown parameter 'bogus'"),
        (["--set", "num_ctx"], "NAME=VALUE"),
        (["--probes", "speed,vibes"], "unknown probe vibes"),
        (["--variant", "/nonexistent/variant"], "cannot read the variant"),
    ],
)
def test_bad_arguments_fail_in_one_line(
    demo: DemoServerThread, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, _out, err = run(capsys, "trials", "run", "mistral:7b", "--host", demo.url, *argv)
    assert code == 1 and needle in err and len(err.splitlines()) == 1


def test_a_missing_model_and_a_dead_host_fail_in_one_line(
    demo: DemoServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "trials", "run", "nope:1b", "--host", demo.url)
    assert code == 1 and "nope:1b" in err and "not found" in err
    url = demo.url
    demo.stop()
    code, _, err = run(capsys, "trials", "run", "mistral:7b", "--host", url, "--timeout", "1")
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err


def test_top_level_demo_runs_a_whole_trial(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--demo", "trials", "run", "qwen2.5-coder:7b",
                         "--probes", "tools", "--json")  # fmt: skip
    assert (code, err) == (0, "")
    [result] = lines(out)
    assert (result["host"], result["failures"]) == ("demo", {"markup_leaked": 3})
