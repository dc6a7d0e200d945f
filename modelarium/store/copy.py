"""Copy a whole library between databases (SQLite <-> PostgreSQL): everything the bundle
format carries, and the trial results."""

from __future__ import annotations

from dataclasses import dataclass

from modelarium.store.exchange import import_bundle, validate_bundle
from modelarium.store.library import Library
from modelarium.store.trials import TrialCopyReport, export_trials, import_trials
from modelarium.store.types import ImportReport
from modelarium.wording import counted


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What `copy_library` moved."""

    source: str
    target: str
    report: ImportReport
    trials: TrialCopyReport

    def summary(self) -> list[str]:
        """One line per fact, for the terminal."""
        r = self.report
        t = self.trials
        return [
            f"copied {self.source} -> {self.target}",
            f"elements: {len(r.elements_added)} added, {len(r.elements_present)} already there",
            f"Modelfiles: {len(r.modelfiles_added)} added, "
            f"{len(r.modelfiles_present)} already there",
            f"drafts: {len(r.drafts_added)} added",
            f"trial results: {counted(t.runs_added, 'run')} added "
            f"({counted(t.variants_added, 'new variant')}), {t.runs_present} already there",
        ]


def copy_library(source_url: str, target_url: str) -> CopyReport:
    """Copy everything from `source_url` into `target_url` (created and migrated as needed).

    Content already in the target is recognised (elements by content, Modelfiles by name and
    composition, drafts by name and text, trial variants by their settings and runs by what
    they record), so copying twice adds nothing the second time. The target's writes happen
    in one transaction: a failure leaves it as it was.
    """
    source = Library.open(source_url, seed=False)
    try:
        bundle = validate_bundle(source.export_bundle())
        trials = export_trials(source)
        source_location = source.location
    finally:
        source.close()
    target = Library.open(target_url)
    try:
        with target.writing() as session:
            report = import_bundle(session, bundle, dry_run=False)
            trial_report = import_trials(session, trials)
        return CopyReport(source_location, target.location, report, trial_report)
    finally:
        target.close()
