"""Prepare one create for one host: ask the host what the core's license decision needs.

The core (`modelfile.create.model_create`) decides which licenses to send as a pure function
of the base model's licenses; this module only fetches those licenses from the host that will
receive the create, so every caller (editor, batch apply, `models create -f`) previews and
sends the same `ModelCreate`. `installed_model` asks the host itself whether a target name
is taken, so copy, create and pull act on the host's present state, not on a cached list.
"""

from __future__ import annotations

from collections.abc import Iterable

from modelarium.modelfile import CreateRequest, ModelCreate, licenses_of_modelfile, model_create
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.names import same_model
from modelarium.ollama.types import InvalidModelName, ModelNotFound, ModelSummary


async def base_licenses(client: OllamaClient, base: str) -> tuple[str, ...]:
    """The licenses (one per LICENSE layer) of the installed model `base` on the client's
    host; () when the host does not have it (create then pulls it, with its own licenses).
    Other errors (host down, timeout) are raised: guessing would send licenses twice."""
    try:
        details = await client.show(base)
    except (ModelNotFound, InvalidModelName):
        return ()
    return licenses_of_modelfile(details.modelfile)


async def prepare_create(
    client: OllamaClient, request: CreateRequest, model: str, *, quantize: str = ""
) -> ModelCreate:
    """The create of `request` as `model` on the client's host, exactly as it will be sent:
    the base's licenses are asked for only when the request names a base and carries
    licenses of its own; `quantize` goes into the body as is."""
    inherited = await base_licenses(client, request.base) if request.needs_base_licenses else ()
    return model_create(request, model, base_licenses=inherited, quantize=quantize)


async def installed_model(client: OllamaClient, name: str) -> ModelSummary | None:
    """The model `name` denotes on the client's host right now (Ollama's name rules: case
    ignored, default tag applied), asked of the host itself, never of a cached list."""
    return find_model(await client.list_models(), name)


def find_model(models: Iterable[ModelSummary], name: str) -> ModelSummary | None:
    """The listed model `name` denotes, if any."""
    return next((model for model in models if same_model(model.name, name)), None)
