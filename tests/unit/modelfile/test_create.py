"""The /api/create body: local files on disk, Go number/semver rules, float32 output."""

from __future__ import annotations

import decimal
import hashlib
import json
import math
import os
import struct
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelarium.modelfile.commands import Command
from modelarium.modelfile.create import (
    CreateMarshalError,
    CreateRequestError,
    build_create_request,
    expand_path,
    files_for_model,
)
from modelarium.modelfile.golang.numbers import round_to_float32, shortest_float32
from modelarium.modelfile.golang.paths import go_clean
from modelarium.modelfile.golang.semver import is_valid_semver
from modelarium.modelfile.golang.sniff import detect_content_type
from modelarium.modelfile.golang.strconv import parse_go_bool, parse_go_float32, parse_go_int
from modelarium.modelfile.parser import parse

GGUF_BYTES = b"GGUF\x03\x00\x00\x00" + bytes(range(256))
ZIP_BYTES = b"PK\x03\x04" + bytes(64)


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def request_for(text: str, directory: Path | None) -> dict[str, object]:
    return build_create_request(parse(text), directory).body


# --- local files -----------------------------------------------------------------------


def test_existing_file_is_hashed_under_its_base_name(tmp_path: Path) -> None:
    weights = write(tmp_path / "weights" / "tiny.gguf", GGUF_BYTES)
    request = build_create_request(parse("FROM ./weights/tiny.gguf\n"), tmp_path)
    assert request.body == {"model": "", "files": {"tiny.gguf": sha(GGUF_BYTES)}, "name": ""}
    assert request.local_files == {sha(GGUF_BYTES): weights}


def test_missing_paths_name_models_and_the_last_one_wins(tmp_path: Path) -> None:
    body = request_for("FROM ./nothing-here.gguf\nFROM llama3:8b\n", tmp_path)
    assert body == {"model": "", "from": "llama3:8b", "name": ""}


def test_model_name_matching_a_local_folder_is_read_as_weights(tmp_path: Path) -> None:
    (tmp_path / "llama3").mkdir()
    with pytest.raises(CreateRequestError, match=r"^no Modelfile or safetensors files found$"):
        build_create_request(parse("FROM llama3\n"), tmp_path)


def test_folder_discovery_order(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    for name in ("model-00002.safetensors", "model-00001.safetensors", "consolidated.safetensors"):
        write(folder / name, b"\x00safetensors")
    write(folder / "nested" / "model-extra.safetensors", b"\x00st")
    write(folder / "config.json", b'{"a": 1}')
    write(folder / "tokenizer.json", b"{}")
    write(folder / "nested" / "inner.json", b"{}")
    write(folder / "chat_template.jinja", b"{{ messages }}")
    write(folder / "tokenizer.model", b"\x00\x01binary")
    write(folder / "weights.gguf", GGUF_BYTES)
    found = [os.path.relpath(path, folder) for path in files_for_model(str(folder))]
    assert found == [
        "model-00001.safetensors",
        "model-00002.safetensors",
        "nested/model-extra.safetensors",
        "config.json",
        "tokenizer.json",
        "nested/inner.json",
        "chat_template.jinja",
        "tokenizer.model",
    ]
    body = request_for("FROM ./model\n", tmp_path)
    files = body["files"]
    assert isinstance(files, dict)
    assert set(files) == {os.path.basename(name) for name in found}
    assert files["config.json"] == sha(b'{"a": 1}')


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        ({"consolidated.pth": ZIP_BYTES, "x.gguf": GGUF_BYTES}, ["consolidated.pth"]),
        ({"pytorch_model.bin": ZIP_BYTES, "x.gguf": GGUF_BYTES}, ["pytorch_model.bin"]),
        # a pytorch_model*.bin that is not a zip (say a git-lfs pointer) is not a weight file
        ({"pytorch_model.bin": b"version https://git-lfs", "b.gguf": GGUF_BYTES}, ["b.gguf"]),
        ({"b.gguf": GGUF_BYTES, "a.gguf": GGUF_BYTES, "c.bin": GGUF_BYTES}, ["a.gguf", "b.gguf"]),
        ({"ggml-model.bin": GGUF_BYTES}, ["ggml-model.bin"]),
    ],
)
def test_weight_kind_precedence(
    tmp_path: Path, contents: dict[str, bytes], expected: list[str]
) -> None:
    for name, data in contents.items():
        write(tmp_path / name, data)
    assert [os.path.basename(path) for path in files_for_model(str(tmp_path))] == expected


