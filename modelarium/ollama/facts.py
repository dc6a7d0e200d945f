"""Model facts from a host: `/api/show` (cached by digest) and `/api/version` -> `ModelFacts`.

The model-aware rules, effective settings and drift in the core read these facts; this module
is the only place that fetches them.
"""

from __future__ import annotations

from modelarium.modelfile import ModelFacts, facts_from_modelfile
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.extract import ShowCache, find_summary
from modelarium.ollama.types import ModelDetails


def facts_from_details(details: ModelDetails, *, host_version: str | None = None) -> ModelFacts:
    """The core's facts of one shown model (`host_version` from `/api/version`)."""
    return facts_from_modelfile(
        details.name,
        details.modelfile,
        host=details.host,
        digest=details.digest or "",
        architecture=details.family,
        parameter_size=details.parameter_size,
        quantization=details.quantization,
        context_length=details.context_length,
        capabilities=details.capabilities,
        template=details.template,
        system=details.system,
        renderer=details.renderer,
        parser=details.parser,
        parent_model=details.parent_model,
        requires=details.requires,
        remote_host=details.remote_host,
        remote_model=details.remote_model,
        host_version=host_version,
    )


class FactsSource:
    """Fetches facts per host, `/api/show` cached by digest (a re-created model is re-read)."""

    def __init__(self, cache: ShowCache | None = None) -> None:
        self.cache = cache or ShowCache()
        self._versions: dict[str, str] = {}

    async def facts(self, client: OllamaClient, model: str) -> ModelFacts:
        """Facts of `model` on `client`'s host; `ModelNotFound` when it is not installed."""
        summary = await find_summary(client, model)
        details = await self.cache.show(client, summary)
        version = self._versions.get(client.name)
        if version is None:
            version = await client.version()
            self._versions[client.name] = version
        return facts_from_details(details, host_version=version)
