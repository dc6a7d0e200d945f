"""Go's float32 arithmetic and Go's float64 printing, exactly.

`round_to_float32` and `shortest_float32` give what `strconv.ParseFloat(s, 32)` stores and what
`encoding/json` writes for a float32 (create's PARAMETER values); `format_float` is `fmt`'s `%v`
of a float64 and `json_float` is `encoding/json`'s float64 text (the template executor and the
demo host print both). Pure.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

_FLOAT32_MAX_EXPONENT = 128  # values >= 2**128 overflow
_FLOAT32_MIN_QUANTUM = -149  # the smallest subnormal is 2**-149


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


_MAX_DECIMAL_DIGITS = 800


def bounded_decimal(digits: list[str], fraction_digits: int) -> tuple[list[str], int]:
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
    """The IEEE bits of `value` rounded to float32."""
    bits: int = _UINT32.unpack(_FLOAT32.pack(value))[0]
    return bits


def _float32_from_bits(bits: int) -> float:
    """The float32 with IEEE bits `bits`."""
    value: float = _FLOAT32.unpack(_UINT32.pack(bits))[0]
    return value


def float32_via_double(number: float) -> float | None:
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


def exact_float32(mantissa: int, base: int, exponent: int, fraction_digits: int) -> float | None:
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
            settled = float32_via_double(candidate)
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


# --- float64 printing (fmt %v, encoding/json) -------------------------------------------------


def shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of |value| and the decimal point position (0.DIGITS × 10^dp)."""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    dp = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0") or "0", dp


def exponent_form(digits: str, dp: int, upper: bool = False) -> str:
    """`d.ddde±XX` (two exponent digits at least) of the digits `0.DIGITS × 10^dp`."""
    exponent = dp - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exponent < 0 else "+"
    return f"{mantissa}{'E' if upper else 'e'}{sign}{abs(exponent):02d}"


def fixed_form(digits: str, dp: int) -> str:
    """The digits `0.DIGITS × 10^dp` without an exponent."""
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def special_text(value: float) -> str | None:
    """Go's text of NaN and the infinities; None for a finite value."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return None


def format_float(value: float) -> str:
    """Go's `%v` of a float64: shortest digits, exponent form below 1e-4 or from 1e+06 on
    (`1250.5`, `1e+06`, `1e-05`)."""
    special = special_text(value)
    if special is not None:
        return special
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, dp = shortest_digits(value)
    sign = "-" if value < 0 else ""
    if dp - 1 < -4 or dp - 1 >= 6:
        return sign + exponent_form(digits, dp)
    return sign + fixed_form(digits, dp)


def format_complex(value: complex) -> str:
    """Go's `%v` of a complex128: `(1+2i)`."""
    imaginary = format_float(value.imag)
    if not imaginary.startswith(("-", "+")):
        imaginary = "+" + imaginary
    return f"({format_float(value.real)}{imaginary}i)"


def json_float(value: float) -> str | None:
    """Go's `encoding/json` float64 text, or None for NaN/Inf (which it refuses)."""
    if math.isnan(value) or math.isinf(value):
        return None
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, dp = shortest_digits(value)
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        text = exponent_form(digits, dp)
        if text[-4:-1] == "e-0":
            text = text[:-2] + text[-1]
        return sign + text
    return sign + fixed_form(digits, dp)