def test_binary_json_in_a_model_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "m.gguf", GGUF_BYTES)
    bad = write(tmp_path / "config.json", b"\x00\x01\x02")
    with pytest.raises(CreateRequestError) as raised:
        files_for_model(str(tmp_path))
    assert str(raised.value) == f"invalid content type: expected application/octet-stream for {bad}"


def test_files_from_several_froms_merge(tmp_path: Path) -> None:
    write(tmp_path / "a.gguf", GGUF_BYTES)
    write(tmp_path / "proj.gguf", GGUF_BYTES + b"proj")
    body = request_for("FROM a.gguf\nFROM proj.gguf\n", tmp_path)
    assert body["files"] == {"a.gguf": sha(GGUF_BYTES), "proj.gguf": sha(GGUF_BYTES + b"proj")}


def test_draft_and_adapter(tmp_path: Path) -> None:
    write(tmp_path / "base.gguf", GGUF_BYTES)
    write(tmp_path / "draft.gguf", GGUF_BYTES + b"d")
    write(tmp_path / "lora1.gguf", b"lora-one")
    write(tmp_path / "lora2.gguf", b"lora-two")
    text = "FROM base.gguf\nDRAFT draft.gguf\nADAPTER lora1.gguf\nADAPTER lora2.gguf\n"
    request = build_create_request(parse(text), tmp_path)
    assert request.body["draft_files"] == {"draft.gguf": sha(GGUF_BYTES + b"d")}
    assert request.body["adapters"] == {"lora2.gguf": sha(b"lora-two")}
    # The replaced adapter is not uploaded.
    assert request.local_files == {
        sha(GGUF_BYTES): tmp_path / "base.gguf",
        sha(GGUF_BYTES + b"d"): tmp_path / "draft.gguf",
        sha(b"lora-two"): tmp_path / "lora2.gguf",
    }


def test_draft_must_not_be_the_from_path(tmp_path: Path) -> None:
    write(tmp_path / "base.gguf", GGUF_BYTES)
    (tmp_path / "alias.gguf").symlink_to(tmp_path / "base.gguf")
    with pytest.raises(CreateRequestError) as raised:
        build_create_request(parse("FROM base.gguf\nDRAFT alias.gguf\n"), tmp_path)
    expected = f"DRAFT must not reference the same local path as FROM: {tmp_path / 'alias.gguf'}"
    assert str(raised.value) == expected
    with pytest.raises(CreateRequestError) as reverse:
        build_create_request(parse("DRAFT ./base.gguf\nFROM base.gguf\n"), tmp_path)
    expected = f"DRAFT must not reference the same local path as FROM: {tmp_path / 'base.gguf'}"
    assert str(reverse.value) == expected


@pytest.mark.parametrize("keyword", ["DRAFT", "ADAPTER"])
def test_draft_and_adapter_must_exist(tmp_path: Path, keyword: str) -> None:
    with pytest.raises(CreateRequestError) as raised:
        build_create_request(parse(f"FROM x\n{keyword} ./gone.gguf\n"), tmp_path)
    assert str(raised.value) == f"stat {tmp_path / 'gone.gguf'}: no such file or directory"


def test_stat_errors_other_than_missing_abort(tmp_path: Path) -> None:
    write(tmp_path / "file.gguf", GGUF_BYTES)
    with pytest.raises(CreateRequestError) as raised:
        build_create_request(parse("FROM file.gguf/inner\n"), tmp_path)
    assert str(raised.value) == f"stat {tmp_path / 'file.gguf' / 'inner'}: not a directory"


