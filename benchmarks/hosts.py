"""Host throughput: list + show every model of a 1,000-model host, bounded pool vs one at a time.

Starts the demo host in a separate process (its own interpreter, so server and client do not
share a GIL) with 1,000 synthetic models on top of the seed models and a fixed delay on every
request (10 ms by default, like a host across a LAN). Then, with one `OllamaClient`:

- sequential: `/api/tags`, then `/api/show` for each model, awaiting each before the next;
- pooled: `/api/tags`, then every `/api/show` at once, bounded by the client's pool
  (`max_connections`, default 32), through `ShowCache.show` (a fresh cache each run); best of
  three runs, all printed. The sequential pass runs after them, on the same warm host.

Prints both wall times and the speed-up. Targets: pooled >= 8x faster and <= 1.5 s total.
Run: `python benchmarks/hosts.py [--models 1000] [--delay 0.01] [--connections 32]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelarium.config import HostConfig  # noqa: E402
from modelarium.ollama.client import OllamaClient  # noqa: E402
from modelarium.ollama.extract import ShowCache  # noqa: E402
from modelarium.ollama.types import ModelDetails  # noqa: E402

TARGET_SPEEDUP = 8.0
TARGET_POOLED_SECONDS = 1.5
POOLED_RUNS = 3
"""The pooled pass is short and noisy on a shared machine: best of three (all printed)."""

SERVER_SCRIPT = """
import asyncio, sys
from modelarium.demo import DemoServer, DemoState, FaultPlan

async def main() -> None:
    state = DemoState.seeded(extra_models=int(sys.argv[1]))
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
    """What one run measured (CPU figures: the last pooled run)."""

    def __init__(self) -> None:
        self.pooled_runs: list[float] = []

    sequential_seconds = 0.0
    pooled_seconds = 0.0
    count = 0
    client_cpu = 0.0
    server_cpu: float | None = None


async def measure(url: str, connections: int, server_pid: int) -> Figures:
    figures = Figures()
    host = HostConfig("bench", url)
    async with OllamaClient(host, timeout=30, max_connections=connections) as client:
        await client.version()  # warm the connection pool's first connection
        for _ in range(POOLED_RUNS):
            server_before = process_cpu_seconds(server_pid)
            client_before = time.process_time()
            seconds, details = await pooled(client)
            figures.pooled_runs.append(seconds)
            figures.client_cpu = time.process_time() - client_before
            server_after = process_cpu_seconds(server_pid)
            if server_before is not None and server_after is not None:
                figures.server_cpu = server_after - server_before
        figures.pooled_seconds = min(figures.pooled_runs)
        figures.sequential_seconds, figures.count = await sequential(client)
    assert len(details) == figures.count
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000, help="synthetic models to add")
    parser.add_argument("--delay", type=float, default=0.010, help="seconds per request")
    parser.add_argument("--connections", type=int, default=32, help="client pool bound")
    args = parser.parse_args()
    process, url = start_demo(args.models, args.delay)
    try:
        figures = asyncio.run(measure(url, args.connections, process.pid))
    finally:
        process.terminate()
        process.wait(10)
    sequential_seconds = figures.sequential_seconds
    pooled_seconds = figures.pooled_seconds
    count = figures.count
    speedup = sequential_seconds / pooled_seconds
    print(f"models on the demo host: {count} (delay {args.delay * 1000:.0f} ms per request)")
    print(f"one at a time:              {sequential_seconds:7.2f} s  (list + {count} shows)")
    print(
        f"bounded pool ({args.connections:>3} conns):   {pooled_seconds:7.2f} s"
        f"  (target <= {TARGET_POOLED_SECONDS} s; runs: "
        + ", ".join(f"{run:.2f}" for run in figures.pooled_runs)
        + ")"
    )
    print(f"speed-up:                   {speedup:7.1f}x  (target >= {TARGET_SPEEDUP:.0f}x)")
    server_cpu = "n/a" if figures.server_cpu is None else f"{figures.server_cpu:.2f} s"
    print(
        f"pooled run CPU: client {figures.client_cpu:.2f} s, demo host {server_cpu};"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    ok = speedup >= TARGET_SPEEDUP and pooled_seconds <= TARGET_POOLED_SECONDS
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
