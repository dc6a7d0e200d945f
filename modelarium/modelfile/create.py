"""Commands to the `/api/create` request body, as Ollama's `Modelfile.CreateRequest` and the
`ollama create` CLI build it.

Processing runs in command order and the first error aborts, with Ollama's exact text. The
Go library behaviour this depends on is ported here: `strconv.ParseInt/ParseFloat/ParseBool`,
the shortest float32 output of `encoding/json`, `golang.org/x/mod/semver.IsValid`,
`filepath.Clean/Join/Abs`, the home-folder expansion and the weight-folder discovery with
`http.DetectContentType`. Like the CLI, local files are named by their base name in the body
and `local_files` tells the caller which blobs to upload first.

One deliberate difference: `~` uses `$HOME` when it is set (Go asks the password database);
on a normal system both agree, and `$HOME` lets a sandbox redirect it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import os
import pwd
import re
import stat
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from modelarium.modelfile.commands import Command, ModelfileError
from modelarium.modelfile.params import DEPRECATED_PARAMETERS, PARAMETERS
from modelarium.modelfile.parser import parse
from modelarium.plural import counted

REQUIRES_ERROR = "requires must be a valid semver (e.g. 0.14.0)"
NO_MODEL_FILES_ERROR = "no Modelfile or safetensors files found"


class CreateRequestError(Exception):
    """Ollama refuses to build the request; `str()` is Ollama's exact text.

    `warnings` holds the deprecation warnings Ollama printed before it stopped.
    """

    def __init__(self, message: str, *, warnings: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.warnings = tuple(warnings)


class CreateMarshalError(CreateRequestError):
    """The request holds Inf or NaN, which Go's JSON encoder refuses
    (`json: unsupported value: +Inf`)."""


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """The request body plus what the client must do around it.

    `body` is JSON-ready with Ollama's field names: `model` and `name` always present (empty;
    the caller sets `model`), every other field only when non-empty, float32 parameters as the
    Python float whose repr is the shortest float32 decimal. `warnings` are the lines Ollama
    prints on stdout (no trailing newline). `local_files` maps each digest in `files`,
    `adapters` or `draft_files` to the local path to upload as a blob first.
    """

    body: dict[str, object]
    warnings: tuple[str, ...] = ()
    local_files: dict[str, Path] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The model FROM names (`from`), or "" when FROM is local files."""
        base = self.body.get("from")
        return base if isinstance(base, str) else ""

    @property
    def licenses(self) -> tuple[str, ...]:
        """The LICENSE values the request carries, in order."""
        licenses = self.body.get("license")
        if not isinstance(licenses, list):
            return ()
        return tuple(item for item in licenses if isinstance(item, str))

    @property
    def needs_base_licenses(self) -> bool:
        """Whether the license decision depends on the base's licenses: the request names a
        base model and carries licenses of its own (else there is nothing to decide)."""
        return bool(self.base and self.licenses)


# --- one create, exactly as sent -----------------------------------------------------------


def licenses_of_modelfile(modelfile: str) -> tuple[str, ...]:
    """The licenses of an installed model (one per LICENSE layer, in order), read from the
    Modelfile `/api/show` returns; () when that text does not parse."""
    try:
        commands = parse(modelfile)
    except ModelfileError:
        return ()
    return tuple(command.args for command in commands if command.name == "license")


def inherited_licenses(licenses: Sequence[str], base_licenses: Sequence[str]) -> int:
    """How many leading `licenses` the base model already carries: all of the base's when
    the request's licenses begin with exactly them (as after extracting a model), else 0.

    Ollama's create *appends* the request's licenses to the base's, so sending an extracted
    model's licenses again would double them; the inherited ones are left out instead.
    """
    count = len(base_licenses)
    if count and tuple(licenses[:count]) == tuple(base_licenses):
        return count
    return 0


def _body_text(body: Mapping[str, object]) -> str:
    """The JSON text of a body: indented, UTF-8 where it can be (text with lone surrogates,
    which UTF-8 cannot carry, falls back to `\\u` escapes)."""
    text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(body, indent=2, ensure_ascii=True, allow_nan=False)
    return text


