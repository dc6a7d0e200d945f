"""`/api/show` -> Modelfile elements that re-create the model, and a show cache keyed by digest.

The show `modelfile` is parsed with the core's parser and converted with the core's
`elements_from_commands`; this module only repairs what the server's rendering loses:

- The first FROM of a GGUF model is a local blob path on the Ollama machine. It becomes the
  model's name (the `# FROM <name>` header comment, else the requested name), which is what
  `ollama create` needs on any machine. MLX models already show `FROM <name>`: kept.
- A vision model shows a second FROM: its projector blob. It stays as a second base element,
  but is placed *before* the named base: for FROM values that are not local paths Ollama's
  create keeps the last one, so the named model wins on every machine; on the Ollama machine
  itself the projector file exists and is merely uploaded (the server builds from the named
  model, which carries the projector layer). Written in Ollama's order, the blob path would be
  the one that wins and the Modelfile would fail anywhere but on that machine's disk.
- ADAPTER and DRAFT lines of a show are blob paths of layers the named base already carries;
  they are dropped from the elements (kept in the raw `modelfile` for display), since a path
  that does not exist fails create.
- PARAMETER lines come in Go map order (random per call): they are put in the parameter
  catalogue's order (unknown names after, by name), `stop` values keeping their order.
- Numbers that Go printed as float64 `%v` (`1e+06`) are turned back into the parameter's type:
  integer parameters get integer text (`1000000`), integral floats in exponent form too.
- `requires` is not written by the server's Modelfile: it comes from the show field.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace

from modelarium.modelfile import (
    DEPRECATED_PARAMETERS,
    PARAMETERS,
    Command,
    Element,
    ElementKind,
    Parameter,
    elements_from_commands,
    is_blob_path,
    parameter_value_text,
    parse,
)
from modelarium.ollama.client import OllamaClient, header_model_name
from modelarium.ollama.names import ModelName
from modelarium.ollama.types import ModelDetails, ModelNotFound, ModelSummary, OllamaError


class ExtractionError(OllamaError):
    """The show output could not be turned into elements (e.g. a Modelfile Ollama rejects)."""


def _catalogue_rank() -> dict[str, int]:
    names = [*PARAMETERS, *DEPRECATED_PARAMETERS]
    return {name: index for index, name in enumerate(names)}


def order_parameters(parameters: Iterable[Parameter]) -> tuple[Parameter, ...]:
    """Catalogue order, unknown names after (by name); equal names keep their relative order."""
    rank = _catalogue_rank()
    unknown = len(rank)
    typed = [Parameter(p.name, parameter_value_text(p.name, p.value)) for p in parameters]
    return tuple(
        sorted(typed, key=lambda p: (rank.get(p.name, unknown), "" if p.name in rank else p.name))
    )


def _model_name(details: ModelDetails) -> str:
    return header_model_name(details.modelfile) or details.name


def elements_from_show(details: ModelDetails) -> tuple[Element, ...]:
    """The elements that re-create `details`' model (see the module docstring for the rules)."""
    if not details.modelfile.strip():
        raise ExtractionError(
            "the host returned no Modelfile for this model", host=details.host, model=details.name
        )
    try:
        commands = parse(details.modelfile)
    except Exception as error:  # the core's ModelfileError carries Ollama's exact text
        raise ExtractionError(
            f"cannot parse the host's Modelfile: {error}", host=details.host, model=details.name
        ) from error
    name = _model_name(details)
    model_base: Command | None = None
    projectors: list[Command] = []
    others: list[Command] = []
    for command in commands:
        if command.name == "model":
            if model_base is None:
                model_base = Command("model", name if is_blob_path(command.args) else command.args)
            else:
                projectors.append(command)
        elif command.name == "requires" or (
            command.name in ("adapter", "draft") and is_blob_path(command.args)
        ):
            continue
        else:
            others.append(command)
    if model_base is None:
        model_base = Command("model", name)
    ordered = [*projectors, model_base, *others]
    if details.requires:
        ordered.append(Command("requires", details.requires))
    elements = elements_from_commands(ordered)
    return tuple(
        replace(element, parameters=order_parameters(element.parameters))
        if element.kind is ElementKind.PARAMETERS
        else element
        for element in elements
    )


class ShowCache:
    """`/api/show` results keyed by (host, model digest, name, verbose): a model re-created
    under the same name has a new digest, so it is never served stale."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str, tuple[str, ...], bool], ModelDetails] = (
            OrderedDict()
        )

    @staticmethod
    def _key(
        host: str, digest: str, name: str, verbose: bool
    ) -> tuple[str, str, tuple[str, ...], bool]:
        return (host, digest, ModelName.parse(name).key, verbose)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, host: str, digest: str, name: str, verbose: bool = False) -> ModelDetails | None:
        """The cached details, or None."""
        key = self._key(host, digest, name, verbose)
        details = self._entries.get(key)
        if details is not None:
            self._entries.move_to_end(key)
        return details

    def put(self, details: ModelDetails, verbose: bool = False) -> None:
        """Remember `details` (which must carry its digest)."""
        if not details.digest:
            raise ValueError("only details with a digest can be cached")
        key = self._key(details.host, details.digest, details.name, verbose)
        self._entries[key] = details
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def show(
        self, client: OllamaClient, summary: ModelSummary, verbose: bool = False
    ) -> ModelDetails:
        """Details of `summary`'s model: cached by its digest, fetched (and cached) otherwise."""
        cached = self.get(client.name, summary.digest, summary.name, verbose)
        if cached is not None:
            return cached
        details = replace(await client.show(summary.name, verbose), digest=summary.digest)
        self.put(details, verbose)
        return details


async def find_summary(client: OllamaClient, model: str) -> ModelSummary:
    """The `/api/tags` entry of `model` on `client`'s host; `ModelNotFound` when absent."""
    wanted = ModelName.parse(model).key
    for summary in await client.list_models():
        if ModelName.parse(summary.name).key == wanted:
            return summary
    raise ModelNotFound(
        f"model {ModelName.parse(model).display!r} not found",
        host=client.name,
        model=model,
        url=client.url,
    )


async def extract(
    client: OllamaClient, model: str, *, cache: ShowCache | None = None
) -> tuple[ModelDetails, tuple[Element, ...]]:
    """Show `model` (through `cache` when given, keyed by its digest) and extract its elements."""
    summary = await find_summary(client, model)
    if cache is not None:
        details = await cache.show(client, summary)
    else:
        details = replace(await client.show(summary.name), digest=summary.digest)
    return details, elements_from_show(details)
