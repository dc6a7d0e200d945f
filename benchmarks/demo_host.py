"""Demo host figures: how fast it starts (the TUI's `--demo` waits for it) and what a request costs.

- start: `seeded_state()` + `DemoServerThread.start()` in this process (median of 20 with
  the min-max, the date and the load); target < 100 ms, since `modelarium --demo` starts it at
  launch (a warm process: the imports are not counted; `benchmarks/startup.py` has the whole);
- seeding 1,000 extra models (the hosts benchmark's host);
- per-request server cost, measured with a raw-socket keep-alive client against a demo host in a
  child process (its own interpreter): `/api/version`, the first and the repeated `/api/show` of
  each of 1,014 models, and `/api/tags` listing them.

Run: `python benchmarks/demo_host.py`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import Spread, machine_line, record  # noqa: E402
from modelarium.demo import DemoServerThread, seeded_state  # noqa: E402

TARGET_START_SECONDS = 0.100

SERVER_SCRIPT = """
import asyncio, sys
from modelarium.demo import DemoServer, seeded_state

async def main() -> None:
    server = DemoServer(seeded_state(extra_models=int(sys.argv[1])))
    await server.start(port=0)
    print(server.port, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


class RawClient:
    """A minimal HTTP/1.1 keep-alive client (so the figures are the server's, not httpx's)."""

    def __init__(self, port: int) -> None:
        self.connection = socket.create_connection(("127.0.0.1", port))
        self.reader = self.connection.makefile("rb")

    def request(self, method: str, path: str, body: bytes = b"") -> bytes:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n"
        self.connection.sendall(head.encode("ascii") + body)
        length = 0
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        return self.reader.read(length)

    def close(self) -> None:
        self.reader.close()
        self.connection.close()


def measure_start() -> tuple[Spread, Spread, Spread]:
    """Milliseconds of seeding, thread start and both, over 20 runs."""
    seeds: list[float] = []
    starts: list[float] = []
    for _ in range(20):
        began = time.perf_counter()
        state = seeded_state()
        seeded = time.perf_counter()
        server = DemoServerThread(state).start()
        started = time.perf_counter()
        server.stop()
        seeds.append((seeded - began) * 1000)
        starts.append((started - seeded) * 1000)
    both = [seed + start for seed, start in zip(seeds, starts, strict=True)]
    return Spread.of(seeds), Spread.of(starts), Spread.of(both)


def per_request(client: RawClient, requests: list[tuple[str, str, bytes]]) -> float:
    began = time.perf_counter()
    for method, path, body in requests:
        client.request(method, path, body)
    return (time.perf_counter() - began) / len(requests)


def main() -> int:
    seed_ms, start_ms, total_ms = measure_start()
    began = time.perf_counter()
    seeded_state(extra_models=1000)
    big_seed_seconds = time.perf_counter() - began

    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, "1000"], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        client = RawClient(int(process.stdout.readline()))
        names = [
            model["name"] for model in json.loads(client.request("GET", "/api/tags"))["models"]
        ]
        shows = [("POST", "/api/show", json.dumps({"model": name}).encode()) for name in names]
        version = per_request(client, [("GET", "/api/version", b"")] * 500)
        first_show = per_request(client, shows)
        repeated_show = per_request(client, shows)
        tags = per_request(client, [("GET", "/api/tags", b"")] * 20)
        client.close()
    finally:
        process.kill()
        process.wait()

    print(f"seed 14 models:              {seed_ms.text(' ms')}")
    print(f"thread start:                {start_ms.text(' ms')}")
    print(f"seed + start (--demo):       {total_ms.text(' ms')}  (target < 100 ms)")
    print(f"seed 1,000 extra models:     {big_seed_seconds * 1000:7.1f} ms")
    print(f"GET /api/version:            {version * 1000:7.2f} ms per request")
    count = len(names)
    print(f"POST /api/show, first:       {first_show * 1000:7.2f} ms per request ({count} models)")
    print(f"POST /api/show, repeated:    {repeated_show * 1000:7.2f} ms per request")
    print(f"GET /api/tags ({len(names)} models): {tags * 1000:7.2f} ms per request")
    print(machine_line())
    met = total_ms.median < TARGET_START_SECONDS * 1000
    print("TARGET MET" if met else "TARGET MISSED")
    record(
        "demo_host",
        measured=f"{total_ms.text(' ms')}; 1,000 extra models seeded in "
        f"{big_seed_seconds * 1000:.0f} ms; `/api/show` {first_show * 1000:.1f} ms per request",
        met=met,
        spread=total_ms,
        unit="ms",
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
