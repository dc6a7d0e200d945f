"""One naming rule for library candidates, whether they come from a model (extraction), the
editor or an imported Modelfile: `<name> <kind>`, numbered from the second of a kind."""

from __future__ import annotations

from datetime import UTC, datetime

from modelarium.modelfile import elements_from_text
from modelarium.ollama.types import ModelSummary
from modelarium.store.candidates import library_candidates
from modelarium.store.exchange import modelfile_candidates
from modelarium.store.types import Provenance, Tag
from modelarium.tui.models.extraction import candidates_for

TEXT = (
    "FROM /models/mmproj.gguf\n"
    "FROM llava:7b\n"
    'TEMPLATE """{{ .Prompt }}"""\n'
    "LICENSE one\n"
    "LICENSE two\n"
)


def test_repeated_kinds_are_numbered() -> None:
    names = [candidate.name for candidate in library_candidates(elements_from_text(TEXT), "v")]
    assert names == ["v base", "v base 2", "v template", "v license", "v license 2"]


def test_model_editor_and_import_name_alike() -> None:
    elements = elements_from_text(TEXT)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    row = ModelSummary("local", "llava:7b", "abc", 1, when, family="llama")
    extracted = candidates_for(row, elements, when)
    imported = modelfile_candidates(TEXT, "llava:7b")
    assert [c.name for c in extracted] == [c.name for c in imported]
    assert [c.name for c in extracted] == [c.name for c in library_candidates(elements, "llava:7b")]
    assert extracted[0].tags == (Tag("family", "llama"),)
    assert extracted[0].provenance == Provenance("local", "llava:7b", "abc", when)
