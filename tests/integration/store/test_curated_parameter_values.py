"""Curated parameter sets are valid PARAMETER text: an int parameter's value is an integer
(`top_k 20`, never `top_k 20.0`, which Ollama's create refuses), and a library seeded before
that rule is repaired at open without touching the user's own elements."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from modelarium.modelfile import Element, ElementKind, Parameter
from modelarium.modelfile.lint import lint
from modelarium.store import Library
from modelarium.store.models import ElementRow
from modelarium.store.rows import element_of, set_content


def _curated_parameter_rows(library: Library) -> list[tuple[str, Element]]:
    with library.reading() as session:
        rows = session.scalars(
            select(ElementRow).where(
                ElementRow.curated.is_(True), ElementRow.kind == ElementKind.PARAMETERS.value
            )
        )
        return [(row.name, element_of(row)) for row in rows]


def test_every_seeded_curated_parameter_set_lints_without_mf021(tmp_path: Path) -> None:
    with Library.open(f"sqlite:///{tmp_path / 'library.sqlite3'}") as library:
        sets = _curated_parameter_rows(library)
    assert len(sets) > 29
    failures = []
    for name, element in sets:
        text = "FROM base\n" + element.plain_text()
        codes = [problem.code for problem in lint(text) if problem.severity == "error"]
        if "MF021" in codes:
            failures.append((name, element.plain_text()))
    assert failures == []
    qwen = [e for name, e in sets if "Qwen3-8B thinking" in name]
    assert qwen and all(
        p.value == "20" for element in qwen for p in element.parameters if p.name == "top_k"
    )


def test_open_repairs_old_curated_bodies_and_leaves_user_elements_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    with Library.open(url) as library, library.writing() as session:
        curated = session.scalars(
            select(ElementRow).where(
                ElementRow.curated.is_(True),
                ElementRow.kind == ElementKind.PARAMETERS.value,
                ElementRow.name.contains("Qwen3-8B thinking"),
            )
        ).first()
        assert curated is not None
        curated_id, good = curated.id, element_of(curated)
        assert "top_k 20\n" in good.plain_text()
        # As the seed before the typed rule wrote it: every whole number as `N.0`.
        broken = Element(
            ElementKind.PARAMETERS,
            parameters=tuple(
                Parameter(p.name, f"{p.value}.0" if p.value.isdigit() else p.value)
                for p in good.parameters
            ),
        )
        for row, parameter in zip(curated.parameters, broken.parameters, strict=True):
            row.value = parameter.value
        curated.body, curated.content_hash = broken.plain_text(), broken.content_hash
        user = ElementRow(name="my set", kind="parameters", notes="", curated=False)
        set_content(user, broken)
        session.add(user)
        session.flush()
        user_id = user.id
    assert "top_k 20.0\n" in broken.plain_text()
    with Library.open(url) as library, library.reading() as session:
        repaired = session.get(ElementRow, curated_id)
        mine = session.get(ElementRow, user_id)
        assert repaired is not None and mine is not None
        assert element_of(repaired) == good
        assert repaired.body == good.plain_text()
        assert repaired.content_hash == good.content_hash
        assert element_of(mine) == broken
        assert mine.body == broken.plain_text()