@dataclass(frozen=True, slots=True)
class ModelCreate:
    """One `/api/create` call, built once and shown and sent as is.

    `text` is the exact JSON the client posts (`data` its UTF-8 bytes): the request body with
    `model` set, streaming on, and the base's inherited licenses left out. `uploads` are the
    local files to upload as blobs first (digest, path); `warnings` are Ollama's create
    warnings; `kept_licenses` counts the base's licenses kept rather than sent again.
    """

    model: str
    body: Mapping[str, object]
    text: str
    uploads: tuple[tuple[str, Path], ...] = ()
    warnings: tuple[str, ...] = ()
    base: str = ""
    kept_licenses: int = 0

    @property
    def data(self) -> bytes:
        """The bytes posted to `/api/create`."""
        return self.text.encode("utf-8")

    @property
    def license_note(self) -> str | None:
        """`keeping 2 licenses of llama3.1:8b` when the base's licenses were left out."""
        if not self.kept_licenses:
            return None
        return f"keeping {counted(self.kept_licenses, 'license')} of {self.base}"

    @property
    def notes(self) -> tuple[str, ...]:
        """What `ollama create` would print before the progress: the warnings, then the
        license decision."""
        note = self.license_note
        return self.warnings + ((note,) if note else ())

    def named(self, model: str) -> ModelCreate:
        """The same call for another model name (the license decision does not depend on
        the name)."""
        body = dict(self.body)
        body["model"] = model
        return ModelCreate(
            model=model,
            body=body,
            text=_body_text(body),
            uploads=self.uploads,
            warnings=self.warnings,
            base=self.base,
            kept_licenses=self.kept_licenses,
        )

    def quantized(self, level: str) -> ModelCreate:
        """The same call asking Ollama to quantize the weights to `level` (`q4_K_M`, the
        body's `quantize`); "" leaves the base's quantization."""
        body = dict(self.body)
        if level:
            body["quantize"] = level
        else:
            body.pop("quantize", None)
        return ModelCreate(
            model=self.model,
            body=body,
            text=_body_text(body),
            uploads=self.uploads,
            warnings=self.warnings,
            base=self.base,
            kept_licenses=self.kept_licenses,
        )


def model_create(
    request: CreateRequest, model: str, *, base_licenses: Sequence[str] = ()
) -> ModelCreate:
    """The create call for `request` under the name `model`, with the license decision made
    from `base_licenses` (the licenses the named base carries on the target host; () when it
    has none or is not installed). Pure: the same inputs give the same bytes."""
    body = dict(request.body)
    body["model"] = model
    body["stream"] = True
    kept = inherited_licenses(request.licenses, base_licenses) if request.base else 0
    if kept:
        rest = list(request.licenses[kept:])
        if rest:
            body["license"] = rest
        else:
            del body["license"]
    return ModelCreate(
        model=model,
        body=body,
        text=_body_text(body),
        uploads=tuple(request.local_files.items()),
        warnings=request.warnings,
        base=request.base,
        kept_licenses=kept,
    )


# --- Go strconv ---------------------------------------------------------------------------

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_GO_DECIMAL_INT = re.compile(r"[+-]?[0-9]+")
_GO_BOOLS = {
    "1": True,
    "t": True,
    "T": True,
    "TRUE": True,
    "true": True,
    "True": True,
    "0": False,
    "f": False,
    "F": False,
    "FALSE": False,
    "false": False,
    "False": False,
}
_FLOAT32_MAX_EXPONENT = 128  # values >= 2**128 overflow
_FLOAT32_MIN_QUANTUM = -149  # the smallest subnormal is 2**-149


def parse_go_int(text: str) -> int | None:
    """`strconv.ParseInt(text, 10, 64)`: sign, ASCII digits, int64 range; None on error."""
    if _GO_DECIMAL_INT.fullmatch(text) is None:
        return None
    significant = text.lstrip("+-").lstrip("0") or "0"
    if len(significant) > 19:
        return None  # beyond int64 (19 digits); int() would refuse over 4,300 digits anyway
    value = -int(significant) if text.startswith("-") else int(significant)
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


def parse_go_bool(text: str) -> bool | None:
    """`strconv.ParseBool`: only Go's twelve spellings; None on error."""
    return _GO_BOOLS.get(text)


