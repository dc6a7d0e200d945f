"""`modelarium library search|import|export|show` and `modelarium db copy`.

Every handler opens the library (the configured URL, or `--database URL`), prints plain text
or JSON, and turns store errors into one line on stderr with exit code 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelarium.cli.output import fail, json_text, print_json, safe, write_data
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.store import Library, StoredElement


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `library` and `db` subcommands."""
    library_parser = subparsers.add_parser(
        "library", help="search, import, export and show library elements"
    )
    library_parser.add_argument(
        "--database", metavar="URL", help="library database URL (default: the configured one)"
    )
    actions = library_parser.add_subparsers(dest="library_command", metavar="ACTION", required=True)

    search = actions.add_parser("search", help="full-text search over elements and Modelfiles")
    search.add_argument("query", nargs="?", default="", help="words to find (prefixes match)")
    search.add_argument(
        "--kind", action="append", default=[], help="element kind or 'modelfile' (repeatable)"
    )
    search.add_argument(
        "--tag", action="append", default=[], help="tag, e.g. family:qwen or code (repeatable)"
    )
    search.add_argument("--family", help="model family tag, e.g. llama")
    search.add_argument("--use-case", dest="use_case", help="use case tag, e.g. tools")
    search.add_argument("--host", help="only elements extracted from this host")
    search.add_argument("--model", help="only elements extracted from this model")
    search.add_argument("--limit", type=int, default=50, help="most hits to show (default 50)")
    search.add_argument("--json", action="store_true", help="print a JSON array of hits")
    search.set_defaults(handler=run_search)

    importer = actions.add_parser(
        "import", help="import Modelfiles or bundles (shows what would be added; --yes writes)"
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument("--yes", action="store_true", help="write the import")
    importer.set_defaults(handler=run_import)

    exporter = actions.add_parser("export", help="export the library bundle or one Modelfile")
    exporter.add_argument(
        "--out",
        type=Path,
        help="write to this file (default: stdout); an existing file needs --force, and a "
        "symbolic link there is replaced, never followed",
    )
    exporter.add_argument(
        "--force", action="store_true", help="replace the --out file when it already exists"
    )
    exporter.add_argument("--format", choices=("bundle", "modelfile"), default="bundle")
    exporter.add_argument("--id", type=int, help="the Modelfile to export (--format modelfile)")
    exporter.set_defaults(handler=run_export)

    show = actions.add_parser("show", help="show one element (or --modelfile: one Modelfile)")
    show.add_argument("id", type=int)
    show.add_argument("--modelfile", action="store_true", help="ID names a stored Modelfile")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)

    db_parser = subparsers.add_parser("db", help="library database maintenance")
    db_actions = db_parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    copy = db_actions.add_parser(
        "copy",
        help="copy everything (elements, Modelfiles, drafts, trial results) from one library "
        "database to another (SQLite/PostgreSQL)",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="URL")
    copy.add_argument("--to", dest="target", required=True, metavar="URL")
    copy.set_defaults(handler=run_db_copy)


@contextmanager
def open_library(url: str | None, *, seed: bool = True) -> Iterator[Library]:
    """The library at `url` (default: configured), closed afterwards."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import Library

    library = Library.open(url, seed=seed)
    try:
        yield library
    finally:
        library.close()


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run `handler`, turning store, settings and file errors into one line on stderr."""

    def run(args: argparse.Namespace) -> int:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.config import ConfigError
        from modelarium.store import StoreError

        try:
            return handler(args)
        except (StoreError, ConfigError) as error:
            return fail(str(error))

    run.__doc__ = handler.__doc__
    return run


@guarded
def run_search(args: argparse.Namespace) -> int:
    """`library search`: print hits as a table or JSON."""
    if args.limit <= 0:
        return fail(f"--limit must be a positive number (got {args.limit})")
    with open_library(args.database) as library:
        hits = library.search(
            args.query,
            kinds=tuple(args.kind),
            tags=tuple(args.tag),
            family=args.family,
            use_case=args.use_case,
            host=args.host,
            model=args.model,
            limit=args.limit,
        )
    if args.json:
        payload = [
            {
                "id": hit.id,
                "target": hit.target,
                "kind": hit.kind,
                "name": hit.name,
                "tags": [str(tag) for tag in hit.tags],
                "snippet": hit.snippet,
                "score": hit.score,
            }
            for hit in hits
        ]
        print_json(payload)
        return 0
    if not hits:
        print("no matches")
        return 0
    for hit in hits:
        families = ",".join(tag.value for tag in hit.tags if tag.category == "family")
        label = f" [{families}]" if families else ""
        print(f"{hit.id:>6}  {safe(hit.kind):<10}  {safe(hit.name + label)}")
        if hit.snippet:
            print(f"        {safe(hit.snippet, lines='join')}")
    return 0


@dataclass(frozen=True, slots=True)
class ImportSource:
    """One file to import: its text and whether it is a bundle."""

    path: Path
    text: str
    is_bundle: bool

    @property
    def modelfile_name(self) -> str:
        """The Modelfile's name: the file stem, or the folder's name for a file named Modelfile."""
        if self.path.stem.lower() == "modelfile" and self.path.resolve().parent.name:
            return self.path.resolve().parent.name
        return self.path.stem


