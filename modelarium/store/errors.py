"""The store's errors: one family, each with a one-line message that names what and where."""

from __future__ import annotations

from collections.abc import Sequence


class StoreError(Exception):
    """Any failure of the library store; `str()` is a complete one-line message for the user."""


class UnsupportedDatabaseURL(StoreError):
    """The database URL names a scheme the store cannot use."""


class DatabaseUnavailable(StoreError):
    """The database server cannot be reached or refused the login."""


class CorruptDatabase(StoreError):
    """The SQLite file is not a readable database (it is left untouched)."""


class DatabaseTooNew(StoreError):
    """The database was migrated by a newer Modelarium than this one."""


class NotALibrary(StoreError):
    """The database holds tables but no Modelarium schema version."""


class ElementNotFound(StoreError):
    """No element, Modelfile or draft has the requested id."""


class CuratedElementError(StoreError):
    """A curated (seeded, read-only) element cannot be changed or deleted; copy it instead."""


class DuplicateContent(StoreError):
    """Another user element already holds exactly this content."""


class ElementInUse(StoreError):
    """The element is part of one or more Modelfiles and would leave them incomplete."""

    def __init__(self, element_id: int, element_name: str, modelfiles: Sequence[str]) -> None:
        self.element_id = element_id
        self.modelfiles = tuple(modelfiles)
        names = ", ".join(repr(name) for name in self.modelfiles)
        super().__init__(
            f"element {element_id} ({element_name!r}) is used by "
            f"{'Modelfile' if len(self.modelfiles) == 1 else 'Modelfiles'} {names}; "
            "remove it from them first or delete with force to detach it"
        )


class BundleError(StoreError):
    """An exchange bundle is malformed or of an unsupported version; nothing was written."""


class ModelfileImportError(StoreError):
    """A Modelfile text could not be turned into elements; nothing was written."""
