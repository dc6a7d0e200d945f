"""Failover at the shipped defaults: the defaults themselves, health-ranked order with hosts in
every state, hedged reads past a hanging host, the probe's own deadline, the degraded
threshold, recovery of a down host, and the client's retries as shipped.

Every pool here is built with the defaults unless a test says why not; nothing is forced to 0.
Timing targets live in benchmarks/hosts.py; these tests assert what happened, not how fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator

import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, FaultPlan, seeded_state
from modelarium.ollama.client import RETRY_DELAYS, OllamaClient
from modelarium.ollama.hosts import (
    DEGRADED_LATENCY,
    DOWN_PROBE_MAX,
    HEARTBEAT,
    HEDGE_DELAY,
    PROBE_TIMEOUT,
    STATE_ORDER,
    HostPool,
    next_probe_delay,
)
from modelarium.ollama.types import (
    HostState,
    HostStatus,
    HostUnreachable,
    ModelSummary,
    RequestTimeout,
)

from .fake_servers import AsyncServer, free_port, hanging, healthy


async def list_models(client: OllamaClient) -> tuple[ModelSummary, ...]:
    return await client.list_models()


@pytest.fixture
async def demo() -> AsyncIterator[tuple[DemoServer, FaultPlan]]:
    """A demo host in this test's loop, with its fault plan."""
    faults = FaultPlan()
    server = DemoServer(seeded_state(), faults=faults)
    await server.start()
    try:
        yield server, faults
    finally:
        await server.stop()


def test_the_shipped_defaults() -> None:
    assert PROBE_TIMEOUT == 1.5
    assert DEGRADED_LATENCY == 1.0
    assert HEDGE_DELAY == 1.0
    assert DOWN_PROBE_MAX == 2.0
    assert HEARTBEAT == 1.0
    assert RETRY_DELAYS == (0.1, 0.3)
    assert STATE_ORDER == {"up": 0, "unknown": 1, "degraded": 2, "down": 3}
    pool = HostPool([HostConfig("a", "127.0.0.1:1")])
    assert pool.timeout == 10.0
    assert pool.probe_timeout == PROBE_TIMEOUT < pool.timeout
    assert pool.degraded_latency == DEGRADED_LATENCY
    assert pool.hedge_delay == HEDGE_DELAY
    assert pool.heartbeat == HEARTBEAT
    assert inspect.signature(pool.start_monitor).parameters["max_backoff"].default == DOWN_PROBE_MAX
    client = pool.client("a")
    assert client._retry_delays == RETRY_DELAYS
    assert client.stream_idle_timeout == client.timeout == 10.0
    # The probe never waits longer than a request would.
    assert HostPool([HostConfig("a", "127.0.0.1:1")], timeout=0.5).probe_timeout == 0.5
    # A down host is probed again within DOWN_PROBE_MAX, however long it has been down.
    assert [next_probe_delay("down", n, 5.0, DOWN_PROBE_MAX) for n in range(1, 8)] == [2.0] * 7
    assert next_probe_delay("up", 3, 5.0, DOWN_PROBE_MAX) == 5.0


async def test_reads_try_hosts_by_state_each_group_in_priority_order() -> None:
    servers = [AsyncServer(healthy()) for _ in range(7)]
    states: list[tuple[str, HostState]] = [
        ("down-1", "down"),
        ("degraded-1", "degraded"),
        ("unknown-1", "unknown"),
        ("up-1", "up"),
        ("down-2", "down"),
        ("degraded-2", "degraded"),
        ("up-2", "up"),
    ]
    async with contextlib.AsyncExitStack() as stack:
        for server in servers:
            await stack.enter_async_context(server)
        pairs = zip(states, servers, strict=True)
        hosts = [HostConfig(name, server.url) for (name, _), server in pairs]
        async with HostPool(hosts) as pool:
            for name, state in states:
                # The state a probe or an earlier read would have left (set directly, so the
                # order is tested without depending on how fast this machine answers).
                pool._set_status(HostStatus(name, pool.client(name).url, state=state))
            tried: list[str] = []

            async def refused(client: OllamaClient) -> None:
                tried.append(client.name)
                raise HostUnreachable("cannot connect: refused", host=client.name)

            with pytest.raises(HostUnreachable):
                await pool.read_any(refused)
    assert tried == ["up-1", "up-2", "unknown-1", "degraded-1", "degraded-2", "down-1", "down-2"]


async def test_a_read_past_a_hanging_host_is_hedged_at_the_defaults() -> None:
    async with AsyncServer(hanging) as stuck, AsyncServer(healthy()) as good:
        hosts = [HostConfig("stuck", stuck.url), HostConfig("good", good.url)]
        async with HostPool(hosts) as pool:  # request timeout 10 s, hedge after 1 s
            served = await pool.read_any(list_models)
            assert served.host == "good"
            assert [model.name for model in served.value] == ["tiny:latest"]
            # The hanging host was asked first, then outrun: its request was cancelled, not
            # waited out (a waited-out request would have marked it down with "no answer").
            assert stuck.requests == [("GET", "/api/tags")]
            stuck_status = pool.status("stuck")
            assert stuck_status.state == "degraded"
            assert (stuck_status.last_error or "").startswith("slow: no answer within")
            assert "good answered" in (stuck_status.last_error or "")
            # Ranked by health now: the next read goes straight to the healthy host.
            again = await pool.read_any(list_models)
    assert again.host == "good"
    assert stuck.requests == [("GET", "/api/tags")]
    assert good.requests == [("GET", "/api/tags"), ("GET", "/api/tags")]