def round_to_float32(value: Fraction) -> float | None:
    """Round an exact value to the nearest float32 (ties to even); None when it overflows."""
    if value == 0:
        return 0.0
    negative = value < 0
    magnitude = -value if negative else value
    numerator, denominator = magnitude.numerator, magnitude.denominator
    exponent = numerator.bit_length() - denominator.bit_length()
    if Fraction(2) ** exponent > magnitude:
        exponent -= 1
    quantum = max(exponent - 23, _FLOAT32_MIN_QUANTUM)
    scaled = magnitude / (Fraction(2) ** quantum)
    mantissa = round(scaled)
    if mantissa == 0:
        return -0.0 if negative else 0.0
    if mantissa.bit_length() + quantum > _FLOAT32_MAX_EXPONENT:
        return None
    result = math.ldexp(mantissa, quantum)
    return -result if negative else result


def _go_underscore_ok(text: str) -> bool:
    """strconv's `underscoreOK`: `_` only between digits (or after a base prefix)."""
    saw = "^"
    index = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexadecimal = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        index = 2
        saw = "0"
        hexadecimal = text[1].lower() == "x"
    while index < len(text):
        char = text[index]
        if "0" <= char <= "9" or (hexadecimal and "a" <= char.lower() <= "f"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        index += 1
    return saw != "_"


def _go_special_float(text: str) -> float | None:
    """strconv's `special`: [+-]inf, [+-]infinity, nan (no sign), any case."""
    body = text
    sign = 1.0
    if body[:1] in ("+", "-"):
        sign = -1.0 if body[0] == "-" else 1.0
        body = body[1:]
        if body.lower() in ("inf", "infinity"):
            return sign * math.inf
        return None
    if body.lower() in ("inf", "infinity"):
        return math.inf
    if body.lower() == "nan":
        return math.nan
    return None


def parse_go_float32(text: str) -> float | None:
    """`strconv.ParseFloat(text, 32)` as a float32 value; None on a syntax or range error.

    Accepts Go's syntax exactly: optional sign; decimal digits with an optional point and
    `e` exponent, or `0x` hex digits with a mandatory `p` exponent; underscores only where
    `underscoreOK` allows them; inf/infinity/nan in any case. Rounds correctly (ties to even),
    underflows silently to zero and refuses values that round beyond the float32 range.
    """
    if not text:
        return None
    special = _go_special_float(text)
    if special is not None:
        return special
    if not text.isascii():
        return None
    index = 0
    length = len(text)
    negative = False
    if text[0] in "+-":
        negative = text[0] == "-"
        index = 1
    base = 10
    if index + 2 < length and text[index] == "0" and text[index + 1].lower() == "x":
        base = 16
        index += 2
    digits: list[str] = []
    fraction_digits = 0
    saw_dot = False
    saw_digits = False
    underscores = False
    while index < length:
        char = text[index]
        if char == "_":
            underscores = True
        elif char == ".":
            if saw_dot:
                break
            saw_dot = True
        elif "0" <= char <= "9" or (base == 16 and "a" <= char.lower() <= "f"):
            saw_digits = True
            digits.append(char)
            if saw_dot:
                fraction_digits += 1
        else:
            break
        index += 1
    if not saw_digits:
        return None
    exponent = 0
    exponent_char = "p" if base == 16 else "e"
    if index < length and text[index].lower() == exponent_char:
        index += 1
        if index >= length:
            return None
        exponent_sign = 1
        if text[index] == "+":
            index += 1
        elif text[index] == "-":
            index += 1
            exponent_sign = -1
        if index >= length or not "0" <= text[index] <= "9":
            return None
        while index < length and ("0" <= text[index] <= "9" or text[index] == "_"):
            if text[index] == "_":
                underscores = True
            elif exponent < 10000:
                exponent = exponent * 10 + int(text[index])
            index += 1
        exponent *= exponent_sign
    elif base == 16:
        return None
    if index != length:
        return None
    if underscores and not _go_underscore_ok(text):
        return None
    value: float | None
    if base == 10:
        value = _float32_via_double(float(text.replace("_", "")))
        if value is not None:
            return value
    if base == 10:
        digits, fraction_digits = _bounded_decimal(digits, fraction_digits)
    mantissa = int("".join(digits), base)
    value = _exact_float32(mantissa, base, exponent, fraction_digits)
    if value is None:
        return None
    return -value if negative else value


_MAX_DECIMAL_DIGITS = 800


def _bounded_decimal(digits: list[str], fraction_digits: int) -> tuple[list[str], int]:
    """Decimal digits few enough for `int()` (which refuses over 4,300) with the same rounding:
    leading zeros dropped, and past 800 significant digits the rest replaced by one sticky
    digit. Every float32 and every midpoint between two has under 200 significant digits, so
    no rounding boundary lies between the exact value and the shortened one."""
    text = "".join(digits).lstrip("0") or "0"
    if len(text) <= _MAX_DECIMAL_DIGITS:
        return list(text), fraction_digits
    dropped = len(text) - _MAX_DECIMAL_DIGITS
    sticky = "1" if text[_MAX_DECIMAL_DIGITS:].strip("0") else "0"
    return list(text[:_MAX_DECIMAL_DIGITS] + sticky), fraction_digits - dropped + 1


_FLOAT32 = struct.Struct("<f")
_UINT32 = struct.Struct("<I")


def _float32_bits(value: float) -> int:
    bits: int = _UINT32.unpack(_FLOAT32.pack(value))[0]
    return bits


def _float32_from_bits(bits: int) -> float:
    value: float = _FLOAT32.unpack(_UINT32.pack(bits))[0]
    return value


def _float32_via_double(number: float) -> float | None:
    """The float32 nearest to the exact value whose nearest double is `number`, when the double
    settles it; None when it does not (overflow, or `number` sits exactly halfway between two
    float32 values, where rounding the double twice could differ from rounding the exact value
    once). Any float32 midpoint is itself a double, so a double that is not a midpoint lies on
    the same side of every midpoint as the exact value."""
    try:
        rounded = _float32_from_bits(_float32_bits(number))
    except OverflowError:
        return None
    if rounded == number or not math.isfinite(rounded):
        return rounded if math.isfinite(rounded) else None
    magnitude, rounded_magnitude = abs(number), abs(rounded)
    step = 1 if magnitude > rounded_magnitude else -1
    neighbour = _float32_from_bits(_float32_bits(rounded_magnitude) + step)
    if magnitude == (rounded_magnitude + neighbour) / 2:
        return None
    return rounded


def _exact_float32(mantissa: int, base: int, exponent: int, fraction_digits: int) -> float | None:
    """float32 nearest to mantissa × base^-fraction_digits × (10 or 2)^exponent."""
    if mantissa == 0:
        return 0.0
    if base == 16:
        binary_exponent = exponent - 4 * fraction_digits
        top = mantissa.bit_length() + binary_exponent
        if top > _FLOAT32_MAX_EXPONENT + 1:
            return None
        if top < _FLOAT32_MIN_QUANTUM - 2:
            return 0.0
        value = Fraction(mantissa) * Fraction(2) ** binary_exponent
    else:
        decimal_exponent = exponent - fraction_digits
        top = len(str(mantissa)) + decimal_exponent
        if top - 1 >= 39:
            return None
        if top <= -46:
            return 0.0
        value = Fraction(mantissa) * Fraction(10) ** decimal_exponent
    return round_to_float32(value)


def shortest_float32(value: float) -> float:
    """The float32 `value` as the float whose repr is the shortest decimal that reads back as
    the same float32 (what Go's JSON encoder writes), e.g. 0.1234567910432816 -> 0.12345679."""
    if value == 0 or not math.isfinite(value):
        return value
    if _float32_bits(abs(value)) & 0x7FFFFF:
        # Not a power of two: the round-trip interval is symmetric, so the nearest decimal of
        # each length is the only candidate worth trying.
        for digits in range(1, 10):
            candidate = float(f"{value:.{digits - 1}e}")
            settled = _float32_via_double(candidate)
            if settled is None:
                break  # an exact float32 midpoint: only the exact search below can decide
            if settled == value:
                return candidate
    exact = Fraction(value)
    for digits in range(1, 10):
        mantissa_text, _, exponent_text = f"{abs(value):.{digits - 1}e}".partition("e")
        nearest = int(mantissa_text.replace(".", ""))
        scale = int(exponent_text) - (digits - 1)
        best: tuple[Fraction, int] | None = None
        for candidate in (nearest, nearest - 1, nearest + 1):
            if candidate <= 0:
                continue
            decimal_value = Fraction(candidate) * Fraction(10) ** scale
            signed = -decimal_value if value < 0 else decimal_value
            if round_to_float32(signed) == value:
                distance = abs(signed - exact)
                if best is None or distance < best[0]:
                    best = (distance, candidate)
        if best is not None:
            sign = "-" if value < 0 else ""
            return float(f"{sign}{best[1]}e{scale}")
    return value


# --- golang.org/x/mod/semver ----------------------------------------------------------------


def _semver_number(text: str) -> tuple[bool, str]:
    """semver's parseInt: digits without a leading zero; returns (ok, rest)."""
    if not text or not "0" <= text[0] <= "9":
        return False, text
    index = 1
    while index < len(text) and "0" <= text[index] <= "9":
        index += 1
    if text[0] == "0" and index != 1:
        return False, text
    return True, text[index:]


def _semver_ident_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "-")


