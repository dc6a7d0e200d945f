"""The Models pane's state without a terminal: listings, health, memory, selection, sort,
filter and the decisions made from them (what an action acts on, where a pull goes, why the
table is empty)."""

from __future__ import annotations

from datetime import UTC, datetime

from modelarium.ollama.types import HostStatus, ModelDetails, ModelSummary, RunningModel
from modelarium.tui.models.rows import row_key
from modelarium.tui.models.state import FetchedDetails, ModelsState

WHEN = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def model(name: str, host: str = "local", size: int = 1, digest: str = "") -> ModelSummary:
    return ModelSummary(host, name, digest or name.encode().hex().ljust(64, "0")[:64], size, WHEN)


def state(*hosts: str) -> ModelsState:
    names = hosts or ("local",)
    return ModelsState(lambda: names)


def running(name: str, size: int = 10, vram: int = 10) -> RunningModel:
    return RunningModel("local", name, "d" * 64, size, vram, WHEN)


def test_a_listing_is_kept_and_an_unchanged_poll_changes_nothing() -> None:
    models = state("local", "gpu")
    models.loading_hosts.add("local")
    rows = (model("b"), model("a"))
    assert models.take_listing("local", rows, None)
    assert "local" not in models.loading_hosts
    assert [row.name for row in models.refresh_shown()] == ["a", "b"]
    assert not models.take_listing("local", rows, None, poll=True)
    assert models.take_listing("local", (model("a"),), None, poll=True)
    assert not models.take_listing("gone", rows, None)  # a host no longer configured


def test_a_failed_listing_drops_the_rows_and_says_why() -> None:
    models = state("local")
    models.take_listing("local", (model("a"),), None)
    models.selected.add(row_key(model("a")))
    assert models.take_listing("local", (), "local: connection refused")
    assert models.all_rows == [] and models.selected == set()
    assert models.host_errors == {"local": "local: connection refused"}
    assert models.is_down("local")
    assert models.empty_table_message() == (
        "Host down or unreachable, its models cannot be listed:\nlocal: connection refused"
    )


def test_health_forgets_down_hosts_and_names_those_that_came_back() -> None:
    models = state("local", "gpu")
    models.take_listing("gpu", (model("a", "gpu"),), None)
    assert (
        models.take_health((HostStatus("local", "u1", "up"), HostStatus("gpu", "u2", "down"))) == []
    )
    assert "gpu" not in models.rows_by_host
    came_back = models.take_health((HostStatus("local", "u1", "up"), HostStatus("gpu", "u2", "up")))
    assert came_back == ["gpu"]
    models.loading_hosts.add("gpu")
    models.take_health((HostStatus("gpu", "u2", "down"),))
    assert models.take_health((HostStatus("gpu", "u2", "up"),)) == []  # being read already


def test_what_an_action_acts_on() -> None:
    models = state("local")
    a, b, c = model("ant"), model("bee"), model("cow")
    models.take_listing("local", (a, b, c), None)
    models.refresh_shown()
    assert models.target_rows(b) == [b]
    assert models.target_rows(None) == []
    models.toggle(c)
    models.toggle(a)
    assert models.target_rows(b) == [a, c]  # the selection, in table order
    models.filter_text = "cow"
    models.refresh_shown()
    assert models.target_rows(b) == [c]  # a hidden selected model is not acted on
    assert models.selection_text() == "1 selected, +1 hidden (not acted on)"
    models.filter_text = ""
    models.refresh_shown()
    models.toggle_all_shown()
    assert models.selected == {row_key(row) for row in (a, b, c)}
    models.toggle_all_shown()
    assert models.selected == set()


def test_the_pair_to_compare() -> None:
    models = state("local")
    a, b, c = model("a"), model("b"), model("c")
    models.take_listing("local", (a, b, c), None)
    assert models.compare_pair(a) is None
    models.toggle(a)
    assert models.compare_pair(a) is None  # the selected one is the highlighted one
    assert models.compare_pair(b) == (a, b)
    models.toggle(c)
    assert models.compare_pair(b) == (a, c)


def test_sort_filter_and_host_cycle() -> None:
    models = state("local", "gpu")
    models.take_listing("local", (model("small", size=1), model("big", size=9)), None)
    models.take_listing("gpu", (model("mid", "gpu", size=5),), None)
    assert [row.name for row in models.refresh_shown()] == ["big", "mid", "small"]
    models.cycle_sort()
    assert models.sort_key == "size"
    assert [row.name for row in models.refresh_shown()] == ["big", "mid", "small"]
    models.reverse_sort()
    assert [row.name for row in models.refresh_shown()] == ["small", "mid", "big"]
    models.cycle_host()
    assert models.host_filter == "local"
    assert {row.host for row in models.refresh_shown()} == {"local"}
    models.cycle_host()
    models.cycle_host()
    assert [models.host_filter] == [None]  # all hosts again
    models.filter_text = "nothing-like-it"
    assert models.refresh_shown() == []
    assert models.empty_table_message() == "No model matches the filter “nothing-like-it”."


def test_memory_changes_are_told_apart() -> None:
    models = state("local")
    models.take_listing("local", (model("a"),), None)
    change = models.take_running("local", (running("a"),))
    assert change.table and change.models == {"a"}
    assert models.running_model(model("a")) is not None
    same = models.take_running("local", (running("a"),))
    assert not same.table and not same.models
    partly = models.take_running("local", (running("a", size=10, vram=5),))
    assert partly.table
    assert models.take_running("local", None).models == {"a"}
    assert models.running_model(model("a")) is None


def test_where_a_pull_goes() -> None:
    models = state("local", "gpu")
    assert models.transfer_host() == "local"
    models.take_health((HostStatus("local", "u1", "down"), HostStatus("gpu", "u2", "up")))
    assert models.transfer_host() == "gpu"
    models.host_filter = "local"
    assert models.transfer_host() == "local"
    assert state().transfer_host() == "local"
    assert ModelsState(lambda: ()).transfer_host() is None


def test_cached_details_are_dropped_when_the_base_changed() -> None:
    models = state("local")
    base = ModelDetails("local", "base:1")
    derived = model("derived")
    models.take_listing("local", (derived, model("base:1", digest="1" * 64)), None)
    fetched = FetchedDetails(ModelDetails("local", "derived"), (), base, "1" * 64)
    models.details_cache[derived.digest] = fetched
    assert models.cached_details(derived) is fetched
    models.take_listing("local", (derived, model("base:1", digest="2" * 64)), None)
    assert models.cached_details(derived) is None  # the base was pulled again


def test_why_the_table_is_empty_and_what_the_banner_reads() -> None:
    models = state("local")
    assert models.empty_table_message() == "No models to show."
    models.loading_hosts.add("local")
    assert models.empty_table_message() == "Loading models…"
    assert not models.all_down()
    models.take_listing("local", (), "local (http://x): no answer")
    assert models.all_down()
    assert models.host_problem("local", "http://x") == "local (http://x): no answer"
    models.host_errors.clear()
    models.take_health((HostStatus("local", "http://x", "down", last_error="timed out"),))
    assert models.host_problem("local", "http://x") == "local (http://x): timed out"
    assert models.down_hosts() == ["local"]
