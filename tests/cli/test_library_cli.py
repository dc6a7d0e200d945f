"""`modelarium library ...` and `modelarium db copy` end to end on the default SQLite library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelarium.cli import main

MODELFILE = "FROM llama3.2:3b\nPARAMETER temperature 0.25\nSYSTEM You answer like a pirate.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def modelfile(tmp_path: Path) -> Path:
    folder = tmp_path / "pirate"
    folder.mkdir()
    path = folder / "Modelfile"
    path.write_text(MODELFILE, encoding="utf-8")
    return path


def test_import_previews_then_writes_with_yes(
    capsys: pytest.CaptureFixture[str], modelfile: Path
) -> None:
    code, out, _ = run(capsys, "library", "import", str(modelfile))
    assert code == 0
    assert "would add element pirate system" in out and "--yes" in out
    assert json.loads(run(capsys, "library", "search", "pirate", "--json")[1]) == []
    code, out, _ = run(capsys, "library", "import", "--yes", str(modelfile))
    assert code == 0 and "Imported 1 file into" in out
    code, out, _ = run(capsys, "library", "import", "--yes", str(modelfile))
    assert "already present: element pirate system" in out
    hits = json.loads(run(capsys, "library", "search", "pirate", "--json")[1])
    assert (hits[0]["kind"], hits[0]["name"]) == ("system", "pirate system")
    assert sorted((hit["kind"], hit["name"]) for hit in hits[1:]) == [
        ("base", "pirate base"),
        ("modelfile", "pirate"),
        ("parameters", "pirate parameters"),
    ]
    assert {"id", "kind", "name", "tags", "snippet"} <= set(hits[0])
    assert hits[0]["snippet"] == "You answer like a «pirate»."


def test_search_filters_and_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "library", "search", "--family", "granite", "--use-case", "code", "--limit", "2"
    )
    assert code == 0 and "granite" in out
    hits = json.loads(
        run(
            capsys, "library", "search", "", "--kind", "template", "--tag", "family:qwen", "--json"
        )[1]
    )
    assert hits and all(h["kind"] == "template" and "family:qwen" in h["tags"] for h in hits)
    assert run(capsys, "library", "search", "zzzqqq")[1] == "no matches\n"


def test_show_and_export(
    capsys: pytest.CaptureFixture[str], modelfile: Path, tmp_path: Path
) -> None:
    run(capsys, "library", "import", "--yes", str(modelfile))
    [hit] = json.loads(run(capsys, "library", "search", "pirate", "--kind", "system", "--json")[1])
    code, out, _ = run(capsys, "library", "show", str(hit["id"]))
    assert code == 0 and "used by: pirate" in out and "SYSTEM You answer like a pirate." in out
    [modelfile_hit] = json.loads(
        run(capsys, "library", "search", "pirate", "--kind", "modelfile", "--json")[1]
    )
    code, out, _ = run(
        capsys, "library", "export", "--format", "modelfile", "--id", str(modelfile_hit["id"])
    )
    assert code == 0 and out == MODELFILE
    bundle_path = tmp_path / "bundle.json"
    assert run(capsys, "library", "export", "--out", str(bundle_path))[0] == 0
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    assert bundle["format"] == "modelarium-bundle" and bundle["version"] == 1
    assert [m["name"] for m in bundle["modelfiles"]] == ["pirate"]


def test_db_copy_and_bundle_import(
    capsys: pytest.CaptureFixture[str], modelfile: Path, tmp_path: Path
) -> None:
    run(capsys, "library", "import", "--yes", str(modelfile))
    source = tmp_path / "source.sqlite3"
    target = tmp_path / "target.sqlite3"
    run(capsys, "library", "--database", f"sqlite:///{source}", "import", "--yes", str(modelfile))
    code, out, _ = run(
        capsys, "db", "copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{target}"
    )
    assert code == 0 and "Modelfiles: 1 added" in out
    bundle = tmp_path / "b.json"
    run(capsys, "library", "--database", f"sqlite:///{target}", "export", "--out", str(bundle))
    fresh = tmp_path / "fresh.sqlite3"
    code, out, _ = run(
        capsys, "library", "--database", f"sqlite:///{fresh}", "import", "--yes", str(bundle)
    )
    assert code == 0 and "would add Modelfile pirate" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "modelarium-bundle", "version": 7}', "version: 7 is not supported"),
        ('{"format": "modelarium-bundle",', "line 1, column 32: malformed JSON"),
        ("FROM x\nPARAMETER\n", "nothing was imported"),
    ],
)
def test_bad_imports_fail_cleanly_and_write_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, modelfile: Path, content: str, message: str
) -> None:
    bad = tmp_path / ("bad.json" if content.startswith("{") else "Bad.modelfile")
    bad.write_text(content, encoding="utf-8")
    code, _out, err = run(capsys, "library", "import", "--yes", str(modelfile), str(bad))
    assert code == 1
    assert err.startswith(f"modelarium: {bad}") and message in err
    assert "Traceback" not in err
    assert json.loads(run(capsys, "library", "search", "pirate", "--json")[1]) == []


def test_bad_databases_fail_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "library", "--database", "mysql://x/y", "search", "a")
    assert code == 1 and err == (
        "modelarium: database URL scheme 'mysql' is not supported; "
        "use sqlite:///PATH or postgresql://USER@HOST/DB\n"
    )
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("junk", encoding="utf-8")
    code, _, err = run(capsys, "library", "--database", f"sqlite:///{junk}", "search", "a")
    assert code == 1 and "not a SQLite database" in err and err.count("\n") == 1
    code, _, err = run(capsys, "library", "show", "424242")
    assert code == 1 and "no element with id 424242" in err
    code, _, err = run(capsys, "library", "export", "--format", "modelfile")
    assert code == 1 and "needs --id" in err
    code, _, err = run(capsys, "library", "import", str(tmp_path / "missing"))
    assert code == 1 and "cannot read" in err