def test_home_expansion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    weights = write(home / "models" / "w.gguf", GGUF_BYTES)
    monkeypatch.setenv("HOME", str(home))
    elsewhere = tmp_path / "elsewhere"
    request = build_create_request(parse("FROM ~/models/w.gguf\n"), elsewhere)
    assert request.local_files == {sha(GGUF_BYTES): weights}
    assert expand_path("~", "/unused") == str(home)


def test_unknown_user_home_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CreateRequestError) as raised:
        build_create_request(parse("FROM ~no-such-user-xyz/w.gguf\n"), tmp_path)
    assert str(raised.value) == (
        "failed to find user 'no-such-user-xyz': user: unknown user no-such-user-xyz"
    )


def test_expand_path_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert expand_path("/a/../b//c/", "/dir") == "/b/c"
    assert expand_path("\\odd", "/dir") == f"{tmp_path}/\\odd"
    assert expand_path("sub/../w.gguf", "/dir") == "/dir/w.gguf"
    assert expand_path("", "/dir") == "/dir"
    assert expand_path("w.gguf", "") == f"{tmp_path}/w.gguf"


@pytest.mark.parametrize(
    ("path", "cleaned"),
    [("", "."), ("a/./b/../c", "a/c"), ("/../x", "/x"), ("../../x", "../../x"), ("//a//", "/a")],
)
def test_go_clean(path: str, cleaned: str) -> None:
    assert go_clean(path) == cleaned


def test_relative_names_resolve_in_the_working_directory_without_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "local.gguf", GGUF_BYTES)
    monkeypatch.chdir(tmp_path)
    assert request_for("FROM local.gguf\n", None)["files"] == {"local.gguf": sha(GGUF_BYTES)}


# --- fields and parameters -----------------------------------------------------------------


def test_full_body_shape() -> None:
    text = (
        "FROM llama3\nTEMPLATE t1\nTEMPLATE t2\nSYSTEM s\nLICENSE MIT\nRENDERER r\nPARSER p\n"
        "REQUIRES v0.6.2\nMESSAGE user hi: there\nPARAMETER stop a\nPARAMETER top_k 5\n"
        "PARAMETER stop b\nPARAMETER use_mmap True\nPARAMETER low_vram whatever\n"
    )
    request = build_create_request(parse(text), Path("/no/such/folder"))
    assert request.body == {
        "model": "",
        "from": "llama3",
        "template": "t2",
        "license": ["MIT"],
        "system": "s",
        "parameters": {"stop": ["a", "b"], "top_k": 5, "use_mmap": True},
        "messages": [{"role": "user", "content": "hi: there"}],
        "renderer": "r",
        "parser": "p",
        "requires": "0.6.2",
        "name": "",
    }
    assert request.warnings == ("warning: parameter low_vram is deprecated",)
    json.dumps(request.body, allow_nan=False)


def test_first_error_wins_and_keeps_earlier_warnings() -> None:
    commands = [
        Command("model", "x"),
        Command("f16_kv", "1"),
        Command("num_ctx", "big"),
        Command("temperature", "hot"),
    ]
    with pytest.raises(CreateRequestError) as raised:
        build_create_request(commands, None)
    assert str(raised.value) == "invalid int value [big]"
    assert raised.value.warnings == ("warning: parameter f16_kv is deprecated",)


@pytest.mark.parametrize(
    ("value", "message"),
    [("inf", "+Inf"), ("-Infinity", "-Inf"), ("NaN", "NaN")],
)
def test_inf_and_nan_cannot_be_encoded(value: str, message: str) -> None:
    with pytest.raises(CreateMarshalError) as raised:
        build_create_request([Command("model", "x"), Command("top_p", value)], None)
    assert str(raised.value) == f"json: unsupported value: {message}"


