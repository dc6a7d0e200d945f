"""HostPool over real sockets: concurrent probes, a hanging host that stalls nothing else,
failover past a hanging host, "first healthy host that has model M", and the monitor.

Nothing here asserts how long a step took: a busy machine slows every step. What a fast path
promises is shown by what happened instead (the order of answers, the requests a host saw,
requests still pending)."""

from __future__ import annotations

import asyncio
import time

import pytest

from modelarium.config import HostConfig
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.hosts import HostPool, next_probe_delay
from modelarium.ollama.types import (
    HostStatus,
    HostUnreachable,
    InvalidHostURL,
    ModelNotFound,
    ModelSummary,
    OllamaError,
    Unauthorized,
)

from .fake_servers import AsyncServer, free_port, hanging, healthy, html_page, unauthorized

TIMEOUT = 0.8


async def list_models(client: OllamaClient) -> tuple[ModelSummary, ...]:
    return await client.list_models()


async def test_check_all_probes_concurrently_and_reports_each_state() -> None:
    async with (
        AsyncServer(hanging) as stuck,
        AsyncServer(healthy()) as good,
        AsyncServer(html_page) as web,
        AsyncServer(unauthorized) as proxy,
    ):
        hosts = [
            HostConfig("stuck", stuck.url),
            HostConfig("good", good.url),
            HostConfig("web", web.url),
            HostConfig("proxy", proxy.url),
            HostConfig("nothing", f"127.0.0.1:{free_port()}"),
        ]
        updates: list[tuple[float, HostStatus]] = []
        async with HostPool(hosts, timeout=TIMEOUT) as pool:
            pool.add_listener(lambda status: updates.append((time.perf_counter(), status)))
            statuses = {status.name: status for status in await pool.check_all()}
    assert statuses["good"].state == "up"
    assert statuses["good"].version == "0.33.0"
    assert statuses["good"].latency_ms is not None
    for name in ("stuck", "web", "proxy", "nothing"):
        assert statuses[name].state == "down", name
        assert statuses[name].last_error
    assert "no answer" in (statuses["stuck"].last_error or "")
    assert "not an Ollama API" in (statuses["web"].last_error or "")
    assert "HTTP 401" in (statuses["proxy"].last_error or "")
    assert "cannot connect" in (statuses["nothing"].last_error or "")
    # Probed together: the healthy host (listed after the hanging one) was recorded before
    # the hanging probe gave up.
    good_at = next(at for at, status in updates if status.name == "good")
    stuck_at = next(at for at, status in updates if status.name == "stuck")
    assert good_at < stuck_at


async def test_failover_skips_a_hanging_host_and_does_not_ask_it_first_again() -> None:
    async with AsyncServer(hanging) as stuck, AsyncServer(healthy()) as good:
        hosts = [HostConfig("stuck", stuck.url), HostConfig("good", good.url)]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:
            started = time.perf_counter()
            served = await pool.read_any(list_models)
            first_elapsed = time.perf_counter() - started
            assert served.host == "good"
            assert [m.name for m in served.value] == ["tiny:latest"]
            assert pool.status("stuck").state == "down"
            assert "no answer" in (pool.status("stuck").last_error or "")
            # Now known down, the hanging host is not asked first again.
            asked_before = len(stuck.requests)
            again = await pool.read_any(list_models)
            assert len(stuck.requests) == asked_before
    assert first_elapsed >= TIMEOUT * 0.9  # it did wait for the stuck host, once
    assert again.host == "good"


async def test_a_hanging_host_does_not_slow_requests_to_another_host() -> None:
    async with AsyncServer(hanging) as stuck, AsyncServer(healthy()) as good:
        hosts = [HostConfig("stuck", stuck.url), HostConfig("good", good.url)]
        # A timeout far beyond the test: the hanging reads are still pending at the end.
        async with HostPool(hosts, timeout=600) as pool:
            stuck_reads = [
                asyncio.create_task(pool.client("stuck").list_models()) for _ in range(8)
            ]
            # Every read has reached the hanging host (30 s: a bound for a broken test).
            await asyncio.wait_for(stuck.requests_seen(8), 30)
            for _ in range(10):
                await pool.client("good").list_models()
            # All ten answered while every read of the hanging host still waited.
            assert not any(read.done() for read in stuck_reads)
            for read in stuck_reads:
                read.cancel()
            await asyncio.gather(*stuck_reads, return_exceptions=True)


async def test_read_any_raises_the_last_error_when_no_host_serves() -> None:
    async with AsyncServer(html_page) as web, AsyncServer(unauthorized) as proxy:
        hosts = [HostConfig("web", web.url), HostConfig("proxy", proxy.url)]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:
            with pytest.raises(Unauthorized):
                await pool.read_any(list_models)
            assert [s.state for s in pool.statuses()] == ["down", "down"]


async def test_semantic_errors_do_not_fail_over() -> None:
    async with AsyncServer(healthy()) as first, AsyncServer(healthy()) as second:
        hosts = [HostConfig("first", first.url), HostConfig("second", second.url)]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:

            async def show_missing(client: OllamaClient) -> object:
                return await client.show("nope")

            with pytest.raises(ModelNotFound) as caught:
                await pool.read_any(show_missing)
            assert pool.status("first").state == "up"
    assert caught.value.host == "first"
    assert second.requests == []


