"""Fixtures for the demo-host tests: a fresh seeded host per test over real HTTP (httpx)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from modelarium.demo import DemoServerThread, FaultPlan, seeded_state


@pytest.fixture
def faults() -> FaultPlan:
    """The fault plan of `demo` (empty: the host behaves normally)."""
    return FaultPlan()


@pytest.fixture
def demo(faults: FaultPlan) -> Iterator[DemoServerThread]:
    """A seeded demo host with instant progress lines, stopped after the test."""
    with DemoServerThread(seeded_state(progress_delay=0.0), faults=faults) as server:
        yield server


@pytest.fixture
def client(demo: DemoServerThread) -> Iterator[httpx.Client]:
    """A keep-alive httpx client on the demo host."""
    with httpx.Client(base_url=demo.url, timeout=10.0) as http:
        yield http
