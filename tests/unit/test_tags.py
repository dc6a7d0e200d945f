"""One tag parser for every dialog: commas and blanks separate, each tag once, none with a
blank inside (the extraction dialog used to keep `code favourite` as one tag)."""

from __future__ import annotations

from modelarium.store.tags import parse_tags
from modelarium.store.types import Tag


def test_commas_and_blanks_separate_and_repeats_collapse() -> None:
    assert parse_tags("use_case:code favourite, favourite") == (
        Tag("use_case", "code"),
        Tag("free", "favourite"),
    )


def test_no_tag_holds_a_blank() -> None:
    tags = parse_tags(" family:qwen ,, mine\tyours \n ours ")
    assert tags == (
        Tag("family", "qwen"),
        Tag("free", "mine"),
        Tag("free", "yours"),
        Tag("free", "ours"),
    )
    assert all(not any(char.isspace() for char in tag.value) for tag in tags)


def test_unknown_categories_and_empty_values_are_free_words() -> None:
    assert parse_tags("colour:red family:") == (Tag("free", "colour:red"), Tag("free", "family:"))
    assert parse_tags("  ,  ") == ()


def test_the_dialogs_use_the_store_parser() -> None:
    from modelarium.tui.dialogs import editor_save
    from modelarium.tui.library import tags_dialog
    from modelarium.tui.models import extract

    for dialog in (extract, tags_dialog, editor_save):
        assert vars(dialog)["parse_tags"] is parse_tags, dialog.__name__
