"""One create, built once: the license decision as a pure function of the base's licenses,
and the exact bytes the preview shows and the client sends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelarium.modelfile.create import (
    CreateRequest,
    build_create_request,
    inherited_licenses,
    licenses_of_modelfile,
    model_create,
)
from modelarium.modelfile.parser import parse

EXTRACTED = (
    "FROM llama3.1:8b\n"
    'LICENSE """Llama 3.1 license"""\n'
    'LICENSE """Acceptable use policy"""\n'
    "PARAMETER num_ctx 32768\n"
)
BASE_LICENSES = ("Llama 3.1 license", "Acceptable use policy")


@pytest.mark.parametrize(
    ("licenses", "base", "kept"),
    [
        (("a", "b"), ("a", "b"), 2),  # an extracted model: exactly the base's
        (("a", "b", "c"), ("a", "b"), 2),  # the base's, then one of its own
        (("b", "a"), ("a", "b"), 0),  # another order is not the base's list
        (("a",), ("a", "b"), 0),  # only part of the base's
        (("x",), (), 0),  # a base without licenses
        ((), ("a",), 0),
    ],
)
def test_inherited_licenses(licenses: tuple[str, ...], base: tuple[str, ...], kept: int) -> None:
    assert inherited_licenses(licenses, base) == kept


def test_an_extracted_models_licenses_are_kept_not_sent_again() -> None:
    request = build_create_request(parse(EXTRACTED), None)
    assert request.base == "llama3.1:8b" and request.needs_base_licenses
    create = model_create(request, "llama3.1:8b", base_licenses=BASE_LICENSES)
    assert "license" not in create.body
    assert create.kept_licenses == 2
    assert create.notes == ("keeping 2 licenses of llama3.1:8b",)
    assert create.body["parameters"] == {"num_ctx": 32768}
    # Without the base's licenses (not installed there) every license is sent.
    plain = model_create(request, "llama3.1:8b")
    assert plain.body["license"] == list(BASE_LICENSES) and plain.kept_licenses == 0
    assert plain.notes == ()


def test_licenses_beyond_the_bases_are_still_sent() -> None:
    text = EXTRACTED + 'LICENSE "mine"\n'
    create = model_create(build_create_request(parse(text), None), "m", base_licenses=BASE_LICENSES)
    assert create.body["license"] == ["mine"]
    assert create.license_note == "keeping 2 licenses of llama3.1:8b"


def test_the_text_is_the_body_and_the_bytes_are_the_text() -> None:
    request = build_create_request(parse('FROM x\nSYSTEM """Réponds "oui"."""\n'), None)
    create = model_create(request, "me/oui:latest")
    assert json.loads(create.text) == create.body
    assert create.body["model"] == "me/oui:latest" and create.body["stream"] is True
    assert create.data == create.text.encode("utf-8")
    assert "Réponds" in create.text  # shown as typed, not as \\u escapes
    renamed = create.named("other")
    assert json.loads(renamed.text) == {**create.body, "model": "other"}
    assert model_create(request, "me/oui:latest") == create  # pure: same inputs, same call


def test_a_lone_surrogate_falls_back_to_escapes_that_still_encode() -> None:
    create = model_create(CreateRequest({"from": "x", "system": "\udc80"}), "m")
    assert create.data.decode("ascii") == create.text
    assert json.loads(create.text)["system"] == "\udc80"


def test_local_files_become_the_uploads(tmp_path: Path) -> None:
    (tmp_path / "tiny.gguf").write_bytes(b"GGUF" + bytes(28))
    request = build_create_request(parse("FROM ./tiny.gguf\n"), tmp_path)
    create = model_create(request, "tiny")
    ((digest, path),) = create.uploads
    assert create.body["files"] == {"tiny.gguf": digest}
    assert path == tmp_path / "tiny.gguf"
    assert create.base == "" and not request.needs_base_licenses


def test_licenses_of_a_show_modelfile() -> None:
    modelfile = '# comment\nFROM /blobs/sha256-ab\nLICENSE one\nLICENSE """two\nlines"""\n'
    assert licenses_of_modelfile(modelfile) == ("one", "two\nlines")
    assert licenses_of_modelfile("BOGUS x\n") == ()


def test_batch_apply_sends_the_lines_own_licenses_under_the_target_name() -> None:
    from modelarium.modelfile.overlay import overlay_create

    create = overlay_create('PARAMETER top_k 5\nLICENSE "extra terms"', "mistral:7b", "m:k5")
    assert create.body["from"] == "mistral:7b" and create.body["model"] == "m:k5"
    assert create.body["license"] == ["extra terms"] and create.kept_licenses == 0
    assert json.loads(create.data) == create.body
