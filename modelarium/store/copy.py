"""Copy a whole library between databases (SQLite <-> PostgreSQL) through the bundle format."""

from __future__ import annotations

from dataclasses import dataclass

from modelarium.store.library import Library
from modelarium.store.types import ImportReport


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What `copy_library` moved."""

    source: str
    target: str
    report: ImportReport

    def summary(self) -> list[str]:
        """One line per fact, for the terminal."""
        r = self.report
        return [
            f"copied {self.source} -> {self.target}",
            f"elements: {len(r.elements_added)} added, {len(r.elements_present)} already there",
            f"Modelfiles: {len(r.modelfiles_added)} added, "
            f"{len(r.modelfiles_present)} already there",
            f"drafts: {len(r.drafts_added)} added",
        ]


def copy_library(source_url: str, target_url: str) -> CopyReport:
    """Copy everything from `source_url` into `target_url` (created and migrated as needed).

    Content already in the target is recognised (elements by content, Modelfiles by name and
    composition, drafts by name and text), so copying twice adds nothing the second time. The
    target's writes happen in one transaction: a failure leaves it as it was.
    """
    source = Library.open(source_url, seed=False)
    try:
        bundle = source.export_bundle()
        source_location = source.location
    finally:
        source.close()
    target = Library.open(target_url)
    try:
        report = target.import_bundle(bundle, dry_run=False)
        return CopyReport(source_location, target.location, report)
    finally:
        target.close()
