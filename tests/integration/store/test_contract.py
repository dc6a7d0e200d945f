"""The library contract, run identically on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from modelarium.modelfile.elements import Element, ElementKind, Message, Parameter
from modelarium.store import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    BundleError,
    CuratedElementError,
    DuplicateContent,
    ElementInUse,
    ElementNotFound,
    Library,
    ModelfileImportError,
    NewElement,
    Provenance,
    StoreError,
    Tag,
)

PIRATE_MODELFILE = """FROM llama3.2:3b
PARAMETER temperature 0.3
PARAMETER stop "<|eot_id|>"
SYSTEM You are a pirate who reviews Python code.
MESSAGE user Ahoy?
MESSAGE assistant Arr, show me yer code.
"""


def system(text: str) -> Element:
    return Element(ElementKind.SYSTEM, value=text)


def user_count(library: Library) -> int:
    return sum(1 for stored in library.list_elements() if not stored.curated)


def test_a_fresh_library_holds_curated_seed_elements(library: Library) -> None:
    curated = [stored for stored in library.list_elements() if stored.curated]
    assert len(curated) > 50
    kinds = {stored.kind for stored in curated}
    assert {ElementKind.TEMPLATE, ElementKind.PARAMETERS, ElementKind.SYSTEM} <= kinds
    for stored in curated:
        categories = {tag.category for tag in stored.tags}
        assert {"family", "use_case", "source"} <= categories, stored.name
        assert "Source (" in stored.notes, stored.name


def test_reopening_does_not_seed_twice(library_url: str) -> None:
    first = Library.open(library_url)
    count = first.count_elements()
    first.close()
    second = Library.open(library_url)
    try:
        assert second.count_elements() == count
    finally:
        second.close()


def test_prefix_search_ranks_and_highlights(library: Library) -> None:
    library.add_elements([NewElement(system("Review the pull request like a pirate."), "pirate")])
    hits = library.search("pira")
    assert [hit.name for hit in hits] == ["pirate"]
    assert f"{HIGHLIGHT_START}pirate{HIGHLIGHT_END}" in hits[0].snippet
    assert hits[0].target == "element" and hits[0].kind == "system" and hits[0].score > 0
    assert library.search("templ", kinds=["template"], limit=5)
    assert all(hit.kind == "template" for hit in library.search("templ", kinds=["template"]))


def test_every_query_word_must_match(library: Library) -> None:
    library.add_elements(
        [
            NewElement(system("Answer as a careful pirate."), "careful pirate"),
            NewElement(system("Answer as a reckless pirate."), "reckless pirate"),
        ]
    )
    assert [hit.name for hit in library.search("pirate care")] == ["careful pirate"]
    assert len(library.search("pirate answer")) == 2
    assert library.search("pirate zebra") == []


def test_search_sees_renames_and_forgets_old_words(library: Library) -> None:
    [stored] = library.add_elements([NewElement(system("Speak like a parrot."), "parrot voice")])
    library.update_element(stored.id, element=system("Speak like a walrus."), name="walrus voice")
    assert [hit.id for hit in library.search("walrus")] == [stored.id]
    assert library.search("parrot") == []


def test_empty_query_lists_everything_the_filters_allow(library: Library) -> None:
    everything = library.search("", limit=10_000)
    assert len(everything) == library.count_elements()
    names = [hit.name.lower() for hit in everything]
    assert names == sorted(names)
    granite_code = library.search("", family="granite", use_case="code")
    assert granite_code
    for hit in granite_code:
        assert Tag("family", "granite") in hit.tags and Tag("use_case", "code") in hit.tags
    assert library.search("", tags=["family:granite", "use_case:code"]) == granite_code
    assert library.search("", tags=[Tag("family", "granite"), "code"]) == granite_code


def test_filters_by_kind_tag_and_provenance(library: Library) -> None:
    seen = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    library.add_elements(
        [
            NewElement(
                system("Be terse."),
                "terse",
                (Tag("free", "house-style"),),
                Provenance("gpu-box", "qwen3:8b", "sha256:abc", seen),
            ),
            NewElement(
                system("Be verbose."),
                "verbose",
                (Tag("free", "house-style"),),
                Provenance("laptop", "llama3.2:3b", "sha256:def", seen),
            ),
        ]
    )
    assert [h.name for h in library.search("be", tags=["house-style"])] == ["terse", "verbose"]
    assert [h.name for h in library.search("", host="gpu-box")] == ["terse"]
    assert [h.name for h in library.search("", model="llama3.2")] == ["verbose"]
    assert [h.name for h in library.search("", model="llama3.2:3b")] == ["verbose"]
    assert library.search("", host="gpu-box", kinds=["template"]) == []
    assert library.search("be", kinds=["system"], tags=["house-style"], limit=1)[0].name == "terse"


def test_search_covers_modelfiles(library: Library) -> None:
    library.save_modelfile(
        "reviewer", [system("Review code.")], description="A strict code reviewer for Python"
    )
    hits = library.search("strict reviewer")
    assert [(hit.target, hit.kind, hit.name) for hit in hits] == [
        ("modelfile", "modelfile", "reviewer")
    ]
    assert library.search("review", kinds=["modelfile"])[0].name == "reviewer"
    assert all(hit.target == "element" for hit in library.search("review", family="qwen"))


def test_typos_in_names_still_find_elements(library: Library) -> None:
    library.add_elements([NewElement(system("x"), "granite tool calling")])
    hits = library.search("granit toool")
    assert hits and hits[0].name == "granite tool calling"


def test_the_same_modelfile_imported_twice_is_stored_once(library: Library) -> None:
    before = library.count_elements()
    first = library.import_modelfile_text(PIRATE_MODELFILE, "pirate", dry_run=False)
    assert len(first.elements_added) == 4 and first.modelfiles_added == ("pirate",)
    middle = library.count_elements()
    assert middle == before + 4
    second = library.import_modelfile_text(PIRATE_MODELFILE, "pirate", dry_run=False)
    assert second.elements_added == () and len(second.elements_present) == 4
    assert second.modelfiles_added == () and second.modelfiles_present == ("pirate",)
    assert library.count_elements() == middle
    [modelfile] = library.list_modelfiles()
    assert [entry.element.kind for entry in modelfile.entries] == [
        ElementKind.BASE,
        ElementKind.PARAMETERS,
        ElementKind.SYSTEM,
        ElementKind.MESSAGES,
    ]
    assert modelfile.entries[3].element.messages == (
        Message("user", "Ahoy?"),
        Message("assistant", "Arr, show me yer code."),
    )
    assert library.modelfile_text(modelfile.id) == (
        "FROM llama3.2:3b\nPARAMETER temperature 0.3\nPARAMETER stop <|eot_id|>\n"
        "SYSTEM You are a pirate who reviews Python code.\nMESSAGE user Ahoy?\n"
        "MESSAGE assistant Arr, show me yer code.\n"
    )


def test_a_dry_run_import_writes_nothing(library: Library) -> None:
    before = library.count_elements()
    report = library.import_modelfile_text(PIRATE_MODELFILE, "pirate", dry_run=True)
    assert report.dry_run and len(report.elements_added) == 4
    assert library.count_elements() == before
    assert library.list_modelfiles() == []


def test_a_broken_modelfile_is_refused_with_its_line(library: Library) -> None:
    before = library.count_elements()
    with pytest.raises(ModelfileImportError, match="broken"):
        library.import_modelfile_text("FROM x\nPARAMETER\n", "broken", dry_run=False)
    assert library.count_elements() == before


def test_preview_reports_new_present_and_repeated_without_writing(library: Library) -> None:
    [stored] = library.add_elements([NewElement(system("Known."), "known")])
    preview = library.preview_import(
        [
            NewElement(system("Known."), "again"),
            NewElement(system("Fresh."), "fresh"),
            NewElement(system("Fresh."), "fresh twice"),
        ]
    )
    assert [item.status for item in preview.items] == ["present", "new", "repeated"]
    assert preview.items[0].existing_id == stored.id and preview.new_count == 1
    assert library.search("fresh") == []


def test_adding_known_content_merges_tags_and_provenance(library: Library) -> None:
    first = Provenance("a", "m1", "d1", None)
    second = Provenance("b", "m2", "d2", None)
    [one] = library.add_elements([NewElement(system("Same."), "same", (Tag("free", "x"),), first)])
    [two] = library.add_elements(
        [NewElement(system("Same."), "other", (Tag("free", "y"),), second)]
    )
    assert one.id == two.id and two.name == "same"
    assert set(two.tags) == {Tag("free", "x"), Tag("free", "y")}
    assert {p.host for p in two.provenance} == {"a", "b"}
    assert [hit.id for hit in library.search("", tags=["y"])] == [one.id]


def test_deleting_a_modelfile_keeps_elements_other_modelfiles_use(library: Library) -> None:
    shared = system("Shared system prompt.")
    first = library.save_modelfile("first", [Element(ElementKind.BASE, value="a"), shared])
    second = library.save_modelfile("second", [Element(ElementKind.BASE, value="b"), shared])
    shared_id = first.entries[1].element_id
    assert second.entries[1].element_id == shared_id
    assert set(library.get_element(shared_id).used_by) == {"first", "second"}
    library.delete_modelfile(first.id)
    assert library.get_element(shared_id).used_by == ("second",)
    assert library.get_modelfile(second.id).elements[1] == shared
    with pytest.raises(ElementNotFound):
        library.get_modelfile(first.id)


def test_deleting_an_element_in_use_names_the_modelfiles(library: Library) -> None:
    modelfile = library.save_modelfile("user", [Element(ElementKind.BASE, value="m"), system("S")])
    element_id = modelfile.entries[1].element_id
    with pytest.raises(ElementInUse, match="is used by Modelfile 'user';") as caught:
        library.delete_element(element_id)
    assert caught.value.modelfiles == ("user",)
    library.delete_element(element_id, force=True)
    assert [entry.element.kind for entry in library.get_modelfile(modelfile.id).entries] == [
        ElementKind.BASE
    ]
    with pytest.raises(ElementNotFound):
        library.get_element(element_id)


def test_curated_elements_are_read_only_but_can_be_copied(library: Library) -> None:
    curated = next(stored for stored in library.list_elements() if stored.curated)
    with pytest.raises(CuratedElementError, match="read-only"):
        library.delete_element(curated.id)
    with pytest.raises(CuratedElementError):
        library.set_tags(curated.id, [])
    with pytest.raises(CuratedElementError):
        library.update_element(curated.id, name="mine")
    copy = library.copy_element(curated.id, "my copy")
    assert not copy.curated and copy.element == curated.element and copy.tags == curated.tags
    with pytest.raises(DuplicateContent):
        library.copy_element(curated.id, "second copy")
    changed = library.update_element(copy.id, element=system("My own."), notes="edited")
    assert changed.element == system("My own.") and library.get_element(curated.id) == curated
    library.delete_element(copy.id)


def test_set_tags_replaces_tags_and_search_follows(library: Library) -> None:
    [stored] = library.add_elements([NewElement(system("T."), "tagged", (Tag("free", "old"),))])
    updated = library.set_tags(stored.id, [Tag("family", "mistral"), Tag("use_case", "tools")])
    assert updated.tags == (Tag("family", "mistral"), Tag("use_case", "tools"))
    assert stored.id in [hit.id for hit in library.search("", family="mistral", use_case="tools")]
    assert library.search("", tags=["old"]) == []
    with pytest.raises(StoreError, match="category"):
        library.set_tags(stored.id, [Tag("colour", "red")])  # type: ignore[arg-type]


def test_elements_round_trip_every_kind(library: Library) -> None:
    elements = [
        Element(
            ElementKind.PARAMETERS,
            parameters=(
                Parameter("stop", "a"),
                Parameter("stop", "b"),
                Parameter("temperature", "0.1"),
            ),
        ),
        Element(
            ElementKind.MESSAGES, messages=(Message("user", "hi\nthere"), Message("assistant", ""))
        ),
        Element(ElementKind.TEMPLATE, value="{{ .Prompt }}\n  ünïcode ✓\r\n"),
    ]
    stored = library.add_elements([NewElement(e, f"e{i}") for i, e in enumerate(elements)])
    assert [library.get_element(s.id).element for s in stored] == elements


def test_drafts_keep_editor_text_exactly(library: Library) -> None:
    text = 'FROM llama3\r\nSYSTEM """unterminated\n\tPARAMETER ✓ trailing  \n'
    draft = library.save_draft(text, name="draft one", origin="/tmp/Modelfile")
    assert library.get_draft(draft.id).text == text
    updated = library.save_draft(text + "more", draft_id=draft.id, name="draft one", origin="x")
    assert updated.id == draft.id and updated.updated_at >= draft.updated_at
    second = library.save_draft("FROM b", name="draft two", origin="new")
    assert [d.id for d in library.list_drafts()] == [second.id, draft.id]
    assert library.list_modelfiles() == [] and library.search("unterminated") == []
    library.discard_draft(draft.id)
    library.discard_draft(draft.id)
    assert [d.id for d in library.list_drafts()] == [second.id]
    revived = library.save_draft("again", draft_id=draft.id, name="revived", origin="new")
    assert revived.id != draft.id


