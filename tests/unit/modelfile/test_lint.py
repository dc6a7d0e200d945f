"""Lint rules: each code fires on its mistake and stays quiet on the corrected text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modelarium.modelfile.lint import RULES, Diagnostic, has_errors, lint
from tests.conftest import load_oracle_cases
from tests.unit.modelfile.prompt_lint_cases import PROMPT_CASES
from tests.unit.modelfile.test_elements_strategies import oracle_inputs
from tests.unit.modelfile.test_lint_inputs import assert_well_formed

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "modelfiles"

DOCSTRING_TEMPLATE = (
    'FROM x\nTEMPLATE """Write Python like this:\ndef f():\n    """Docstring."""\n'
    '    return 1\n"""\n'
)

CASES: dict[str, tuple[str, str]] = {
    "MF001": ("FROM x\nSYTEM hi\n", "FROM x\nSYSTEM hi\n"),
    "MF002": ("FROM x\nrepeat_last_n 2048\n", "FROM x\nPARAMETER repeat_last_n 2048\n"),
    "MF003": ("FROM x\nSYSTEM\n", "FROM x\nSYSTEM hi\n"),
    "MF004": ("FROM x\nPARAMETER num-ctx 4096\n", "FROM x\nPARAMETER num_ctx 4096\n"),
    "MF005": ("FROM x\nMESSAGE User hi\n", "FROM x\nMESSAGE user hi\n"),
    "MF006": (
        'FROM x\nSYSTEM """unclosed\nPARAMETER seed 1\n',
        'FROM x\nSYSTEM """closed\n"""\nPARAMETER seed 1\n',
    ),
    "MF007": (
        'FROM x\nSYSTEM "be brief" # short\nPARAMETER seed 1\n',
        'FROM x\n# short\nSYSTEM "be brief"\nPARAMETER seed 1\n',
    ),
    "MF008": (DOCSTRING_TEMPLATE, DOCSTRING_TEMPLATE.replace('"""Docstring."""', "# Docstring.")),
    "MF009": ("# FROM llama3\nSYSTEM hi\n", "FROM llama3\nSYSTEM hi\n"),
    "MF010": ("FROM: llama3\n", "FROM llama3\n"),
    "MF011": (
        'FROM x\nSYSTEM "You are helpful\nPARAMETER stop "x"\n',
        'FROM x\nSYSTEM "You are helpful"\nPARAMETER stop "x"\n',
    ),
    "MF020": ("FROM x\nPARAMETER temprature 0.7\n", "FROM x\nPARAMETER temperature 0.7\n"),
    "MF021": ("FROM x\nPARAMETER num_ctx 4096.0\n", "FROM x\nPARAMETER num_ctx 4096\n"),
    "MF022": (
        "FROM x\nPARAMETER num_ctx 32768   # longer context\n",
        "FROM x\n# longer context\nPARAMETER num_ctx 32768\n",
    ),
    "MF023": (
        "FROM x\nPARAMETER num_ctx <add the context size>\n",
        "FROM x\nPARAMETER num_ctx 8192\n",
    ),
    "MF024": ("FROM x\nPARAMETER top_p 1.5\n", "FROM x\nPARAMETER top_p 0.9\n"),
    "MF025": ("FROM x\nPARAMETER mirostat 2\n", "FROM x\n"),
    "MF026": (
        "FROM x\nPARAMETER temperature 0.1\nPARAMETER temperature 0.2\n",
        "FROM x\nPARAMETER stop a\nPARAMETER stop b\n",
    ),
    "MF027": ("FROM x\nPARAMETER temperature inf\n", "FROM x\nPARAMETER temperature 1\n"),
    "MF028": ("FROM x\nPARAMETER  temperature 0.5\n", "FROM x\nPARAMETER temperature 0.5\n"),
    "MF030": ("FROM x\nSYSTEM a\nSYSTEM b\n", "FROM x\nSYSTEM b\n"),
    "MF031": (
        'FROM x\nTEMPLATE """{{ .Prompt }}"""\nPARAMETER stop <|im_end|>\n',
        'FROM x\nTEMPLATE """{{ .Prompt }}<|im_end|>"""\nPARAMETER stop <|im_end|>\n',
    ),
    "MF032": (
        'FROM x\nTEMPLATE """{{ if .System }}{{ .System }}"""\n',
        'FROM x\nTEMPLATE """{{ if .System }}{{ .System }}{{ end }}"""\n',
    ),
    "MF033": ("FROM ./model.gguf\n", "FROM ./model.gguf\nTEMPLATE {{ .Prompt }}\n"),
    "MF034": ("FROM x\nREQUIRES 1.2-rc1\n", "FROM x\nREQUIRES 0.14.0\n"),
    "MF035": ("FROM \n", "FROM x\n"),
    "MF036": ("FROM ~nosuchuser-modelarium/weights\n", "FROM ~/weights\n"),
    "MF040": ('FROM x\r\nSYSTEM """a\r\nb"""\r\n', 'FROM x\nSYSTEM """a\nb"""\n'),
    "MF041": ("\ufeffFROM x\n", "FROM x\n"),
}
CASES.update(PROMPT_CASES)