def _semver_bad_number(part: str) -> bool:
    return part.isascii() and part.isdigit() and len(part) > 1 and part[0] == "0"


def _semver_dotted(text: str, stop_at_plus: bool) -> tuple[bool, str]:
    """Pre-release (`-…`, numeric parts without leading zeros) or build (`+…`) identifiers."""
    index = 1
    start = 1
    while index < len(text) and not (stop_at_plus and text[index] == "+"):
        char = text[index]
        if not _semver_ident_char(char) and char != ".":
            return False, text
        if char == ".":
            if start == index or (stop_at_plus and _semver_bad_number(text[start:index])):
                return False, text
            start = index + 1
        index += 1
    if start == index or (stop_at_plus and _semver_bad_number(text[start:index])):
        return False, text
    return True, text[index:]


def is_valid_semver(version: str) -> bool:
    """`semver.IsValid`: `v` + major[.minor[.patch[-pre][+build]]], no leading zeros."""
    if not version.startswith("v"):
        return False
    rest = version[1:]
    for part in range(3):
        ok, rest = _semver_number(rest)
        if not ok:
            return False
        if not rest:
            return True
        if part < 2:
            if rest[0] != ".":
                return False
            rest = rest[1:]
    if rest.startswith("-"):
        ok, rest = _semver_dotted(rest, stop_at_plus=True)
        if not ok:
            return False
    if rest.startswith("+"):
        ok, rest = _semver_dotted(rest, stop_at_plus=False)
        if not ok:
            return False
    return rest == ""


