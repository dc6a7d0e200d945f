"""Trial results in the library on SQLite and PostgreSQL: two trials accumulate under the same
variant, aggregates carry host, version, digest and first/last run, the roll-up beside
curated settings filters by family and use case, and a trial whose host dies stores only
whole units."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, seeded_state
from modelarium.ollama.client import OllamaClient
from modelarium.store import Library
from modelarium.store.copy import copy_library
from modelarium.store.trials import (
    measured_here,
    measured_text,
    store_unit,
    stored_results,
    stored_runs,
)
from modelarium.trials.probes import ProbeName
from modelarium.trials.runner import TaskRun, Variant
from modelarium.trials.session import ProbeUnit, TrialAborted, run_trial
from tests.integration.store.conftest import fresh_url


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server


async def trial(
    library: Library, url: str, models: list[str], probes: list[ProbeName], variant: Variant
) -> None:
    async def keep(unit: ProbeUnit) -> None:
        store_unit(library, unit)

    async with OllamaClient(HostConfig("demo", url), timeout=5.0) as client:
        await run_trial(
            client,
            models=models,
            variants=[variant],
            probes=probes,
            on_unit=keep,
        )


async def test_two_trials_accumulate(library: Library, demo: DemoServerThread) -> None:
    hot = Variant("temperature=1.6", options={"temperature": 1.6})
    await trial(library, demo.url, ["mistral:7b"], ["json", "code"], Variant("as installed"))
    await trial(library, demo.url, ["mistral:7b", "llama3.1:8b"], ["json"], Variant("as installed"))
    await trial(library, demo.url, ["llama3.1:8b"], ["code"], hot)
    results = {(r.model, r.variant, r.probe): r for r in stored_results(library)}
    json_mistral = results[("mistral:7b", "as installed", "json")]
    assert (json_mistral.runs, json_mistral.passed) == (4, 2)
    assert json_mistral.failures == {"schema_mismatch": 2}
    assert json_mistral.first_run < json_mistral.last_run
    assert json_mistral.host == "demo" and json_mistral.ollama_version and json_mistral.digest
    assert json_mistral.tokens_per_second is not None
    assert results[("mistral:7b", "as installed", "code")].runs == 3
    assert results[("llama3.1:8b", "temperature=1.6", "code")].failures == {"syntax_error": 3}
    assert set(results) == {
        ("mistral:7b", "as installed", "json"), ("mistral:7b", "as installed", "code"),
        ("llama3.1:8b", "as installed", "json"), ("llama3.1:8b", "temperature=1.6", "code"),
    }  # fmt: skip
    only = stored_results(library, model="llama3.1:8b", probe="json")
    assert [(r.model, r.probe, r.runs) for r in only] == [("llama3.1:8b", "json", 2)]
    shown = json_mistral.to_json()
    wanted = {"model", "variant", "probe", "runs", "passed", "tokens_per_second", "failures"}
    assert wanted | {"host", "ollama_version", "digest", "first_run", "last_run"} <= set(shown)
    runs = stored_runs(library, model="mistral:7b", variant_key=json_mistral.variant_key,
                       probe="json")  # fmt: skip
    assert len(runs) == 4
    book = next(run for run in runs if run.task_id == "book")
    assert book.failure == "schema_mismatch" and book.answer is not None
    assert '"title"' in str(book.answer["content"])
    code = measured_here(library, family="llama", use_case="code")
    assert [(r.model, r.probe) for r in code] == [("llama3.1:8b", "code")]
    assert "0/3 passed" in code[0].text()
    assert measured_text(code) == f"temperature=1.6 code: {code[0].text()}"
    assert measured_text(measured_here(library, family="granite")) is None
    assert {r.probe for r in measured_here(library, family="mistral")} == {"json", "code"}


async def test_a_host_dying_mid_trial_stores_only_whole_units(
    library: Library, demo: DemoServerThread
) -> None:
    runs: list[TaskRun] = []

    def maybe_die(run: TaskRun) -> None:
        runs.append(run)
        if len(runs) == 4:
            demo.stop()

    async def keep(unit: ProbeUnit) -> None:
        store_unit(library, unit)

    async with OllamaClient(HostConfig("demo", demo.url), timeout=2.0,
                            retry_delays=()) as client:  # fmt: skip
        with pytest.raises(TrialAborted) as aborted:
            await run_trial(
                client, models=["llama3.1:8b"], variants=[Variant("as installed")],
                probes=["tools", "json"], on_run=maybe_die, on_unit=keep,
            )  # fmt: skip
    assert "demo" in str(aborted.value)
    results = stored_results(library)
    assert [(r.probe, r.runs) for r in results] == [("tools", 3)]


async def test_db_copy_carries_the_trial_results(
    request: pytest.FixtureRequest, tmp_path: Path, engine_name: str, demo: DemoServerThread
) -> None:
    """`db copy` from SQLite to either engine: the runs arrive whole (same aggregates, same
    raw answers), and a second copy adds none of them again."""
    source_url = fresh_url("sqlite", request, tmp_path)
    target_url = fresh_url(engine_name, request, tmp_path, seeded=False)
    source = Library.open(source_url)
    try:
        await trial(source, demo.url, ["mistral:7b"], ["json"], Variant("as installed"))
        hot = Variant("temperature=1.6", options={"temperature": 1.6})
        await trial(source, demo.url, ["llama3.1:8b"], ["code"], hot)
        expected = [result.to_json() for result in stored_results(source)]
        [json_result] = stored_results(source, model="mistral:7b")
        expected_runs = stored_runs(
            source, model="mistral:7b", variant_key=json_result.variant_key, probe="json"
        )
    finally:
        source.close()
    first = copy_library(source_url, target_url)
    total = sum(result["runs"] for result in expected)  # type: ignore[misc]
    assert (first.trials.variants_added, first.trials.runs_added) == (2, total)
    assert f"trial results: {total} runs added (2 new variants)" in "\n".join(first.summary())
    again = copy_library(source_url, target_url)
    assert (again.trials.variants_added, again.trials.runs_added) == (0, 0)
    assert again.trials.runs_present == total
    target = Library.open(target_url)
    try:
        assert [result.to_json() for result in stored_results(target)] == expected
        copied_runs = stored_runs(
            target, model="mistral:7b", variant_key=json_result.variant_key, probe="json"
        )
        assert copied_runs == expected_runs
    finally:
        target.close()
