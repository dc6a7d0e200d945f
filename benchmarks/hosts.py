"""Hosts at the app's own defaults: failover past a hanging host, health changes, throughput.

Everything runs with the settings a user gets (request timeout 10 s, the client's default
`max_connections`, the pool's probe timeout, hedge delay and heartbeat, the TUI's health
interval), read from the code rather than restated here. Each figure is the median of
`--runs` runs with the min-max spread; the date, Python and the machine's load are printed.

Failover (demo host in this process, plus a host that accepts and never answers):
- a read through `HostPool.read_any` on a new pool: healthy host alone vs hanging host first;
- `modelarium models list --host ...` as a new process, the same two ways (start-up included);
- the health monitor: a host hanging from the start marked down; a host that starts hanging
  while up marked down; a hung host that recovers marked up (the fault changes at a
  different point of the probe cycle in each run, so the max is the worst case).
Targets: failover read <= 3 s, monitor down <= 3 s, back up <= 5 s.

Throughput (demo host in a child process, its own interpreter, with 1,000 synthetic models
and `--delay` added to every request, like a host across a LAN): list + show every model,
one at a time and through the client's bounded pool (`ShowCache.show`, a fresh cache each
run); runs alternate between the two. Targets: pool <= 1.5 s and >= 8x faster.

Run: `python benchmarks/hosts.py [--runs 5] [--models 1000] [--delay 0.01] [--connections N]
[--skip-throughput] [--skip-failover]`.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelarium.config import HostConfig, Settings  # noqa: E402
from modelarium.demo import DemoServer, FaultPlan, seeded_state  # noqa: E402
from modelarium.ollama.client import OllamaClient  # noqa: E402
from modelarium.ollama.extract import ShowCache  # noqa: E402
from modelarium.ollama.hosts import (  # noqa: E402
    DOWN_PROBE_MAX,
    HEARTBEAT,
    HEDGE_DELAY,
    PROBE_TIMEOUT,
    HostPool,
)
from modelarium.ollama.types import HostState, HostStatus, ModelDetails  # noqa: E402

TARGET_FAILOVER_SECONDS = 3.0
TARGET_DOWN_SECONDS = 3.0
TARGET_UP_SECONDS = 5.0
TARGET_SPEEDUP = 8.0
TARGET_POOLED_SECONDS = 1.5

DEFAULT_TIMEOUT = Settings().request_timeout
DEFAULT_CONNECTIONS: int = inspect.signature(OllamaClient).parameters["max_connections"].default


def app_health_interval() -> float:
    """The TUI's default health interval (imports the app module, not Textual's screen)."""
    from modelarium.tui.app import ModelariumApp

    interval: float = inspect.signature(ModelariumApp).parameters["health_interval"].default
    return interval


def spread(values: list[float]) -> str:
    """`1.23 s (1.10-1.40)`: median and min-max."""
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}-{max(values):.2f})"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# failover ---------------------------------------------------------------------------------


class HangingHost:
    """Accepts connections, reads requests, never answers."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.url = ""

    async def __aenter__(self) -> HangingHost:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        await reader.read()  # until the client gives up and closes