FIXES: dict[str, str | None] = {
    "MF001": "replace with SYSTEM",
    "MF002": "add the PARAMETER keyword",
    "MF003": None,
    "MF004": "use num_ctx",
    "MF005": "use user",
    "MF006": None,
    "MF007": "remove the comment (a # after a value is not a comment)",
    "MF008": None,
    "MF009": None,
    "MF010": "remove the ':'",
    "MF011": None,
    "MF020": "use temperature",
    "MF021": None,
    "MF022": "drop the comment (put it on its own line above)",
    "MF023": None,
    "MF024": None,
    "MF025": "remove the line",
    "MF026": "remove this earlier line",
    "MF027": None,
    "MF028": "write PARAMETER temperature 0.5",
    "MF030": None,
    "MF031": None,
    "MF032": None,
    "MF033": None,
    "MF034": None,
    "MF035": None,
    "MF036": None,
    "MF040": None,
    "MF041": None,
    "MF050": None,
    "MF051": None,
    "MF052": None,
    "MF053": None,
    "MF054": None,
    "MF055": None,
}
"""The fix each rule case offers (None: the rule offers none for it, which is asserted too)."""


def _codes(text: str) -> list[str]:
    return [diagnostic.code for diagnostic in lint(text)]


def test_every_rule_has_a_case_and_documentation() -> None:
    assert sorted(CASES) == sorted(RULES)
    assert sorted(FIXES) == sorted(RULES)
    documented = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"## {code} {rule.name}" in documented, code


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_the_mistake(code: str) -> None:
    failing, _ = CASES[code]
    found = [d for d in lint(failing) if d.code == code]
    assert found, f"{code} did not fire on {failing!r}: {_codes(failing)}"
    assert found[0].severity in (RULES[code].severity, "warning")


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_on_the_corrected_text(code: str) -> None:
    _, passing = CASES[code]
    assert code not in _codes(passing)


def _offset(text: str, line: int, column: int) -> int:
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    return starts[line - 1] + column - 1


def _apply(text: str, diagnostic: Diagnostic) -> str:
    assert diagnostic.fix is not None
    start = _offset(text, diagnostic.line, diagnostic.column)
    end = _offset(text, diagnostic.end_line, diagnostic.end_column)
    return text[:start] + diagnostic.fix.replacement + text[end:]


