"""What starts before the UI imports: each host's model list asked in its own thread, and
under `--demo` the demo host in its own process.

Importing Textual takes most of the start (~250 ms); a local host answers `/api/tags` in a few
milliseconds. So `modelarium.cli.tui.run_app` starts this first and the Models pane paints the
answers that are in by its first frame (later ones as they come). Nothing here imports Textual
or httpx: the request goes over a plain socket with h11, and the entries are read by the same
`tags_summaries` as the client's. A host that fails or hangs here is simply not listed early:
the regular listing (the host pool, after the first paint) reports it; every thread is a
daemon with a timeout, so none of this can hold the UI or the exit.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from modelarium.config import HostConfig
from modelarium.ollama.addresses import parse_ollama_host
from modelarium.ollama.types import InvalidHostURL, ModelSummary, tags_summaries

Listener = Callable[[str, tuple[ModelSummary, ...]], None]
"""Called (from a listing thread) with a host's name and its models."""

DEMO_START_TIMEOUT = 15.0
"""Seconds the early listing waits for the demo host's process to accept connections."""
_DEMO_CHILD = (
    "import sys\n"
    "from modelarium.demo import DemoServerThread\n"
    "server = DemoServerThread(port=int(sys.argv[1])).start()\n"
    "sys.stdin.buffer.read()\n"  # the app closed our stdin (or died): stop
    "server.stop()\n"
)


def host_name_for_url(url: str) -> str:
    """A host given by its address is named by its normalised URL (`http://gpu-box:11434`), as
    the CLI names it: one name whichever of `--host`, `OLLAMA_HOST` or the default gave it."""
    try:
        return parse_ollama_host(url)
    except InvalidHostURL:
        return url.strip() or url


def hosts_from_urls(urls: Sequence[str]) -> tuple[HostConfig, ...]:
    """`--host` URLs as hosts, named by address (`(2)`, `(3)` on a repeated name)."""
    names: list[str] = []
    for url in urls:
        name = host_name_for_url(url)
        names.append(name if name not in names else f"{name} ({len(names) + 1})")
    return tuple(HostConfig(name, url) for name, url in zip(names, urls, strict=True))


def fetch_tags(host: HostConfig, timeout: float, *, wait: float = 0.0) -> tuple[ModelSummary, ...]:
    """`GET /api/tags` on `host` over a plain socket (raises on any failure or non-200 answer);
    connection refusals are retried for `wait` seconds (a host process that is starting)."""
    import h11

    parts = urlsplit(parse_ollama_host(host.url))
    if parts.scheme != "http" or parts.hostname is None:
        raise ValueError(f"{host.url}: only plain http is listed early")
    port = parts.port or 80
    deadline = time.monotonic() + wait
    while True:
        try:
            connection = socket.create_connection((parts.hostname, port), timeout=timeout)
            break
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
    headers = [
        ("Host", parts.netloc),
        ("Accept", "application/json"),
        ("Connection", "close"),
        *host.headers.items(),
    ]
    if host.token:
        headers.append(("Authorization", f"Bearer {host.token}"))
    protocol = h11.Connection(h11.CLIENT)
    with connection:
        path = parts.path.rstrip("/") + "/api/tags"
        connection.sendall(protocol.send(h11.Request(method="GET", target=path, headers=headers)))
        connection.sendall(protocol.send(h11.EndOfMessage()))
        body = bytearray()
        status = 0
        while True:
            event = protocol.next_event()
            if event is h11.NEED_DATA:
                protocol.receive_data(connection.recv(1 << 16))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                break
    if status != 200:
        raise ValueError(f"{host.url}: /api/tags answered HTTP {status}")
    try:
        return tags_summaries(host.name, bytes(body))
    except ValueError as error:
        raise ValueError(f"{host.url}: /api/tags is not a model list ({error})") from None


class EarlyListing:
    """Each host's `/api/tags`, asked in its own daemon thread (a hung host delays no other)."""

    def __init__(self, hosts: Sequence[HostConfig], timeout: float, *, wait: float = 0.0) -> None:
        self.hosts = tuple(hosts)
        self.timeout = timeout
        self.wait = wait
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[ModelSummary, ...]] = {}
        self._listener: Listener | None = None

    def start(self) -> EarlyListing:
        """Ask every host now (returns at once)."""
        for host in self.hosts:
            threading.Thread(
                target=self._ask, args=(host,), name=f"early list {host.name}", daemon=True
            ).start()
        return self

    def _ask(self, host: HostConfig) -> None:
        try:
            models = fetch_tags(host, self.timeout, wait=self.wait)
        except Exception:  # the regular listing reports the host's problem
            return
        with self._lock:
            self._answers[host.name] = models
            listener = self._listener
        if listener is not None:
            listener(host.name, models)

    def listen(self, listener: Listener) -> dict[str, tuple[ModelSummary, ...]]:
        """The answers in so far; `listener` gets each later one (from its thread)."""
        with self._lock:
            self._listener = listener
            return dict(self._answers)

    def answered(self) -> set[str]:
        """Names of the hosts that have answered."""
        with self._lock:
            return set(self._answers)


class DemoHostProcess:
    """The demo host (`modelarium.demo`) in a child process on a chosen port, so that its
    imports run beside the UI's rather than between the first paint and the list. The child
    stops when its stdin closes: at `stop()`, or when the app's process ends in any way."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", _DEMO_CHILD, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        """End the child (closing its stdin), killing it if it does not stop within 5 s."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True, slots=True)
class EarlyStart:
    """The hosts the app runs on, their listing under way, and the demo host it started."""

    hosts: tuple[HostConfig, ...]
    listing: EarlyListing
    demo: DemoHostProcess | None = None


def start_early(demo: bool, urls: Sequence[str] | None) -> EarlyStart | None:
    """Start the demo host (with `demo`) and the hosts' listing; None when the settings cannot
    be read (the app then reports why, as before)."""
    # Deferred (start-up): loaded only when the early start runs.
    from modelarium.config import ConfigError, effective_hosts, load_settings

    try:
        settings = load_settings()
    except ConfigError:
        return None
    timeout = settings.request_timeout
    if demo:
        demo_host = DemoHostProcess()
        hosts: tuple[HostConfig, ...] = (HostConfig("demo", demo_host.url),)
        listing = EarlyListing(hosts, timeout, wait=DEMO_START_TIMEOUT).start()
        return EarlyStart(hosts, listing, demo_host)
    hosts = hosts_from_urls(urls) if urls else effective_hosts(settings)
    return EarlyStart(hosts, EarlyListing(hosts, timeout).start())