# --- Go path handling -----------------------------------------------------------------------


def go_clean(path: str) -> str:
    """`filepath.Clean` on Unix: lexical `.`/`..`/`//` removal; "" becomes "."."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_join(*elements: str) -> str:
    """`filepath.Join`: the non-empty elements joined by `/` and cleaned; "" if all empty."""
    present = [element for element in elements if element]
    if not present:
        return ""
    return go_clean("/".join(present))


def go_abs(path: str) -> str:
    """`filepath.Abs`: cleaned, and joined to the working directory when relative."""
    if not path.startswith("/"):
        try:
            working_directory = os.getcwd()
        except OSError as error:
            raise CreateRequestError(f"getwd: {_os_reason(error)}") from None
        path = go_join(working_directory, path)
    return go_clean(path)


def _home_directory() -> str:
    """The current user's home: `$HOME`, else the password database (Go's source)."""
    home = os.environ.get("HOME")
    if home:
        return home
    user_id = os.getuid()
    try:
        return pwd.getpwuid(user_id).pw_dir
    except KeyError:
        raise CreateRequestError(
            f"failed to get current user: user: unknown userid {user_id}"
        ) from None


def expand_path(path: str, directory: str) -> str:
    """Ollama's `expandPath`: absolute and `\\`-prefixed paths via Abs, `~` and `~user` to home
    folders, anything else joined to `directory`; raises CreateRequestError for unknown users."""
    if path.startswith(("/", "\\")):
        return go_abs(path)
    if path.startswith("~"):
        if path == "~" or path.startswith("~/"):
            home = _home_directory()
            path = path[1:]
        else:
            user_name, slash, remainder = path[1:].partition("/")
            try:
                home = pwd.getpwnam(user_name).pw_dir
            except KeyError:
                raise CreateRequestError(
                    f"failed to find user '{user_name}': user: unknown user {user_name}"
                ) from None
            path = "/" + remainder if slash else ""
        return go_abs(go_join(home, path))
    return go_abs(go_join(directory, path))


def _os_reason(error: OSError) -> str:
    """Go's wording of an OS error: the C library text with a lower-case first letter."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def _go_os_error(operation: str, path: str, error: OSError) -> CreateRequestError:
    """A Go `*PathError` text: `stat /x: not a directory`."""
    return CreateRequestError(f"{operation} {path}: {_os_reason(error)}")


