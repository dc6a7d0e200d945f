"""`modelarium web`: the page and its websocket answer on loopback; a token guards them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from modelarium.cli import build_parser, main
from modelarium.cli.web import app_command, is_loopback

aiohttp = pytest.importorskip("aiohttp", reason="the [web] extra (textual-serve) is not installed")
pytest.importorskip("textual_serve", reason="the [web] extra (textual-serve) is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def web_server(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start `modelarium web` and yield its printed address once it is listening."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "modelarium", "web", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert process.stdout is not None
        address = ""
        for line in process.stdout:
            if line.startswith("Modelarium in a browser: "):
                address = line.removeprefix("Modelarium in a browser: ").strip()
                break
        assert address, "modelarium web printed no address"
        wait_listening(port, process)
        yield address, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_listening(port: int, process: subprocess.Popen[str]) -> None:
    """Wait until the server accepts connections (it prints its address before binding)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            try:
                code = process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"modelarium web exited with {code} before listening") from None
    raise AssertionError(f"nothing listens on port {port}")


async def first_frame(url: str, cookies: dict[str, str]) -> bytes:
    """Open the app's websocket and return the first bytes the app paints."""
    async with aiohttp.ClientSession(cookies=cookies) as session:  # noqa: SIM117
        async with session.ws_connect(url + "/ws?width=80&height=24") as websocket:
            while True:
                message = await asyncio.wait_for(websocket.receive(), timeout=120)
                if message.type == aiohttp.WSMsgType.BINARY and message.data:
                    data: bytes = message.data
                    return data
                if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    raise AssertionError(f"websocket closed: {message!r}")


@pytest.mark.slow
def test_web_serves_the_page_and_the_app_on_loopback() -> None:
    with web_server("--demo") as (address, _process):
        assert address.startswith("http://127.0.0.1:")
        assert "token" not in address
        page = httpx.get(address, timeout=30)
        assert page.status_code == 200
        assert "Modelarium" in page.text
        assert "/ws" in page.text
        frame = asyncio.run(first_frame(address.rstrip("/"), {}))
        assert frame


@pytest.mark.slow
def test_a_token_guards_the_page_and_the_websocket() -> None:
    with web_server("--token", "s3cret", "--demo") as (address, process):
        base = address.split("/?", 1)[0]
        assert address == f"{base}/?token=s3cret"
        assert httpx.get(base + "/", timeout=30).status_code == 401
        assert httpx.get(base + "/?token=wrong", timeout=30).status_code == 401
        page = httpx.get(address, timeout=30)
        assert page.status_code == 200
        cookie = page.cookies.get("modelarium_web_token")
        assert cookie == "s3cret"
        frame = asyncio.run(first_frame(base, {"modelarium_web_token": cookie}))
        assert frame
        process.terminate()
        output, _ = process.communicate(timeout=30)
        assert "s3cret" not in output.replace(address, "")


def test_only_loopback_counts_as_private() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("127.3.4.5")
    assert is_loopback("::1")
    assert is_loopback("[::1]")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.0.2.7")
    assert not is_loopback("gpu-box")


def test_the_served_command_passes_the_hosts_on() -> None:
    args = build_parser().parse_args(["web", "--demo", "--host", "http://gpu box:11434"])
    command = app_command(args)
    assert command.startswith(sys.executable)
    assert command.endswith("-m modelarium --demo --host 'http://gpu box:11434'")


def test_top_level_hosts_reach_the_served_app(capsys: pytest.CaptureFixture[str]) -> None:
    from modelarium.cli import apply_top_level_hosts

    args = build_parser().parse_args(["--demo", "web"])
    assert apply_top_level_hosts(args) is None
    assert app_command(args).endswith("-m modelarium --demo")
    args = build_parser().parse_args(["--host", "gpu:11434", "web", "--host", "laptop"])
    assert apply_top_level_hosts(args) is None
    assert app_command(args).endswith("--host gpu:11434 --host laptop")
    assert main(["web", "--demo", "--host", "x"]) == 2
    assert "cannot be combined" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "--port", "0"]) == 2
    assert "out of range" in capsys.readouterr().err