def test_a_bundle_round_trips_into_a_fresh_library(
    library: Library, library_url: str, request: pytest.FixtureRequest, tmp_path: object
) -> None:
    from tests.integration.store.conftest import fresh_url

    library.import_modelfile_text(PIRATE_MODELFILE, "pirate", dry_run=False)
    library.add_elements(
        [
            NewElement(
                system("Tagged."),
                "tagged",
                (Tag("family", "qwen"),),
                Provenance("h", "m", "d", datetime(2026, 1, 2, tzinfo=UTC)),
            )
        ]
    )
    library.save_draft("draft text", name="d", origin="o")
    bundle = library.export_bundle()
    assert bundle["format"] == "modelarium-bundle" and bundle["version"] == 1
    engine = "postgresql" if library.dialect == "postgresql" else "sqlite"
    other = Library.open(fresh_url(engine, request, tmp_path))  # type: ignore[arg-type]
    try:
        dry = other.import_bundle(bundle, dry_run=True)
        assert dry.modelfiles_added == ("pirate",) and len(dry.elements_added) == 5
        assert other.list_modelfiles() == []
        report = other.import_bundle(bundle, dry_run=False)
        assert len(report.elements_added) == 5 and report.drafts_added == ("d",)
        again = other.import_bundle(bundle, dry_run=False)
        assert not again.changed
        [modelfile] = other.list_modelfiles()
        assert other.modelfile_text(modelfile.id) == library.modelfile_text(
            library.list_modelfiles()[0].id
        )
        [hit] = other.search("tagged")
        stored = other.get_element(hit.id)
        assert stored.tags == (Tag("family", "qwen"),)
        assert stored.provenance == (Provenance("h", "m", "d", datetime(2026, 1, 2, tzinfo=UTC)),)
        assert [d.text for d in other.list_drafts()] == ["draft text"]
    finally:
        other.close()