async def timed(work: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


async def first_read(hosts: list[HostConfig]) -> float:
    """Seconds for one `read_any` list on a new pool with the default settings."""
    async with HostPool(hosts, timeout=DEFAULT_TIMEOUT) as pool:
        seconds = await timed(lambda: pool.read_any(lambda client: client.list_models()))
    return seconds


async def cli_list(urls: list[str]) -> float:
    """Wall seconds of `modelarium models list --host U...` in a new process."""
    arguments = [sys.executable, "-m", "modelarium", "models", "list"]
    for url in urls:
        arguments += ["--host", url]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    out, err = await process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0 or b"llama" not in out:
        raise SystemExit(f"models list failed: {err.decode(errors='replace').strip()}")
    return seconds


class Watch:
    """Times from a moment until the host reaches a state, through a pool listener."""

    def __init__(self, pool: HostPool, name: str) -> None:
        self.pool = pool
        self.name = name
        self._changed = asyncio.Event()
        pool.add_listener(self._heard)

    def _heard(self, status: HostStatus) -> None:
        if status.name == self.name:
            self._changed.set()

    async def until(self, state: HostState, since: float) -> float:
        while self.pool.status(self.name).state != state:
            self._changed.clear()
            await asyncio.wait_for(self._changed.wait(), 120)
        return time.perf_counter() - since


async def monitor_runs(runs: int, interval: float) -> tuple[list[float], list[float], list[float]]:
    """(down from the start, down after hanging while up, up after recovering), per run."""
    at_start: list[float] = []
    while_up: list[float] = []
    recovered: list[float] = []
    faults = FaultPlan()
    demo = DemoServer(seeded_state(), faults=faults)
    await demo.start()
    try:
        host = [HostConfig("gpu", demo.url)]
        for run in range(runs):
            phase = run / runs
            rule = faults.hang("/api/*")
            async with HostPool(host, timeout=DEFAULT_TIMEOUT) as pool:
                watch = Watch(pool, "gpu")
                started = time.perf_counter()
                pool.start_monitor(interval)
                at_start.append(await watch.until("down", started))
                await asyncio.sleep(phase * (PROBE_TIMEOUT + DOWN_PROBE_MAX))
                faults.remove(rule)
                recovered.append(await watch.until("up", time.perf_counter()))
                await asyncio.sleep(phase * HEARTBEAT)
                rule = faults.hang("/api/*")
                while_up.append(await watch.until("down", time.perf_counter()))
                faults.remove(rule)
    finally:
        await demo.stop()
    return at_start, while_up, recovered


async def failover(runs: int) -> bool:
    interval = app_health_interval()
    print(
        f"Failover with a hanging first host: request timeout {DEFAULT_TIMEOUT:g} s, probe"
        f" timeout {PROBE_TIMEOUT:g} s, hedge after {HEDGE_DELAY:g} s, heartbeat"
        f" {HEARTBEAT:g} s, down re-probed within {DOWN_PROBE_MAX:g} s, TUI health interval"
        f" {interval:g} s"
    )
    demo = DemoServer(seeded_state())
    await demo.start()
    try:
        async with HangingHost() as hung:
            good = HostConfig("good", demo.url)
            stuck = HostConfig("stuck", hung.url)
            healthy_reads = [await first_read([good]) for _ in range(runs)]
            hedged_reads = [await first_read([stuck, good]) for _ in range(runs)]
            healthy_cli = [await cli_list([demo.url]) for _ in range(runs)]
            hedged_cli = [await cli_list([hung.url, demo.url]) for _ in range(runs)]
    finally:
        await demo.stop()
    at_start, while_up, recovered = await monitor_runs(runs, interval)
    read_ok = max(hedged_reads) <= TARGET_FAILOVER_SECONDS
    cli_ok = max(hedged_cli) <= TARGET_FAILOVER_SECONDS
    down_ok = max(at_start + while_up) <= TARGET_DOWN_SECONDS
    up_ok = max(recovered) <= TARGET_UP_SECONDS
    print(f"  {'':34}{'healthy host only':>26}  {'hanging host first':>26}")
    print(
        f"  {'read_any (new pool, first read)':34}{spread(healthy_reads):>26}"
        f"  {spread(hedged_reads):>26}  target <= {TARGET_FAILOVER_SECONDS:g} s:"
        f" {verdict(read_ok)}"
    )
    print(
        f"  {'models list (new CLI process)':34}{spread(healthy_cli):>26}"
        f"  {spread(hedged_cli):>26}  target <= {TARGET_FAILOVER_SECONDS:g} s:"
        f" {verdict(cli_ok)}"
    )
    print(f"  monitor, hanging from the start -> down: {spread(at_start)}")
    print(f"  monitor, starts hanging while up -> down: {spread(while_up)}", end="")
    print(f"  target <= {TARGET_DOWN_SECONDS:g} s: {verdict(down_ok)}")
    print(f"  monitor, hung host recovers -> up:       {spread(recovered)}", end="")
    print(f"  target <= {TARGET_UP_SECONDS:g} s: {verdict(up_ok)}")
    return read_ok and cli_ok and down_ok and up_ok


# throughput -------------------------------------------------------------------------------

SERVER_SCRIPT = """
import asyncio, sys
from modelarium.demo import DemoServer, FaultPlan, seeded_state

async def main() -> None:
    state = seeded_state(extra_models=int(sys.argv[1]))
    server = DemoServer(state, faults=FaultPlan(base_delay=float(sys.argv[2])))
    await server.start(port=0)
    print(server.url, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def start_demo(models: int, delay: float) -> tuple[subprocess.Popen[str], str]:
    """The demo host in a child process, and its URL (read from its first output line)."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(models), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url:
        process.kill()
        raise SystemExit("the demo host did not start")
    return process, url


async def sequential(client: OllamaClient) -> tuple[float, int]:
    started = time.perf_counter()
    models = await client.list_models()
    for model in models:
        await client.show(model.name)
    return time.perf_counter() - started, len(models)


async def pooled(client: OllamaClient) -> tuple[float, list[ModelDetails]]:
    cache = ShowCache()
    started = time.perf_counter()
    models = await client.list_models()
    details = await asyncio.gather(*(cache.show(client, model) for model in models))
    return time.perf_counter() - started, details


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of another process (Linux /proc), None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Figures:
    """What the throughput runs measured (CPU figures: pooled runs, per run)."""

    def __init__(self) -> None:
        self.pooled: list[float] = []
        self.sequential: list[float] = []
        self.client_cpu: list[float] = []
        self.server_cpu: list[float] = []
        self.count = 0


async def measure(url: str, connections: int, server_pid: int, runs: int) -> Figures:
    figures = Figures()
    host = HostConfig("bench", url)
    async with OllamaClient(host, timeout=DEFAULT_TIMEOUT, max_connections=connections) as client:
        await client.version()  # warm the connection pool's first connection
        for _ in range(runs):
            server_before = process_cpu_seconds(server_pid)
            client_before = time.process_time()
            seconds, details = await pooled(client)
            figures.pooled.append(seconds)
            figures.client_cpu.append(time.process_time() - client_before)
            server_after = process_cpu_seconds(server_pid)
            if server_before is not None and server_after is not None:
                figures.server_cpu.append(server_after - server_before)
            seconds, figures.count = await sequential(client)
            figures.sequential.append(seconds)
            assert len(details) == figures.count
    return figures


def throughput(args: argparse.Namespace) -> bool:
    process, url = start_demo(args.models, args.delay)
    try:
        figures = asyncio.run(measure(url, args.connections, process.pid, args.runs))
    finally:
        process.terminate()
        process.wait(10)
    count = figures.count
    pooled_median = statistics.median(figures.pooled)
    speedups = [s / p for s, p in zip(figures.sequential, figures.pooled, strict=True)]
    speedup = statistics.median(figures.sequential) / pooled_median
    default = " (the client's default)" if args.connections == DEFAULT_CONNECTIONS else ""
    print(
        f"Throughput: list + {count} shows, {args.delay * 1000:.0f} ms per request, pool of"
        f" {args.connections} connections{default}, request timeout {DEFAULT_TIMEOUT:g} s"
    )
    pooled_ok = pooled_median <= TARGET_POOLED_SECONDS
    speedup_ok = speedup >= TARGET_SPEEDUP
    print(f"  one at a time:  {spread(figures.sequential)}")
    print(
        f"  bounded pool:   {spread(figures.pooled)}  target <= {TARGET_POOLED_SECONDS} s:"
        f" {verdict(pooled_ok)}"
    )
    print(
        f"  speed-up:       {speedup:6.1f}x (per run {min(speedups):.1f}-{max(speedups):.1f})"
        f"  target >= {TARGET_SPEEDUP:.0f}x: {verdict(speedup_ok)}"
    )
    server_cpu = (
        "n/a" if not figures.server_cpu else f"{statistics.median(figures.server_cpu):.2f} s"
    )
    print(
        f"  pooled run CPU (median): client {statistics.median(figures.client_cpu):.2f} s,"
        f" demo host {server_cpu}"
    )
    return pooled_ok and speedup_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median shown)")
    parser.add_argument("--models", type=int, default=1000, help="synthetic models to add")
    parser.add_argument("--delay", type=float, default=0.010, help="seconds per request")
    parser.add_argument(
        "--connections",
        type=int,
        default=DEFAULT_CONNECTIONS,
        help=f"client pool bound (default: the client's own, {DEFAULT_CONNECTIONS})",
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-failover", action="store_true")
    args = parser.parse_args()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()},"
        f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start;"
        f" median of {args.runs} runs (min-max)"
    )
    ok = True
    if not args.skip_failover:
        ok = asyncio.run(failover(args.runs)) and ok
    if not args.skip_throughput:
        ok = throughput(args) and ok
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
