"""Fault injection on the demo host: delay, error, drop, cut and hang, by method, path and model."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from modelarium.demo import DemoServerThread, FaultPlan


def test_delay_applies_to_matching_requests_only(client: httpx.Client, faults: FaultPlan) -> None:
    rule = faults.delay("/api/tags", 0.3)
    started = time.perf_counter()
    assert client.get("/api/tags").status_code == 200
    assert time.perf_counter() - started >= 0.3
    assert client.get("/api/version").status_code == 200
    assert rule.hits == 1  # /api/version was not delayed


def test_base_delay_slows_every_request(client: httpx.Client, faults: FaultPlan) -> None:
    faults.base_delay = 0.1
    started = time.perf_counter()
    for _ in range(3):
        client.get("/api/version")
    assert time.perf_counter() - started >= 0.3


def test_error_with_a_status_and_ollama_style_text_a_limited_number_of_times(
    client: httpx.Client, faults: FaultPlan
) -> None:
    faults.error("/api/show", 503, "server busy, please try again", times=2)
    for _ in range(2):
        response = client.post("/api/show", json={"model": "qwen3:8b"})
        assert response.status_code == 503
        assert response.json() == {"error": "server busy, please try again"}
    assert client.post("/api/show", json={"model": "qwen3:8b"}).status_code == 200


def test_rules_can_match_method_and_model(client: httpx.Client, faults: FaultPlan) -> None:
    faults.error("/api/*", 500, "boom", method="POST", model="QWEN3:8B")
    assert client.post("/api/show", json={"model": "qwen3:8b"}).status_code == 500
    assert client.post("/api/show", json={"Model": "qwen3:8b:latest"}).status_code == 400
    assert client.post("/api/show", json={"model": "llama3.2:3b"}).status_code == 200
    assert client.get("/api/tags").status_code == 200


def test_drop_closes_the_connection_without_an_answer(
    client: httpx.Client, faults: FaultPlan
) -> None:
    faults.drop("/api/tags", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/api/tags")
    assert client.get("/api/tags").status_code == 200


def test_cut_closes_a_stream_after_n_lines(client: httpx.Client, faults: FaultPlan) -> None:
    faults.cut("/api/pull", after_lines=3)
    received: list[dict[str, object]] = []
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream("POST", "/api/pull", json={"model": "tinyllama"}) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            received.append(json.loads(line))
    assert len(received) == 3
    assert received[0] == {"status": "pulling manifest"}
    # The cut pull never wrote its manifest.
    faults.clear()
    assert client.post("/api/show", json={"model": "tinyllama"}).status_code == 404


def test_cut_of_a_plain_answer_truncates_it(client: httpx.Client, faults: FaultPlan) -> None:
    faults.cut("/api/version", after_lines=0, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/api/version")
    assert client.get("/api/version").json() == {"version": "0.33.0-rc2"}


def test_a_hanging_request_does_not_block_others(demo: DemoServerThread, faults: FaultPlan) -> None:
    rule = faults.hang("/api/show")
    outcome: dict[str, object] = {}

    def hang() -> None:
        with httpx.Client(base_url=demo.url, timeout=httpx.Timeout(5.0, read=600.0)) as http:
            try:
                http.post("/api/show", json={"model": "qwen3:8b"})
            except httpx.HTTPError as error:
                outcome["hung"] = error

    thread = threading.Thread(target=hang)
    thread.start()
    # The hanging request has reached the host (30 s: a bound for a broken test).
    assert faults.wait_for_hits(rule, 1, timeout=30)
    with httpx.Client(base_url=demo.url, timeout=30.0) as http:
        assert http.get("/api/tags").status_code == 200
        assert http.get("/api/version").status_code == 200
    # Both answered while the hanging request still waited (its read timeout is 10 minutes).
    assert thread.is_alive() and "hung" not in outcome
    demo.stop()  # closes the hanging connection
    thread.join(30)
    assert not thread.is_alive()


def test_stopping_the_server_releases_hanging_and_delayed_requests(faults: FaultPlan) -> None:
    server = DemoServerThread(faults=faults).start()
    faults.hang("/api/tags")
    faults.delay("/api/version", 60.0)
    errors: list[BaseException] = []

    def call(path: str) -> None:
        with httpx.Client(base_url=server.url, timeout=10.0) as http:
            try:
                http.get(path)
            except httpx.HTTPError as error:
                errors.append(error)

    threads = [
        threading.Thread(target=call, args=(path,)) for path in ("/api/tags", "/api/version")
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    server.stop()
    for thread in threads:
        thread.join(timeout=30.0)  # a bound for a broken test: the delay alone is 60 s
    assert not any(thread.is_alive() for thread in threads)
    assert len(errors) == 2


def test_faults_can_change_while_the_server_runs(client: httpx.Client, faults: FaultPlan) -> None:
    rule = faults.error("/api/version", 500, "down")
    assert client.get("/api/version").status_code == 500
    faults.remove(rule)
    assert client.get("/api/version").status_code == 200
    faults.error("/api/version", 502, "bad gateway")
    assert client.get("/api/version").status_code == 502
    faults.clear()
    assert client.get("/api/version").status_code == 200