async def test_a_failing_host_fails_over_at_once_without_waiting_for_the_hedge() -> None:
    async with AsyncServer(healthy()) as good:
        hosts = [HostConfig("nothing", f"127.0.0.1:{free_port()}"), HostConfig("good", good.url)]
        # A hedge delay longer than the test could ever wait: failover must not need it.
        async with HostPool(hosts, hedge_delay=3600) as pool:
            served = await pool.read_any(list_models)
    assert served.host == "good"
    assert pool.status("nothing").state == "down"


async def test_first_with_model_hedges_the_lists_and_acts_once() -> None:
    async with AsyncServer(hanging) as stuck, AsyncServer(healthy()) as good:
        hosts = [HostConfig("stuck", stuck.url), HostConfig("good", good.url)]
        acted: list[str] = []

        async def act(client: OllamaClient) -> str:
            acted.append(client.name)
            return client.name

        async with HostPool(hosts) as pool:
            served = await pool.first_with_model("tiny", act)
            assert served.host == "good"
            assert pool.status("stuck").state == "degraded"
    assert acted == ["good"]
    assert stuck.requests == [("GET", "/api/tags")]


async def test_a_probe_has_its_own_shorter_deadline() -> None:
    async with AsyncServer(hanging) as stuck, HostPool([HostConfig("stuck", stuck.url)]) as pool:
        (status,) = await pool.check_all()
    assert status.state == "down"
    assert status.last_error == f"no answer to GET /api/version within {PROBE_TIMEOUT:g} s"


async def test_a_probe_slower_than_the_shipped_threshold_is_degraded(
    demo: tuple[DemoServer, FaultPlan],
) -> None:
    server, faults = demo
    faults.delay("/api/version", DEGRADED_LATENCY + 0.2)  # a lower bound: always slower
    # The default threshold; only the probe's deadline is raised, so that a busy machine
    # cannot turn this slow answer into no answer.
    async with HostPool([HostConfig("slow", server.url)], probe_timeout=60) as pool:
        assert pool.degraded_latency == DEGRADED_LATENCY
        status = await pool.probe("slow")
    assert status.state == "degraded"
    assert status.latency_ms is not None and status.latency_ms > DEGRADED_LATENCY * 1000
    assert (status.last_error or "").startswith("slow: answered in")


async def test_the_monitor_sees_a_hung_host_go_down_and_come_back(
    demo: tuple[DemoServer, FaultPlan],
) -> None:
    server, faults = demo
    rule = faults.hang("/api/*")
    seen: list[HostState] = []
    changed = asyncio.Event()

    def record(status: HostStatus) -> None:
        seen.append(status.state)
        changed.set()

    async def wait_for_state(pool: HostPool, state: HostState) -> None:
        while pool.status("gpu").state != state:
            changed.clear()
            await asyncio.wait_for(changed.wait(), 60)

    async with HostPool([HostConfig("gpu", server.url)]) as pool:
        pool.add_listener(record)
        pool.start_monitor()  # the defaults: every second while up, 1-2 s while down
        await wait_for_state(pool, "down")
        assert f"within {PROBE_TIMEOUT:g} s" in (pool.status("gpu").last_error or "")
        faults.remove(rule)
        await wait_for_state(pool, "up")
    assert seen[0] == "down"
    assert seen[-1] == "up"


async def test_client_retries_as_shipped(demo: tuple[DemoServer, FaultPlan]) -> None:
    server, faults = demo
    config = HostConfig("flaky", server.url)
    dropped = faults.drop("/api/tags", times=len(RETRY_DELAYS))
    async with OllamaClient(config) as client:  # the shipped retry schedule
        started = time.monotonic()
        models = await client.list_models()
        waited = time.monotonic() - started
    assert models
    assert dropped.hits == len(RETRY_DELAYS) == 2
    assert waited >= sum(RETRY_DELAYS)  # it backed off 0.1 s, then 0.3 s
    faults.drop("/api/tags", times=len(RETRY_DELAYS) + 1)
    async with OllamaClient(config) as client:
        with pytest.raises(HostUnreachable, match="closed during GET /api/tags"):
            await client.list_models()
    # Nothing that changes a host is retried, even with the shipped schedule.
    copies = faults.drop("/api/copy", times=1)
    async with OllamaClient(config) as client:
        with pytest.raises(HostUnreachable):
            await client.copy("llama3.2", "again")
    assert copies.hits == 1


async def test_a_timeout_is_not_retried(demo: tuple[DemoServer, FaultPlan]) -> None:
    server, faults = demo
    hung = faults.hang("/api/tags")
    async with OllamaClient(HostConfig("slow", server.url), timeout=0.3) as client:
        with pytest.raises(RequestTimeout):
            await client.list_models()
    assert hung.hits == 1


async def test_the_monitor_probes_each_heartbeat_but_announces_only_changes(
    demo: tuple[DemoServer, FaultPlan],
) -> None:
    server, faults = demo
    probes = faults.delay("/api/version", 0.0)  # counts the probes, delays nothing
    heard: list[HostState] = []
    went_down = asyncio.Event()

    def record(status: HostStatus) -> None:
        heard.append(status.state)
        if status.state == "down":
            went_down.set()

    # No "degraded" from a slow moment of a busy machine: only up and down are at stake here.
    pool = HostPool(
        [HostConfig("gpu", server.url)], heartbeat=0.02, probe_timeout=5.0, degraded_latency=60
    )
    async with pool:
        pool.add_listener(record)
        pool.start_monitor(interval=3600)  # latency alone is announced once an hour
        while probes.hits < 5:
            await asyncio.sleep(0.02)
        assert heard == ["up"]  # five probes, one announcement
        assert pool.status("gpu").latency_ms is not None
        faults.hang("/api/version")
        await asyncio.wait_for(went_down.wait(), 60)  # a change is announced at once
    assert heard == ["up", "down"]