@pytest.mark.parametrize(
    ("bundle", "message"),
    [
        ({"format": "modelarium-bundle", "version": 2}, "version: 2 is not supported"),
        ({"format": "something-else", "version": 1}, "format"),
        ([], "top level: must be a JSON object"),
        (
            {
                "format": "modelarium-bundle",
                "version": 1,
                "elements": [{"id": 1, "name": "x", "content": {"kind": "nonsense"}}],
            },
            r"elements\[0\].content",
        ),
        (
            {
                "format": "modelarium-bundle",
                "version": 1,
                "elements": [{"id": 1, "name": "ok", "content": {"kind": "system", "value": "v"}}],
                "modelfiles": [{"name": "m", "elements": [7]}],
            },
            r"modelfiles\[0\].elements\[0\]: 7 names no bundle element",
        ),
    ],
)
def test_a_bad_bundle_writes_nothing(library: Library, bundle: object, message: str) -> None:
    before = library.export_bundle()
    with pytest.raises(BundleError, match=message):
        library.import_bundle(bundle, dry_run=False)
    after = library.export_bundle()
    assert after["elements"] == before["elements"] and after["modelfiles"] == before["modelfiles"]


def test_missing_ids_raise_clear_errors(library: Library) -> None:
    with pytest.raises(ElementNotFound, match="no element with id 999999"):
        library.get_element(999_999)
    with pytest.raises(ElementNotFound, match="no Modelfile"):
        library.get_modelfile(999_999)
    with pytest.raises(ElementNotFound, match="no draft"):
        library.get_draft(999_999)


def test_calls_from_many_threads_at_once(library: Library) -> None:
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            for step in range(5):
                library.add_elements(
                    [NewElement(system(f"thread {number} step {step}"), f"t{number}")]
                )
                library.search(f"thread {number}")
                library.save_draft(f"text {step}", name=f"draft {number}", origin="t")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert user_count(library) == 30
    assert len(library.search("thread", limit=100)) == 30


def test_filter_tokens_narrow_searches_but_never_decide_them(library: Library) -> None:
    library.add_elements(
        [
            NewElement(Element(ElementKind.TEMPLATE, value="zzkindsystem walrus"), "decoy"),
            NewElement(system("walrus"), "real", (Tag("family", "walrus-family"),)),
        ]
    )
    assert [hit.name for hit in library.search("walrus", kinds=["system"])] == ["real"]
    assert [hit.name for hit in library.search("walrus", family="walrus-family")] == ["real"]
    assert library.search("zzkindsys", kinds=["system"]) == []
    assert [hit.name for hit in library.search("zzkindsys")] == ["decoy"]
