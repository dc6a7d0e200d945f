"""Files written from the command line: an existing path is replaced only with `--force` (or the
command says why it stopped), every write is atomic, `format --write` edits the file a symbolic
link points to and keeps the link, and `library export --out` never follows a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelarium import fileio
from modelarium.cli import main

MESSY = 'from x\nsystem "hi"\n'
TIDY = "FROM x\nSYSTEM hi\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted write would leave behind."""
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_export_writes_a_new_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "bundle.json"
    code, out, err = run(capsys, "library", "export", "--out", str(target))
    assert (code, err) == (0, "")
    assert out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("{")
    assert target.stat().st_mode & 0o044
    assert leftovers(tmp_path) == []


def test_export_stops_at_an_existing_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bundle.json"
    target.write_text("mine\n", encoding="utf-8")
    code, out, err = run(capsys, "library", "export", "--out", str(target))
    assert (code, out) == (1, "")
    assert err == f"modelarium: {target} exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "mine\n"
    code, _, err = run(capsys, "library", "export", "--out", str(target), "--force")
    assert (code, err) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("{")


def test_export_never_follows_a_symbolic_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "bundle.json"
    link.symlink_to(victim)
    code, _, err = run(capsys, "library", "export", "--out", str(link))
    assert code == 1
    assert "a symbolic link" in err and "--force" in err
    code, _, err = run(capsys, "library", "export", "--out", str(link), "--force")
    assert (code, err) == (0, "")
    assert not link.is_symlink()  # the link itself was replaced by the export
    assert link.read_text(encoding="utf-8").startswith("{")
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_export_to_a_dangling_link_creates_nothing_where_it_points(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "elsewhere" / "planted.json"
    link = tmp_path / "bundle.json"
    link.symlink_to(nowhere)
    code, _, err = run(capsys, "library", "export", "--out", str(link))
    assert code == 1 and "a symbolic link" in err
    code, _, err = run(capsys, "library", "export", "--out", str(link), "--force")
    assert (code, err) == (0, "")
    assert not link.is_symlink() and not nowhere.exists()


def test_export_to_a_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "library", "export", "--out", str(tmp_path), "--force")
    assert code == 1
    assert err == f"modelarium: {tmp_path}: is a folder; name a file to write\n"


def test_format_write_edits_the_file_a_link_points_to_and_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real" / "Modelfile"
    real.parent.mkdir()
    real.write_text(MESSY, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "Modelfile"
    link.symlink_to(Path("real") / "Modelfile")  # relative, as links in a repository are
    code, _, err = run(capsys, "modelfile", "format", "--write", str(link))
    assert code == 0
    assert err == f"{link}: reformatted\n"
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "Modelfile")
    assert real.read_text(encoding="utf-8") == TIDY
    assert real.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Modelfile"
    path.write_text(MESSY, encoding="utf-8")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run(capsys, "modelfile", "format", "--write", str(path))
    assert code == 1
    assert err == f"{path}: cannot write: No space left on device\n"
    assert path.read_text(encoding="utf-8") == MESSY
    assert leftovers(tmp_path) == []


def test_write_atomically_replaces_a_link_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_bytes(b"old")
    link = tmp_path / "link"
    link.symlink_to(target)
    fileio.write_atomically(link, b"through")
    assert link.is_symlink() and target.read_bytes() == b"through"
    fileio.write_atomically(link, b"replaced", through_symlink=False)
    assert not link.is_symlink() and link.read_bytes() == b"replaced"
    assert target.read_bytes() == b"through"
    assert link.stat().st_mode & 0o777 == 0o644


def test_screenshot_stops_before_replacing_svgs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "models.svg").write_text("<svg/>", encoding="utf-8")
    code, out, err = run(capsys, "screenshot", "--out", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == (
        f"modelarium screenshot: {tmp_path} already holds models.svg; add --force to replace them\n"
    )
    assert (tmp_path / "models.svg").read_text(encoding="utf-8") == "<svg/>"