@pytest.mark.parametrize("code", sorted(CASES))
def test_fixes_remove_the_problem(code: str) -> None:
    failing, _ = CASES[code]
    found = [diagnostic for diagnostic in lint(failing) if diagnostic.code == code]
    assert found, f"{code} did not fire on {failing!r}"
    expected = FIXES[code]
    if expected is None:
        assert [diagnostic.fix for diagnostic in found] == [None] * len(found), code
        return
    offered = [diagnostic for diagnostic in found if diagnostic.fix is not None]
    assert [diagnostic.fix.description for diagnostic in offered if diagnostic.fix][:1] == [
        expected
    ]
    for diagnostic in offered:
        fixed = _apply(failing, diagnostic)
        assert code not in _codes(fixed), (failing, fixed)


def test_did_you_mean_suggestions() -> None:
    messages = {d.code: d for d in lint("FROM x\nPARAMETER TEMPERATURE 1\n")}
    assert messages["MF020"].fix is not None
    assert messages["MF020"].fix.replacement == "temperature"
    (typo,) = lint("FROM x\nPARAMETER temprature 1\n")
    assert "did you mean temperature?" in typo.message
    (dash,) = lint("FROM x\nPARAMETER num-ctx 1\n")
    assert dash.fix is not None and dash.fix.replacement == "num_ctx"
    (model,) = lint("MODEL llama3\n")
    assert model.fix is not None and model.fix.replacement == "FROM"


def test_parameter_line_without_keyword_gets_the_full_fix() -> None:
    (found,) = lint("FROM x\nrepeat_last_n 2048\n")
    assert found.fix is not None
    assert found.fix.replacement == "PARAMETER repeat_last_n 2048"
    assert (found.line, found.column) == (2, 1)


def test_hashes_inside_stop_values_are_legitimate() -> None:
    text = 'FROM x\nPARAMETER stop ### Instruction:\nPARAMETER stop #END#\nPARAMETER stop "###"\n'
    assert lint(text) == []


def test_comment_after_stop_is_only_a_warning() -> None:
    (found,) = lint("FROM x\nPARAMETER stop </s> # end of turn\n")
    assert (found.code, found.severity) == ("MF022", "warning")


def test_comment_after_from_is_an_error() -> None:
    (found,) = lint("FROM llama3 # base model\n")
    assert (found.code, found.severity) == ("MF022", "error")


def test_placeholders_in_several_shapes() -> None:
    for value in ("<add the context size>", "eg 0.9", "e.g. 0.9", "TODO", "<number>"):
        codes = _codes(f"FROM x\nPARAMETER top_p {value}\n")
        assert codes == ["MF023"], value
    assert _codes("FROM <your model here>\n") == ["MF023"]
    assert "MF023" not in _codes("FROM x\nPARAMETER stop <|im_end|>\nPARAMETER stop </s>\n")


def test_rope_frequency_base_is_an_error_and_mirostat_a_warning() -> None:
    text = "FROM x\nPARAMETER rope_frequency_base 10000\nPARAMETER mirostat_eta 0.1\n"
    found = {d.code: d for d in lint(text)}
    assert found["MF020"].severity == "error"
    assert "no longer accepts" in found["MF020"].message
    assert found["MF025"].severity == "warning"


def test_unclosed_quote_points_at_the_line_where_it_opened() -> None:
    text = 'FROM x\nPARAMETER seed 1\nSYSTEM """You help.\nPARAMETER stop a\nMESSAGE user hi\n'
    (found,) = lint(text)
    assert (found.code, found.line, found.column) == ("MF006", 3, 8)
    assert "line 3" in found.message


def test_docstring_closing_the_template_early_names_both_lines() -> None:
    (found,) = lint(DOCSTRING_TEMPLATE)
    assert found.code == "MF008"
    assert found.line == 4
    assert "opened on line 2" in found.message


def test_text_after_a_closing_quote_that_swallows_lines_silently() -> None:
    text = 'FROM x\nSYSTEM "closed" but more\nPARAMETER stop "x"\n'
    found = [d for d in lint(text) if d.code == "MF007"]
    assert found and found[0].line == 2
    assert "line 3" in found[0].message