# --- http.DetectContentType (the signatures that matter for model folders) ------------------

_BINARY_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_EXACT_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"%!PS-Adobe-", "application/postscript"),
    (b"\xfe\xff", "text/plain"),
    (b"\xff\xfe", "text/plain"),
    (b"\xef\xbb\xbf", "text/plain"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x89PNG\x0d\x0a\x1a\x0a", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"BM", "image/bmp"),
    (b"\x1f\x8b\x08", "application/x-gzip"),
    (b"PK\x03\x04", "application/zip"),
    (b"Rar!\x1a\x07\x00", "application/x-rar-compressed"),
    (b"Rar!\x1a\x07\x01\x00", "application/x-rar-compressed"),
    (b"\x00\x61\x73\x6d", "application/wasm"),
)
_HTML_PREFIXES = (
    b"<!DOCTYPE HTML",
    b"<HTML",
    b"<HEAD",
    b"<SCRIPT",
    b"<IFRAME",
    b"<H1",
    b"<DIV",
    b"<FONT",
    b"<TABLE",
    b"<A",
    b"<STYLE",
    b"<TITLE",
    b"<B",
    b"<BODY",
    b"<BR",
    b"<P",
    b"<!--",
)


def detect_content_type(head: bytes) -> str:
    """The media type (without parameters) Go's `http.DetectContentType` gives the first 512
    bytes of a file, for the signatures a model folder can hold: text vs binary, zip, gzip,
    PDF, images, HTML/XML."""
    data = head[:512]
    stripped = data.lstrip(b"\t\n\x0c\r ")
    upper = stripped[:14].upper()
    for prefix in _HTML_PREFIXES:
        if upper.startswith(prefix) and len(stripped) > len(prefix):
            terminator = stripped[len(prefix)]
            if terminator in b" >":
                return "text/html"
    if stripped.startswith(b"<?xml"):
        return "text/xml"
    for signature, media_type in _EXACT_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if any(byte in _BINARY_BYTES for byte in data):
        return "application/octet-stream"
    return "text/plain"


# --- Local files -----------------------------------------------------------------------------


def _go_glob(pattern_directory: str, pattern: str) -> list[str]:
    """`filepath.Glob(dir/pattern)` for one-level patterns (`*` may appear in a middle part):
    sorted names per directory, hidden files included like Go."""
    parts = pattern.split("/")
    current = [pattern_directory]
    for part in parts:
        matched: list[str] = []
        for base in current:
            if not any(char in part for char in "*?["):
                candidate = go_join(base, part)
                if os.path.lexists(candidate):
                    matched.append(candidate)
                continue
            try:
                names = sorted(os.listdir(base))
            except OSError:
                continue
            matched.extend(go_join(base, name) for name in names if fnmatch.fnmatchcase(name, part))
        current = matched
    return current


def _content_type(path: str) -> str:
    with open(path, "rb") as handle:
        return detect_content_type(handle.read(512))


def _glob_checked(directory: str, pattern: str, content_type: str) -> list[str]:
    """Ollama's `glob` helper: matches, each of which must sniff as `content_type` (when
    given); raises CreateRequestError otherwise."""
    matches = _go_glob(directory, pattern)
    for match in matches:
        try:
            detected = _content_type(match)
        except OSError as error:
            raise _go_os_error("open", match, error) from None
        if content_type and detected != content_type:
            raise CreateRequestError(f"invalid content type: expected {detected} for {match}")
    return matches


