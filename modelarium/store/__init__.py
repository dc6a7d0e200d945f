"""The element library: a normalized store on SQLite (default) or PostgreSQL, with search,
drafts, exchange and curated seed knowledge. Everything goes through `Library`.

`Library` (and with it SQLAlchemy, ~20 MB) loads when the name is first used, so modules that
only need the frozen result types or the errors (the TUI's panes and dialogs) import this
package without loading the database layer.
"""

from typing import TYPE_CHECKING

from modelarium.store.errors import (
    BundleError,
    CorruptDatabase,
    CuratedElementError,
    DatabaseTooNew,
    DatabaseUnavailable,
    DuplicateContent,
    ElementInUse,
    ElementNotFound,
    ModelfileImportError,
    NotALibrary,
    StoreError,
    UnsupportedDatabaseURL,
)
from modelarium.store.types import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MODELFILE_KIND,
    Draft,
    ImportPreview,
    ImportReport,
    ModelfileEntry,
    NewElement,
    PreviewItem,
    Provenance,
    SearchHit,
    StoredElement,
    StoredModelfile,
    Tag,
)

if TYPE_CHECKING:
    from modelarium.store.library import Library


def __getattr__(name: str) -> object:
    """`Library`, imported on first use (PEP 562)."""
    if name == "Library":
        # Deferred (start-up, memory): SQLAlchemy loads with the first use of the library.
        from modelarium.store.library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "MODELFILE_KIND",
    "BundleError",
    "CorruptDatabase",
    "CuratedElementError",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "Draft",
    "DuplicateContent",
    "ElementInUse",
    "ElementNotFound",
    "ImportPreview",
    "ImportReport",
    "Library",
    "ModelfileEntry",
    "ModelfileImportError",
    "NewElement",
    "NotALibrary",
    "PreviewItem",
    "Provenance",
    "SearchHit",
    "StoreError",
    "StoredElement",
    "StoredModelfile",
    "Tag",
    "UnsupportedDatabaseURL",
]