def test_marshal_error_names_the_first_key_in_sorted_order() -> None:
    commands = [Command("model", "x"), Command("top_p", "nan"), Command("min_p", "-inf")]
    with pytest.raises(CreateMarshalError, match=r"^json: unsupported value: -Inf$"):
        build_create_request(commands, None)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (Command("TEMPERATURE", "1"), "unknown parameter 'TEMPERATURE'"),
        (Command("tfs_z", "1"), "unknown parameter 'tfs_z'"),
        (Command("seed", "1 000"), "invalid int value [1 000]"),
        (Command("temperature", " 0.7"), "invalid float value [ 0.7]"),
        (Command("use_mmap", "tRuE"), "invalid bool value [tRuE]"),
        (Command("requires", "1.2-rc1"), "requires must be a valid semver (e.g. 0.14.0)"),
        (Command("requires", ""), "requires must be a valid semver (e.g. 0.14.0)"),
    ],
)
def test_create_errors(command: Command, message: str) -> None:
    with pytest.raises(CreateRequestError) as raised:
        build_create_request([Command("model", "x"), command], None)
    assert str(raised.value) == message


# --- Go library ports ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("000128", 128),
        ("-0", 0),
        ("+5", 5),
        ("9223372036854775807", 9223372036854775807),
        ("-9223372036854775808", -9223372036854775808),
        ("9223372036854775808", None),
        ("-9223372036854775809", None),
        ("4096.0", None),
        ("1e3", None),
        ("0x1000", None),
        ("32_768", None),
        ("1 000", None),
        ("", None),
        ("+", None),
        ("+-1", None),
        ("٣", None),
    ],
)
def test_parse_go_int(text: str, value: int | None) -> None:
    assert parse_go_int(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("t", True), ("True", True), ("FALSE", False), ("f", False), ("0", False)]
    + [(text, None) for text in ("yes", "on", "tRuE", "", " true", "1.0")],
)
def test_parse_go_bool(text: str, value: bool | None) -> None:
    assert parse_go_bool(text) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.7", 0.699999988079071),
        (".5", 0.5),
        ("2.", 2.0),
        ("5e-2", 0.05000000074505806),
        ("1.0e+2", 100.0),
        ("1E2", 100.0),
        ("0x1p-2", 0.25),
        ("0X.8P1", 1.0),
        ("0x1.8p1", 3.0),
        ("-0x1p0", -1.0),
        ("1_0.5", 10.5),
        ("0x_1p0", 1.0),
        ("1e1_0", 1e10),
        ("3.4028235e38", 3.4028234663852886e38),
        ("1e-50", 0.0),
        ("1e-45", 1.401298464324817e-45),
        ("16777217", 16777216.0),
        ("inf", math.inf),
        ("+Inf", math.inf),
        ("-Infinity", -math.inf),
        ("INFINITY", math.inf),
    ]
    + [
        (text, None)
        for text in (
            "0,7",
            "warm",
            "0x10",
            "1e39",
            "3.5e38",
            "",
            " 0.7",
            "0.7 ",
            "_1",
            "1_",
            "1__0",
            "1_.5",
            ".",
            "e5",
            "1e",
            "1e+",
            "0x",
            "0x1p",
            "1.2.3",
            "+nan",
            "-nan",
            "infin",
            "infx",
            "١",
            "0x1.fffffffp127",
        )
    ],
)
def test_parse_go_float32(text: str, value: float | None) -> None:
    parsed = parse_go_float32(text)
    if value is None:
        assert parsed is None
    else:
        assert parsed == value


def test_parse_go_float32_nan_and_negative_zero() -> None:
    nan = parse_go_float32("nAn")
    assert nan is not None and math.isnan(nan)
    negative_zero = parse_go_float32("-0")
    assert negative_zero is not None
    assert negative_zero == 0.0 and math.copysign(1.0, negative_zero) == -1.0


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.12345679104328156, "0.12345679"),
        (0.10000000149011612, "0.1"),
        (9.99999993922529e-09, "1e-08"),
        (1.401298464324817e-45, "1e-45"),
        (3.4028234663852886e38, "3.4028235e+38"),
        (16777216.0, "16777216.0"),
        (-0.25, "-0.25"),
    ],
)
def test_shortest_float32(value: float, written: str) -> None:
    assert repr(shortest_float32(value)) == written


