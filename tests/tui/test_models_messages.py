"""What the Models pane says about one model: a model the host no longer has is named once,
with the host (loading it, reading its details), and a default that asks Ollama to choose
(`num_ctx 0`) reads as such, not as a value of 0."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from modelarium.demo import DemoServerThread
from modelarium.modelfile import PARAMETERS
from modelarium.ollama.names import ModelName
from modelarium.ollama.types import ModelNotFound, OllamaError
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.errors import failure_reason, model_failure
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView, _parameter_defaults, default_text
from modelarium.tui.widgets.parameter_form import default_text as form_default_text
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    wait_for,
    wait_for_details,
    wait_for_screen,
)
from tests.tui.test_models import details_text

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)


def test_an_ollama_error_names_the_model_once() -> None:
    error = ModelNotFound(
        "model 'mistral:7b' not found", host="demo", model="mistral:7b", status=404
    )
    assert str(error) == "demo: model 'mistral:7b' not found (HTTP 404)"
    untagged = ModelNotFound('model "mistral" not found', host="demo", model="mistral")
    assert str(untagged) == 'demo: model "mistral" not found'
    other = OllamaError("blob store is on fire", host="demo", model="mistral:7b", status=500)
    assert str(other) == "demo: model 'mistral:7b': blob store is on fire (HTTP 500)"


def test_a_failure_about_a_model_names_it_once_then_where_and_why() -> None:
    missing = ModelNotFound(
        "model 'mistral:7b' not found",
        host="demo",
        model="mistral:7b",
        status=404,
        url="http://10.0.0.5:11434",
    )
    assert model_failure("mistral:7b", missing) == (
        "mistral:7b: demo (http://10.0.0.5:11434): not found (HTTP 404)"
    )
    broken = OllamaError("blob store is on fire", host="demo", model="mistral:7b", status=500)
    assert failure_reason("mistral:7b", broken) == "demo: blob store is on fire (HTTP 500)"
    assert model_failure("mistral:7b", RuntimeError("boom")) == "mistral:7b: boom"


async def test_loading_a_model_the_host_no_longer_has_names_it_once(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mistral:7b")
        demo_server.state.remove(ModelName.parse("mistral:7b"))  # as another client would
        await pilot.press("l")
        await wait_for(
            pilot, lambda: any(n.message.startswith("Loaded 0") for n in app._notifications)
        )
        report = next(n for n in app._notifications if n.message.startswith("Loaded 0"))
        assert report.message == (
            f"Loaded 0 models. Failed: mistral:7b: demo ({demo_server.url}): not found (HTTP 404)"
        )
        assert report.severity == "error"


async def test_details_of_a_model_the_host_no_longer_has_name_it_once(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        demo_server.state.remove(ModelName.parse("llama3.2:latest"))  # listed, then gone
        await highlight_model(pilot, "llama3.2:latest")
        view = app.query_one(ModelDetailsView)
        await wait_for(pilot, lambda: "unavailable" in details_text(view))
        text = " ".join(details_text(view).split())
        assert text == (
            f"Details of llama3.2:latest are unavailable: demo ({demo_server.url}): "
            "not found (HTTP 404)"
        )
        assert app.query_one(ModelsPane).cursor_row is not None


def test_a_default_that_asks_ollama_to_choose_says_so() -> None:
    defaults = _parameter_defaults()
    assert default_text("num_ctx", defaults) == "auto: Ollama chooses; 0"
    assert default_text("num_gpu", defaults) == "auto: Ollama chooses; -1"
    assert default_text("use_mmap", defaults) == "auto: Ollama chooses"
    assert default_text("temperature", defaults) == "0.8"
    assert default_text("stop", defaults) == "none"
    assert default_text("no_such_option", defaults) == "not in catalogue"
    # The parameter form words the same defaults briefly, from the same catalogue flag.
    assert form_default_text(PARAMETERS["num_ctx"]) == "auto (0)"
    assert form_default_text(PARAMETERS["main_gpu"]) == "auto"
    assert form_default_text(PARAMETERS["temperature"]) == "0.8"
    # Each is a default the catalogue's own note says the server or runtime decides.
    for spec in PARAMETERS.values():
        if spec.server_decides:
            assert "decide" in spec.default_note


async def test_the_details_show_num_ctx_0_as_ollama_choosing(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "my-reviewer:latest")
        await wait_for_details(pilot, "my-reviewer:latest")
        text = details_text(app.query_one(ModelDetailsView))
        assert "num_ctx      8192  (default auto: Ollama chooses; 0)" in text
        assert "(default 0)" not in text


async def test_an_update_that_fails_names_the_model_once(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    demo_server.faults.error("/api/pull", 500, "registry is down", model="mistral:7b")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("space", "U")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(
            pilot, lambda: any(n.message.startswith("Updated") for n in app._notifications)
        )
        report = next(n for n in app._notifications if n.message.startswith("Updated"))
        assert report.message.endswith(
            f"Failed: mistral:7b: demo ({demo_server.url}): registry is down (HTTP 500)"
        )
        assert report.message.count("mistral:7b") == 1