def _glob_or_empty(directory: str, pattern: str, content_type: str) -> list[str]:
    """Ollama ignores errors of the weight globs: a mismatch just means "not this kind"."""
    try:
        return _glob_checked(directory, pattern, content_type)
    except CreateRequestError:
        return []


_WEIGHT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("model*.safetensors", ""),
    ("consolidated*.safetensors", ""),
    ("pytorch_model*.bin", "application/zip"),
    ("consolidated*.pth", "application/zip"),
    ("*.gguf", "application/octet-stream"),
    ("*.bin", "application/octet-stream"),
)
"""Ollama's weight discovery order: the first pattern with matches wins."""


def files_for_model(directory: str) -> list[str]:
    """Ollama's `filesForModel`: the weight files of a model folder in discovery order, then
    its JSON configuration, chat template and tokenizer."""
    files: list[str] = []
    for pattern, content_type in _WEIGHT_PATTERNS:
        found = _glob_or_empty(directory, pattern, content_type)
        if found:
            files.extend(found)
            if pattern == "model*.safetensors":
                files.extend(_glob_checked(directory, "*/model*.safetensors", ""))
            break
    else:
        raise CreateRequestError(NO_MODEL_FILES_ERROR)
    files.extend(_glob_checked(directory, "*.json", "text/plain"))
    files.extend(_glob_checked(directory, "**/*.json", "text/plain"))
    files.extend(_glob_checked(directory, "chat_template.jinja", "text/plain"))
    tokenizer = _glob_or_empty(directory, "tokenizer.model", "application/octet-stream")
    if not tokenizer:
        tokenizer = _glob_or_empty(directory, "**/tokenizer.model", "text/plain")
    files.extend(tokenizer)
    return files


def _is_local(relative: str) -> bool:
    """`filepath.IsLocal` for a cleaned relative path."""
    return (
        bool(relative)
        and not relative.startswith("/")
        and relative != ".."
        and not (relative.startswith("../"))
    )


def _sha256_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def stat_local_path(path: str) -> os.stat_result | None:
    """`os.Stat` as create runs it on an expanded FROM/ADAPTER/DRAFT path: None when nothing
    is there; any other failure (no permission, a name too long, a NUL byte) raises
    CreateRequestError in Go's words, since create aborts on it."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _go_os_error("stat", path, error) from None
    except ValueError:
        raise CreateRequestError(f"stat {path}: invalid argument") from None


def file_digest_map(path: str) -> dict[str, str] | None:
    """Ollama's `fileDigestMap`: {file path: digest} for a file or a model folder; None when
    the path does not exist (FROM then names a model)."""
    status = stat_local_path(path)
    if status is None:
        return None
    is_directory = stat.S_ISDIR(status.st_mode)
    files: list[str] = []
    if is_directory:
        for found in files_for_model(path):
            resolved = os.path.realpath(found)
            relative = os.path.relpath(resolved, path)
            if not _is_local(relative):
                if ".cache" in relative:
                    raise CreateRequestError(
                        f"insecure path: {relative}\n\n"
                        "Use --local-dir <dir> when downloading model to disable caching"
                    )
                raise CreateRequestError(f"insecure path: {relative}")
            files.append(resolved)
    else:
        files = [path]
    digests: dict[str, str] = {}
    for file_path in files:
        try:
            digests[file_path] = _sha256_digest(os.path.realpath(file_path))
        except OSError as error:
            raise _go_os_error("open", file_path, error) from None
    return digests


def _same_local_path(first: str, second: str) -> bool:
    return os.path.realpath(go_abs(first)) == os.path.realpath(go_abs(second))


# --- The request -----------------------------------------------------------------------------


def _typed_parameter(name: str, value: str) -> object:
    """`api.FormatParams` for one name/value; raises CreateRequestError with Ollama's text."""
    spec = PARAMETERS.get(name)
    if spec is None:
        raise CreateRequestError(f"unknown parameter '{name}'")
    if spec.kind == "int":
        integer = parse_go_int(value)
        if integer is None:
            raise CreateRequestError(f"invalid int value [{value}]")
        return integer
    if spec.kind == "float":
        number = parse_go_float32(value)
        if number is None:
            raise CreateRequestError(f"invalid float value [{value}]")
        return shortest_float32(number)
    if spec.kind == "bool":
        flag = parse_go_bool(value)
        if flag is None:
            raise CreateRequestError(f"invalid bool value [{value}]")
        return flag
    return [value]