def _float32(value: float) -> float:
    unpacked: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return unpacked


def _significant_digits(value: float) -> int:
    """Significant digits of the shortest repr of `value` (what JSON writes)."""
    mantissa = repr(abs(value)).split("e")[0].replace(".", "").strip("0")
    return len(mantissa) or 1


@settings(max_examples=500)
@given(st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_shortest_float32_reads_back_and_is_shortest(bits: int) -> None:
    value: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    if not math.isfinite(value):
        return
    written = shortest_float32(value)
    assert _float32(written) == value
    assert parse_go_float32(repr(written)) == value
    for digits in range(1, 10):
        candidate = float(f"{value:.{digits - 1}e}")
        if _float32(candidate) == value:
            assert _significant_digits(written) <= digits
            break


@settings(max_examples=300)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_parse_go_float32_matches_float32_rounding(number: float) -> None:
    text = repr(number)
    parsed = parse_go_float32(text)
    if abs(number) >= 3.4028235677973366e38:
        assert parsed is None
    else:
        assert parsed == _float32(number)


@pytest.mark.parametrize(
    ("version", "valid"),
    [
        ("v1", True),
        ("v1.2", True),
        ("v1.2.3", True),
        ("v0.14.0", True),
        ("v1.2.3-rc1+b", True),
        ("v1.2.3-alpha.1.x-y", True),
        ("v1.2.3+build.7", True),
        ("v1.2-rc1", False),
        ("v01.2.3", False),
        ("v1.2.3-alpha.01", False),
        ("v1.2.3+build.01", True),
        ("V1.0.0", False),
        ("vv1.0.0", False),
        ("v1.2.3-", False),
        ("v1.2.3-a..b", False),
        ("v1.2.3+", False),
        ("v1.2.3.4", False),
        ("v", False),
        ("1.2.3", False),
    ],
)
def test_semver(version: str, valid: bool) -> None:
    assert is_valid_semver(version) is valid


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"", "text/plain"),
        (b'{"a": 1}', "text/plain"),
        (GGUF_BYTES, "application/octet-stream"),
        (ZIP_BYTES, "application/zip"),
        (b"\x1f\x8b\x08rest", "application/x-gzip"),
        (b"  <!DOCTYPE html>", "text/html"),
        (b"<?xml version", "text/xml"),
        (b"\xef\xbb\xbf\x00binary", "text/plain"),
    ],
)
def test_detect_content_type(head: bytes, media_type: str) -> None:
    assert detect_content_type(head) == media_type


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=0x7F7FFFFE), st.sampled_from([-1, 0, 1]))
def test_parse_go_float32_is_exact_next_to_float32_midpoints(bits: int, nudge: int) -> None:
    """Decimals at, just below and just above a float32 midpoint round like Go (ties to even),
    which a naive double-then-float32 conversion gets wrong."""
    low: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    high: float = struct.unpack("<f", struct.pack("<I", bits + 1))[0]
    with decimal.localcontext() as context:
        context.prec = 1200
        midpoint = (decimal.Decimal(low) + decimal.Decimal(high)) / 2
        nudged = midpoint + nudge * midpoint.scaleb(-40)
        text = f"{nudged:E}"
    expected = round_to_float32(Fraction(text))
    assert parse_go_float32(text) == expected


def test_home_without_home_variable_uses_the_password_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pwd

    monkeypatch.delenv("HOME", raising=False)
    assert expand_path("~", "/unused") == go_clean(pwd.getpwuid(os.getuid()).pw_dir)


def test_shortest_float32_takes_a_tie_that_rounds_to_an_even_mantissa() -> None:
    # 113629180 lies exactly between two float32 values and rounds (ties to even) to
    # 113629184, so Go writes the 8-digit form; a double-rounding shortcut must not decide it.
    value: float = struct.unpack("<f", struct.pack("<I", 0x4CD8BB00))[0]
    assert value == 113629184.0
    assert shortest_float32(value) == 113629180.0
