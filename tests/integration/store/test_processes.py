"""One library, many processes: opening a fresh library and importing at the same moment from
several processes all succeed, on SQLite and PostgreSQL; a SQLite URL whose folder does not
exist is reported and nothing is created."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from multiprocessing.context import SpawnContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from modelarium.cli import main
from modelarium.store import Library, StoreError
from modelarium.store.models import ElementRow, ModelfileRow, SeedRecordRow
from modelarium.store.seeding import load_records
from tests.integration.store.conftest import fresh_url

PROCESSES = 4
IMPORTERS = 6
WAIT_LIMIT = 300.0
"""Upper bound for a stuck run (never reached by a passing one: every wait ends on an event)."""

SHARED_TEMPLATE = '{{ if .System }}<|system|>{{ .System }}{{ end }}<|user|>{{ .Prompt }}"'


def _open_library(url: str, barrier: Barrier, results: Queue[str]) -> None:
    """A child process: wait for the others, then open (migrate, seed) the library."""
    try:
        barrier.wait(WAIT_LIMIT)
        with Library.open(url) as library:
            curated = len(library.search("", limit=1000))
        results.put(f"ok {curated}")
    except BaseException:
        results.put(traceback.format_exc())


def _modelfile(number: int) -> str:
    """A Modelfile whose FROM and TEMPLATE every importer shares and whose SYSTEM and
    parameters are its own."""
    return (
        "FROM llama3.2:3b\n"
        f'TEMPLATE """{SHARED_TEMPLATE}"""\n'
        f"SYSTEM You are assistant number {number}.\n"
        f"PARAMETER temperature 0.{number}\n"
    )


def _import_modelfile(url: str, number: int, barrier: Barrier, results: Queue[str]) -> None:
    """A child process: open the library, wait for the others, then import its Modelfile."""
    try:
        with Library.open(url) as library:
            barrier.wait(WAIT_LIMIT)
            library.import_modelfile_text(_modelfile(number), f"assistant {number}", dry_run=False)
        results.put("ok")
    except BaseException:
        results.put(traceback.format_exc())


def _spawn() -> SpawnContext:
    return multiprocessing.get_context("spawn")


def _run_all(
    context: SpawnContext, target: object, argument_sets: list[tuple[object, ...]]
) -> list[str]:
    """Start one process per argument set (each gets the barrier and queue appended), collect
    one result line from each, and wait for them all to exit."""
    barrier = context.Barrier(len(argument_sets))
    results: Queue[str] = context.Queue()
    processes = [
        context.Process(target=target, args=(*arguments, barrier, results))  # type: ignore[arg-type]
        for arguments in argument_sets
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=WAIT_LIMIT) for _ in processes]
    finally:
        for process in processes:
            process.join(WAIT_LIMIT)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    return outcomes


def _count(url: str, table: type[object]) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.scalar(select(func.count()).select_from(table))
            return int(count or 0)
    finally:
        engine.dispose()


def test_processes_opening_a_fresh_library_at_once_all_succeed(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = fresh_url(engine_name, request, tmp_path, seeded=False)
    outcomes = _run_all(_spawn(), _open_library, [(url,)] * PROCESSES)
    assert all(outcome.startswith("ok ") for outcome in outcomes), outcomes
    # Every process saw the same, completely seeded library, seeded exactly once.
    assert len(set(outcomes)) == 1, outcomes
    assert _count(url, SeedRecordRow) == len(load_records())
    with Library.open(url) as library:
        assert outcomes[0] == f"ok {len(library.search('', limit=1000))}"
    if engine_name == "sqlite":
        database = Path(url.removeprefix("sqlite:///"))
        assert database.with_name(database.name + ".lock").exists()


def test_parallel_imports_all_succeed(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = fresh_url(engine_name, request, tmp_path)
    numbers = range(1, IMPORTERS + 1)
    outcomes = _run_all(_spawn(), _import_modelfile, [(url, n) for n in numbers])
    assert outcomes == ["ok"] * IMPORTERS
    with Library.open(url) as library:
        names = sorted(entry.name for entry in library.list_modelfiles())
    assert names == sorted(f"assistant {n}" for n in numbers)
    # The same library as importing one after the other: shared content stored once.
    reference = fresh_url(engine_name, request, tmp_path)
    with Library.open(reference) as library:
        for number in numbers:
            library.import_modelfile_text(_modelfile(number), f"assistant {number}", dry_run=False)
    assert _count(url, ModelfileRow) == _count(reference, ModelfileRow) == IMPORTERS
    assert _count(url, ElementRow) == _count(reference, ElementRow)


def test_a_sqlite_library_in_a_missing_folder_is_reported_and_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    url = f"sqlite:///{missing / 'library.sqlite3'}"
    with pytest.raises(StoreError, match=r"the library's folder .*/no/such/dir does not exist"):
        Library.open(url)
    assert main(["library", "--database", url, "search", "anything"]) == 1
    assert capsys.readouterr().err == (
        f"modelarium: {missing / 'library.sqlite3'}: the library's folder {missing} does not "
        "exist; create it, or fix the database URL\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_users_home_is_a_missing_folder_not_a_traceback() -> None:
    with pytest.raises(StoreError, match="the library's folder ~nosuchuser-modelarium does"):
        Library.open("sqlite:///~nosuchuser-modelarium/library.sqlite3")


def test_a_file_where_the_folder_should_be_is_reported(tmp_path: Path) -> None:
    (tmp_path / "folder").write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match="is not a folder"):
        Library.open(f"sqlite:///{tmp_path / 'folder' / 'library.sqlite3'}")


def test_the_default_data_folder_is_still_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelarium import locations

    data = tmp_path / "not" / "yet" / "there"
    monkeypatch.setenv("MODELARIUM_DATA_DIR", str(data))
    monkeypatch.delenv("MODELARIUM_DATABASE_URL", raising=False)
    with Library.open(seed=False) as library:
        assert library.dialect == "sqlite"
    assert locations.default_database_path() == data / "library.sqlite3"
    assert (data / "library.sqlite3").exists()


def test_a_writer_kept_out_too_long_gets_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelarium.modelfile.elements import Element, ElementKind
    from modelarium.store import NewElement, engine

    path = tmp_path / "library.sqlite3"
    Library.open(f"sqlite:///{path}", seed=False).close()
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        with Library.open(f"sqlite:///{path}", seed=False) as library:
            with pytest.raises(StoreError) as refused:
                library.add_elements([NewElement(Element(ElementKind.SYSTEM, value="hi"), "x")])
            hits = library.search("")  # readers never wait for a writer
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(refused.value) == (
        f"sqlite:///{path}: another process kept the library busy for over 0.05 s "
        "(database is locked); try again"
    )
    assert hits == []