def test_prose_inside_a_quoted_value_is_not_taken_for_instructions() -> None:
    text = (
        'FROM x\nSYSTEM """From now on you are Mario.\nFROM NOW ON, be loud.\n'
        'Message from the assistant follows.\nparameter is good\n"""\n'
    )
    assert lint(text) == []


def test_template_error_position_is_inside_the_template() -> None:
    text = 'FROM x\nTEMPLATE """line one\n  {{ if .System }}x\n"""\n'
    (found,) = lint(text)
    assert (found.code, found.line, found.column) == ("MF032", 3, 3)


def test_later_parse_errors_are_reported_too() -> None:
    text = (
        "FROM x\nSYTEM hi\nrepeat_last_n 64\nPARAMETER num-ctx 4096\nMESSAGE User hello\n"
        "PARAMETER temprature 0.5\n"
    )
    found = [(d.code, d.line) for d in lint(text)]
    assert found == [("MF001", 2), ("MF002", 3), ("MF004", 4), ("MF005", 5), ("MF020", 6)]
    later = [d.message for d in lint(text)[1:]]
    assert not any("Ollama:" in message for message in later)


def test_no_recovery_inside_a_swallowing_quote() -> None:
    codes = [d.code for d in lint('FROM x\nSYSTEM "open\nBOGUS line\nMORE\n')]
    assert codes == ["MF006"]


def test_bytes_input_reports_a_utf8_bom() -> None:
    assert [d.code for d in lint(b"\xef\xbb\xbfFROM x\n")] == ["MF041"]


def test_crlf_without_multi_line_values_is_a_note() -> None:
    (found,) = lint("FROM x\r\nSYSTEM hi\r\n")
    assert (found.code, found.severity) == ("MF040", "info")


def test_directory_detects_local_weights(tmp_path: Path) -> None:
    (tmp_path / "weights.bin").write_bytes(b"GGUF")
    codes = [d.code for d in lint("FROM weights.bin\n", directory=tmp_path)]
    assert codes == ["MF033"]
    assert lint("FROM weights.bin\n") == []


def test_json_shape() -> None:
    (found,) = lint("FROM x\nPARAMETER temprature 1\n")
    assert found.to_json() == {
        "code": "MF020",
        "severity": "error",
        "line": 2,
        "column": 11,
        "end_line": 2,
        "end_column": 21,
        "message": found.message,
        "fix": {"description": "use temperature", "replacement": "temperature"},
    }


@pytest.mark.parametrize(("case_id", "data"), oracle_inputs())
def test_no_false_error_on_what_ollama_accepts_and_creates(case_id: str, data: bytes) -> None:
    expect = next(case["expect"] for case in load_oracle_cases() if case["id"] == case_id)
    diagnostics = lint(data)
    if not expect["ok"] or "create_error" in expect or "create_marshal_error" in expect:
        if "create_skipped" not in expect and "create_request" not in expect:
            assert has_errors(diagnostics), case_id
        return
    errors = [d for d in diagnostics if d.severity == "error"]
    if case_id == "from-empty-after-space":
        # The request converts, but the server refuses it: "neither 'from' or 'files' ...".
        assert [d.code for d in errors] == ["MF035"]
        return
    assert errors == [], case_id


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.Modelfile")), ids=lambda p: p.name)
def test_realistic_fixtures_have_no_errors_or_warnings(path: Path) -> None:
    diagnostics = lint(path.read_text(encoding="utf-8"))
    assert [d for d in diagnostics if d.severity != "info"] == []


def test_lint_never_raises_on_odd_input() -> None:
    for text in ("", "\ufeff", '"', '"""', "\r", "PARAMETER", "MESSAGE ", "{{", "\x00\x00"):
        assert isinstance(lint(text), list)
        diagnostics = lint(text)
        assert_well_formed(text, diagnostics)
        # Each of these is refused by Ollama's parser or create, so each gets an error.
        assert has_errors(diagnostics), text