def read_source(path: Path) -> ImportSource:
    """Read an import file; a .json file or text starting with `{` is a bundle."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import decode
    from modelarium.store import StoreError

    try:
        data = path.read_bytes()
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror or error}") from error
    text = decode(data)
    is_bundle = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    return ImportSource(path, text, is_bundle)


@guarded
def run_import(args: argparse.Namespace) -> int:
    """`library import`: preview every file; with --yes, write them (all or nothing per run)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import StoreError
    from modelarium.store.exchange import parse_bundle_text

    sources = [read_source(path) for path in args.files]
    with open_library(args.database) as library:

        def import_one(source: ImportSource, dry_run: bool) -> list[str]:
            try:
                if source.is_bundle:
                    data = parse_bundle_text(source.text, str(source.path))
                    report = library.import_bundle(data, dry_run=dry_run)
                else:
                    report = library.import_modelfile_text(
                        source.text, source.modelfile_name, dry_run=dry_run
                    )
            except StoreError as error:
                message = str(error)
                prefix = f"{source.path}: "
                raise StoreError(
                    message if message.startswith(prefix) else prefix + message
                ) from error
            return report.lines()

        previews = [(source, import_one(source, True)) for source in sources]
        for source, lines in previews:
            print(f"{safe(str(source.path))}:")
            for line in lines or ["nothing to import"]:
                print(f"  {safe(line)}")
        if not args.yes:
            print("Nothing written; run again with --yes to import.")
            return 0
        for source in sources:
            import_one(source, False)
        print(safe(f"Imported {counted(len(sources), 'file')} into {library.location}."))
    return 0


@guarded
def run_export(args: argparse.Namespace) -> int:
    """`library export`: the whole library as a bundle, or one Modelfile as text."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import GenerateError

    with open_library(args.database) as library:
        if args.format == "modelfile":
            if args.id is None:
                return fail(
                    "--format modelfile needs --id ID (see `library search --kind modelfile`)"
                )
            try:
                text = library.modelfile_text(args.id)
            except GenerateError as error:
                return fail(f"Modelfile {args.id}: {error}")
        else:
            if args.id is not None:
                return fail("--id applies to --format modelfile only")
            text = json_text(library.export_bundle()) + "\n"
    if args.out is None:
        write_data(text)
        return 0
    return write_output(args.out, text, force=args.force)


def write_output(path: Path, text: str, *, force: bool) -> int:
    """Write an export to `path` atomically; 0, or 1 with the reason it stopped.

    An existing path (a file, or a symbolic link even if dangling) is replaced only with
    `--force`; a link is then replaced by the file, never written through, so an export cannot
    land wherever the link happens to point."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.fileio import write_atomically

    shown = safe(str(path))
    if path.is_dir() and not path.is_symlink():
        return fail(f"{shown}: is a folder; name a file to write")
    if path.is_symlink() and not force:
        return fail(f"{shown} exists (a symbolic link); add --force to replace the link")
    if path.exists() and not force:
        return fail(f"{shown} exists; add --force to replace it")
    try:
        write_atomically(path, text.encode("utf-8"), through_symlink=False)
    except OSError as error:
        return fail(f"{shown}: cannot write: {error.strerror or error}")
    print(f"wrote {shown}")
    return 0


def element_json(stored: StoredElement) -> dict[str, Any]:
    """A stored element as JSON data."""
    return {
        "id": stored.id,
        "kind": stored.kind.value,
        "name": stored.name,
        "curated": stored.curated,
        "content": stored.element.content_json(),
        "tags": [str(tag) for tag in stored.tags],
        "provenance": [
            {
                "host": p.host,
                "model": p.model,
                "model_digest": p.model_digest,
                "extracted_at": p.extracted_at.isoformat() if p.extracted_at else None,
            }
            for p in stored.provenance
        ],
        "notes": stored.notes,
        "used_by": list(stored.used_by),
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
    }


@guarded
def run_show(args: argparse.Namespace) -> int:
    """`library show`: one element (content as Modelfile lines) or one Modelfile."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import GenerateError, generate_modelfile

    with open_library(args.database) as library:
        if args.modelfile:
            modelfile = library.get_modelfile(args.id)
            try:
                text = generate_modelfile(modelfile.elements)
            except GenerateError as error:
                text = f"(cannot write as Modelfile text: {error})\n"
            if args.json:
                print_json(
                    {
                        "id": modelfile.id,
                        "name": modelfile.name,
                        "description": modelfile.description,
                        "elements": [entry.element_id for entry in modelfile.entries],
                        "text": text,
                    }
                )
                return 0
            print(f"Modelfile {modelfile.id}: {safe(modelfile.name)}")
            if modelfile.description:
                print(safe(modelfile.description, lines="keep"))
            for entry in modelfile.entries:
                print(f"  element {entry.element_id}: {safe(entry.name)}")
            print()
            print(safe(text, lines="keep"), end="")
            return 0
        stored = library.get_element(args.id)
    if args.json:
        print_json(element_json(stored))
        return 0
    flag = "  (curated, read-only)" if stored.curated else ""
    print(f"{stored.kind.value} element {stored.id}: {safe(stored.name)}{flag}")
    if stored.tags:
        print("tags: " + safe(", ".join(str(tag) for tag in stored.tags)))
    for p in stored.provenance:
        when = f" at {p.extracted_at:%Y-%m-%d %H:%M}" if p.extracted_at else ""
        digest = f" ({p.model_digest[:12]})" if p.model_digest else ""
        print(safe(f"seen on {p.host}: {p.model}{digest}{when}"))
    if stored.used_by:
        print("used by: " + safe(", ".join(stored.used_by)))
    if stored.notes:
        print("notes:")
        for line in stored.notes.splitlines():
            print(f"  {safe(line)}")
    print()
    try:
        print(safe(generate_modelfile([stored.element]), lines="keep"), end="")
    except GenerateError as error:
        print(safe(f"(cannot write as Modelfile text: {error})"))
    return 0


@guarded
def run_db_copy(args: argparse.Namespace) -> int:
    """`db copy`: every element, Modelfile, draft and trial result from one database into
    another."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store.copy import copy_library

    report = copy_library(args.source, args.target)
    for line in report.summary():
        print(safe(line))
    return 0
