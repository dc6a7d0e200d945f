"""One rule for (line, column): CRLF, CR and LF each end a line, as in Ollama's parser."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from modelarium.modelfile.model_facts import facts_from_modelfile
from modelarium.modelfile.positions import TextPositions


def test_each_kind_of_line_break_ends_one_line() -> None:
    positions = TextPositions("a\r\nb\rc\nd")
    found = [positions.position(offset) for offset in (0, 3, 5, 7)]
    assert found == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert positions.line(8) == 4
    assert positions.line_range(3) == (3, 4)
    assert positions.full_line_range(3, 3) == (3, 5)


@given(st.text(alphabet="ab\r\n ", max_size=40), st.data())
def test_line_counts_breaks_before_the_offset(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    breaks = re.findall(r"\r\n|\r|\n", text[:offset])
    line, column = TextPositions(text).position(offset)
    # An offset between the CR and LF of a CRLF still sits on the line the CRLF ends.
    if offset and text[offset - 1] == "\r" and text[offset : offset + 1] == "\n":
        assert line == len(breaks)
    else:
        assert line == len(breaks) + 1
        last = max((m.end() for m in re.finditer(r"\r\n|\r|\n", text[:offset])), default=0)
        assert column == offset - last + 1


def test_inherited_parameter_lines_count_carriage_returns_like_lint() -> None:
    modelfile = "FROM base\rPARAMETER temperature 0.7\rPARAMETER top_k 20\r"
    facts = facts_from_modelfile("m", modelfile, host="h")
    assert facts.parameter_lines == {"temperature": 2, "top_k": 3}