async def test_first_with_model_picks_the_first_host_that_has_it() -> None:
    async with (
        AsyncServer(hanging) as stuck,
        AsyncServer(healthy({"other:latest": "1" * 64})) as without,
        AsyncServer(healthy({"Wanted:V1": "2" * 64})) as holder,
    ):
        hosts = [
            HostConfig("stuck", stuck.url),
            HostConfig("without", without.url),
            HostConfig("holder", holder.url),
        ]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:

            async def digest_of_wanted(client: OllamaClient) -> str:
                models = await client.list_models()
                return models[0].digest

            served = await pool.first_with_model("wanted:v1", digest_of_wanted)
            assert served.host == "holder"
            assert served.value == "2" * 64
            with pytest.raises(ModelNotFound) as caught:
                await pool.first_with_model("absent", digest_of_wanted)
    message = str(caught.value)
    assert "'absent'" in message
    assert "without" in message and "holder" in message


def test_probe_delay_backs_off_only_while_down() -> None:
    assert next_probe_delay("up", 0, 5.0, 60.0) == 5.0
    assert next_probe_delay("degraded", 3, 5.0, 60.0) == 5.0
    assert [next_probe_delay("down", n, 5.0, 60.0) for n in range(1, 7)] == [
        5.0,
        10.0,
        20.0,
        40.0,
        60.0,
        60.0,
    ]


async def test_monitor_marks_hosts_and_backs_off_for_down_ones() -> None:
    async with AsyncServer(healthy()) as good:
        dead_url = f"127.0.0.1:{free_port()}"
        hosts = [HostConfig("good", good.url), HostConfig("dead", dead_url)]
        pool = HostPool(hosts, timeout=TIMEOUT)
        seen: list[HostStatus] = []
        enough = asyncio.Event()

        def record(status: HostStatus) -> None:
            seen.append(status)
            if sum(1 for s in seen if s.name == "good") >= 10:
                enough.set()

        pool.add_listener(record)
        pool.start_monitor(interval=0.03, max_backoff=10.0)
        monitoring = [pool.monitoring]
        await asyncio.wait_for(enough.wait(), 10)
        await pool.aclose()
        monitoring.append(pool.monitoring)
    assert monitoring == [True, False]
    good_probes = [s for s in seen if s.name == "good"]
    dead_probes = [s for s in seen if s.name == "dead"]
    assert all(s.state == "up" for s in good_probes)
    assert dead_probes and all(s.state == "down" for s in dead_probes)
    # Ten probes of the up host take at least 0.27 s; the down host's delays double
    # (0.03, 0.06, 0.12, 0.24...), so it was probed far fewer times.
    assert len(dead_probes) <= len(good_probes) // 2


async def test_a_host_that_comes_back_is_marked_up_by_a_read() -> None:
    port = free_port()
    async with HostPool([HostConfig("flaky", f"127.0.0.1:{port}")], timeout=TIMEOUT) as pool:
        await pool.check_all()
        assert pool.status("flaky").state == "down"
        with pytest.raises(HostUnreachable):
            await pool.read_any(list_models)
        async with AsyncServer(healthy(), port=port):
            served = await pool.read_any(list_models)
            assert served.host == "flaky"
            assert pool.status("flaky").state == "up"


def test_duplicate_host_names_are_refused() -> None:
    with pytest.raises(ValueError, match="two hosts are named 'a'"):
        HostPool([HostConfig("a", "h1"), HostConfig("a", "h2")])


async def test_degraded_hosts_are_tried_after_healthy_ones() -> None:
    async with AsyncServer(healthy()) as slow, AsyncServer(healthy()) as fast:
        hosts = [HostConfig("slow", slow.url), HostConfig("fast", fast.url)]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:
            await pool.check_all()
            assert [s.state for s in pool.statuses()] == ["up", "up"]
            assert (await pool.read_any(list_models)).host == "slow"
            # A probe slower than `degraded_latency` marks a host degraded.
            pool.degraded_latency = 0.0
            await pool.probe("slow")
            assert pool.status("slow").state == "degraded"
            assert (pool.status("slow").last_error or "").startswith("slow: answered in")
            assert (await pool.read_any(list_models)).host == "fast"


async def test_a_host_with_an_unusable_address_is_reported_not_fatal() -> None:
    async with AsyncServer(healthy()) as good:
        hosts = [HostConfig("typo", "htp:/gpu box"), HostConfig("good", good.url)]
        async with HostPool(hosts, timeout=TIMEOUT) as pool:
            assert pool.names == ("typo", "good")
            assert [client.name for client in pool.clients] == ["good"]
            statuses = await pool.check_all()
            assert [s.state for s in statuses] == ["down", "up"]
            assert "is not a host URL" in (statuses[0].last_error or "")
            assert (await pool.read_any(list_models)).host == "good"
            listed = await pool.list_all()
            assert isinstance(listed["typo"], InvalidHostURL)
            assert not isinstance(listed["good"], OllamaError)
            with pytest.raises(InvalidHostURL):
                pool.client("typo")
    async with HostPool([HostConfig("typo", "ftp://x")], timeout=TIMEOUT) as only_bad:
        with pytest.raises(InvalidHostURL, match="scheme"):
            await only_bad.read_any(list_models)