def _go_float_text(value: float) -> str:
    """How Go formats Inf/NaN in `json: unsupported value: …`."""
    if math.isnan(value):
        return "NaN"
    return "+Inf" if value > 0 else "-Inf"


def build_create_request(commands: Iterable[Command], directory: Path | None) -> CreateRequest:
    """Ollama's `Modelfile.CreateRequest(directory)` plus the CLI's base-name file keys.

    `directory` is the Modelfile's folder; None resolves relative names against the working
    directory, as Ollama does for an empty folder. Raises CreateRequestError (first error, in
    command order) or CreateMarshalError (Inf/NaN parameter).
    """
    relative_directory = "" if directory is None else str(directory)
    body: dict[str, object] = {"model": ""}
    warnings: list[str] = []
    local_files: dict[str, Path] = {}
    files: dict[str, str] | None = None
    draft_files: dict[str, str] | None = None
    adapters: dict[str, str] | None = None
    licenses: list[str] = []
    messages: list[dict[str, str]] = []
    parameters: dict[str, object] = {}
    model_paths: list[str] = []
    draft_paths: list[str] = []
    from_name = ""
    strings: dict[str, str] = {}

    try:
        for command in commands:
            name, args = command.name, command.args
            if name in ("model", "draft", "adapter"):
                path = expand_path(args, relative_directory)
                digests = file_digest_map(path)
                if digests is None:
                    if name == "model":
                        from_name = args
                        continue
                    raise CreateRequestError(f"stat {path}: no such file or directory")
                others = draft_paths if name == "model" else model_paths
                if name != "adapter":
                    for other in others:
                        if _same_local_path(path, other):
                            raise CreateRequestError(
                                f"DRAFT must not reference the same local path as FROM: {path}"
                            )
                if name == "model":
                    model_paths.append(path)
                    files = {**(files or {}), **digests}
                elif name == "draft":
                    draft_paths.append(path)
                    draft_files = {**(draft_files or {}), **digests}
                else:
                    adapters = digests
            elif name in ("template", "system", "renderer", "parser"):
                strings[name] = args
            elif name == "license":
                licenses.append(args)
            elif name == "requires":
                requires = args if args.startswith("v") else "v" + args
                if not is_valid_semver(requires):
                    raise CreateRequestError(REQUIRES_ERROR)
                strings["requires"] = requires[1:]
            elif name == "message":
                role, _, content = args.partition(": ")
                messages.append({"role": role, "content": content})
            elif name in DEPRECATED_PARAMETERS:
                warnings.append(f"warning: parameter {name} is deprecated")
            else:
                typed = _typed_parameter(name, args)
                existing = parameters.get(name)
                if isinstance(typed, list) and isinstance(existing, list):
                    existing.extend(typed)
                else:
                    parameters[name] = typed
    except CreateRequestError as error:
        raise CreateRequestError(error.message, warnings=warnings) from None

    for final in (files, adapters, draft_files):
        for file_path, digest in (final or {}).items():
            local_files[digest] = Path(file_path)
    if from_name:
        body["from"] = from_name
    for key, digests in (("files", files), ("adapters", adapters)):
        if digests:
            body[key] = {os.path.basename(path): digest for path, digest in digests.items()}
    if strings.get("template"):
        body["template"] = strings["template"]
    if licenses:
        body["license"] = licenses
    if strings.get("system"):
        body["system"] = strings["system"]
    if parameters:
        body["parameters"] = parameters
    if messages:
        body["messages"] = messages
    for key in ("renderer", "parser", "requires"):
        if strings.get(key):
            body[key] = strings[key]
    if draft_files:
        body["draft_files"] = {
            os.path.basename(path): digest for path, digest in draft_files.items()
        }
    body["name"] = ""

    for key in sorted(parameters):
        value = parameters[key]
        if isinstance(value, float) and not math.isfinite(value):
            raise CreateMarshalError(
                f"json: unsupported value: {_go_float_text(value)}", warnings=warnings
            )
    return CreateRequest(body=body, warnings=tuple(warnings), local_files=local_files)
