"""Model facts from a host: `/api/show` (cached by digest) and `/api/version` -> `ModelFacts`.

The model-aware rules, effective settings and drift in the core read these facts; this module
is the only place that fetches them. It also passes in what the core may not read itself: what
the curated records that apply to the model say (`knowledge.advice`: the warning against greedy
decoding for MF106, the documented tool-call styles for KN001).
"""

from __future__ import annotations

import asyncio

# `greedy_warning` is imported from here by callers that read the advice of given records.
from modelarium.knowledge.advice import greedy_warning as greedy_warning
from modelarium.knowledge.advice import with_curated_advice
from modelarium.modelfile import ModelFacts, facts_from_modelfile, from_base
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.extract import ShowCache, find_summary
from modelarium.ollama.names import same_model
from modelarium.ollama.types import ModelDetails


def facts_from_details(details: ModelDetails, *, host_version: str | None = None) -> ModelFacts:
    """The core's facts of one shown model (`host_version` from `/api/version`); a pure
    conversion (the TUI calls it on its event loop), the curated advice left to `FactsSource`."""
    facts = facts_from_modelfile(
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
    return facts


def named_base(model: ModelDetails | ModelFacts) -> str | None:
    """The installed model `model` was created FROM, by name: its `parent_model` when the core's
    FROM rule (`from_base`) reads it as a model name; None for a pulled model (no parent), a
    parent that is a path or a weights blob, a cloud model (no weights of its own) or a parent
    that is the model itself. The one answer the details view, `models show --effective`,
    `models diff --against-base` and `models rebase` act on."""
    remote = bool(model.remote_host or model.remote_model) or model.name.endswith(
        (":cloud", "-cloud")
    )
    base = from_base(model.parent_model.strip()).model
    if remote or base is None or same_model(base, model.name):
        return None
    return base


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
        facts = facts_from_details(details, host_version=version)
        # In a thread: the curated records are read and validated on first use.
        return await asyncio.to_thread(with_curated_advice, facts)
