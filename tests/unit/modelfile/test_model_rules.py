"""Model-aware lint: each rule has a Modelfile that triggers it and one that does not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from modelarium.modelfile.lint import RULES, lint
from modelarium.modelfile.model_facts import (
    CuratedAdvice,
    ModelFacts,
    facts_from_modelfile,
    family_of,
)
from modelarium.modelfile.model_rules import MODEL_RULES, ElementSpan, check_against_model

QWEN_TEMPLATE = (
    "{{- if .Messages }}{{ range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n"
    "{{ end }}{{ if .Tools }}{{ .Tools }}{{ end }}{{ end }}<|im_start|>assistant\n"
)
QWEN_MODELFILE = (
    "FROM /root/.ollama/models/blobs/sha256-aaaa\n"
    f'TEMPLATE """{QWEN_TEMPLATE}"""\n'
    'SYSTEM "You are Qwen."\n'
    'PARAMETER stop "<|im_end|>"\n'
    "PARAMETER temperature 0.7\n"
)
QWEN = facts_from_modelfile(
    "qwen2.5-coder:7b",
    QWEN_MODELFILE,
    architecture="qwen2",
    context_length=32768,
    capabilities=("completion", "tools", "insert"),
    host="laptop",
    host_version="0.12.3",
)
QWEN3_WARNING = CuratedAdvice(
    "qwen-qwen3-8b-general-note-thinking",
    "DO NOT use greedy decoding, as it can lead to performance degradation and endless "
    "repetitions.",
    "QwenLM/Qwen3@7a2f61ffc7a2:docs/source/getting_started/quickstart.md",
    "vendor recommendation",
)
QWEN3 = replace(
    facts_from_modelfile(
        "qwen3:8b",
        "FROM qwen3:8b\n"
        'TEMPLATE """{{ if .Think }}/think{{ end }}{{ .Thinking }}{{ .Tools }}<|im_end|>"""\n',
        architecture="qwen3",
        context_length=40960,
        capabilities=("completion", "tools", "thinking"),
    ),
    greedy_warning=QWEN3_WARNING,
)
LLAMA2 = facts_from_modelfile(
    "llama2:7b",
    'FROM llama2:7b\nTEMPLATE "[INST] {{ .Prompt }} [/INST]"\n',
    architecture="llama",
    context_length=4096,
    capabilities=("completion",),
)


def codes(text: str, facts: ModelFacts, **options: object) -> list[str]:
    return [d.code for d in check_against_model(text, facts, **options)]  # type: ignore[arg-type]


def test_facts_read_the_inherited_parts() -> None:
    assert QWEN.family == "qwen"
    assert QWEN.template == QWEN_TEMPLATE
    assert QWEN.system == "You are Qwen."
    assert QWEN.stops == ("<|im_end|>",)
    assert QWEN.parameters["temperature"] == "0.7"
    assert QWEN.parameter_lines == {"stop": 7, "temperature": 8}
    assert QWEN.supports("tools") and not QWEN.supports("thinking")


@pytest.mark.parametrize(
    ("architecture", "name", "family"),
    [
        ("qwen3moe", "", "qwen"),
        ("granitehybrid", "granite4:3b", "granite"),
        ("", "hf.co/mistralai/Magistral-Small", "mistral"),
        ("", "codellama:7b", "llama"),
        ("", "my-model", ""),
    ],
)
def test_family_of(architecture: str, name: str, family: str) -> None:
    assert family_of(architecture, name) == family


def test_the_codes_are_new_and_documented() -> None:
    assert not set(MODEL_RULES) & set(RULES)
    doc = (Path(__file__).parents[3] / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for code, rule in MODEL_RULES.items():
        assert f"## {code} {rule.name}\n" in doc, f"{code} is not documented in lint-rules.md"


def test_num_ctx_above_the_model_context() -> None:
    text = "FROM qwen2.5-coder:7b\nPARAMETER num_ctx 200000\n"
    (diagnostic,) = check_against_model(text, QWEN)
    assert diagnostic.code == "MF101"
    assert (diagnostic.line, diagnostic.column) == (2, 19)
    assert "32,768" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.replacement == "32768"
    assert codes("FROM qwen2.5-coder:7b\nPARAMETER num_ctx 32768\n", QWEN) == []


def test_another_familys_stop_token() -> None:
    text = "FROM qwen2.5-coder:7b\nPARAMETER stop <|eot_id|>\n"
    assert codes(text, QWEN) == ["MF111", "MF110"]
    fine = "FROM qwen2.5-coder:7b\nPARAMETER stop <|im_end|>\nPARAMETER stop User:\n"
    assert codes(fine, QWEN) == []


def test_stops_are_judged_on_the_rendered_prompts_of_the_inherited_template() -> None:
    fim = facts_from_modelfile(
        "coder:7b",
        "FROM coder:7b\n"
        'TEMPLATE """{{ if .Suffix }}<|fim_middle|>{{ end }}{{ range .Messages }}<|im_start|>'
        '{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n"""\n',
        architecture="qwen2",
    )
    text = "FROM coder:7b\nPARAMETER stop <|im_end|>\nPARAMETER stop <|fim_middle|>\n"
    (diagnostic,) = check_against_model(text, fim)  # in the TEMPLATE text, in no prompt
    assert diagnostic.code == "MF110" and (diagnostic.line, diagnostic.column) == (3, 16)
    assert diagnostic.message == (
        "stop '<|fim_middle|>' never occurs in the prompts coder:7b's TEMPLATE renders (plain, "
        "system, multi-turn and tools samples): coder:7b is unlikely to emit it, so it will not "
        "end a turn; that TEMPLATE ends turns with '<|im_end|>'"
    )
    assert codes("FROM coder:7b\nPARAMETER stop <|im_end|>\n", fim) == []


def test_stops_against_the_files_own_template_leave_mf050_its_lines() -> None:
    own = (
        "FROM qwen2.5-coder:7b\n"
        'TEMPLATE """{{ range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n'
        '{{ if eq .Role "nobody" }}<|endoftext|>{{ end }}{{ end }}{{ if .Tools }}{{ .Tools }}'
        '{{ end }}<|im_start|>assistant\n"""\n'
        "PARAMETER stop <|im_end|>\n"
    )
    assert codes(own, QWEN) == []
    foreign = own + "PARAMETER stop <|eot_id|>\n"
    (diagnostic,) = check_against_model(foreign, QWEN)
    assert diagnostic.code == "MF110" and diagnostic.line == 7
    assert "this file's TEMPLATE (line 2)" in diagnostic.message
    branch = own + "PARAMETER stop <|endoftext|>\n"  # written only in a branch never taken
    assert codes(branch, QWEN) == []
    assert [d.code for d in lint(branch) if d.line == 7] == ["MF050"]


def test_tools_template_on_a_model_without_tools() -> None:
    text = 'FROM llama2:7b\nTEMPLATE "{{ .Tools }}[INST] {{ .Prompt }} [/INST]"\n'
    assert codes(text, LLAMA2) == ["MF102"]
    assert codes('FROM llama2:7b\nTEMPLATE "[INST] {{ .Prompt }} [/INST] "\n', LLAMA2) == []


def test_a_template_that_drops_tools_or_thinking() -> None:
    text = 'FROM qwen3:8b\nTEMPLATE "{{ .Prompt }}"\n'
    assert codes(text, QWEN3) == ["MF103", "MF105"]
    kept = 'FROM qwen3:8b\nTEMPLATE "{{ .Tools }}{{ .Thinking }}{{ .Prompt }}"\n'
    assert codes(kept, QWEN3) == []


def test_thinking_settings_on_a_model_that_does_not_think() -> None:
    text = 'FROM llama2:7b\nSYSTEM "/no_think Answer briefly."\n'
    assert codes(text, LLAMA2) == ["MF104"]
    template = 'FROM llama2:7b\nTEMPLATE "{{ if .Think }}x{{ end }}{{ .Prompt }}"\n'
    assert codes(template, LLAMA2) == ["MF104"]
    assert codes('FROM llama2:7b\nSYSTEM "Answer briefly (see /etc/think)."\n', LLAMA2) == []


def test_greedy_decoding_on_a_thinking_model() -> None:
    assert codes("FROM qwen3:8b\nPARAMETER temperature 0\n", QWEN3) == ["MF106"]
    assert codes("FROM qwen3:8b\nPARAMETER temperature 0.6\n", QWEN3) == []
    assert codes("FROM qwen2.5-coder:7b\nPARAMETER temperature 0\n", QWEN) == []


def test_greedy_decoding_warns_only_where_a_curated_record_does() -> None:
    (diagnostic,) = check_against_model("FROM qwen3:8b\nPARAMETER temperature 0\n", QWEN3)
    assert diagnostic.message == (
        "temperature 0 makes qwen3:8b, a thinking model, decode greedily, which the curated "
        'family settings warn against: "DO NOT use greedy decoding, as it can lead to '
        'performance degradation and endless repetitions." (qwen-qwen3-8b-general-note-'
        "thinking; vendor recommendation; QwenLM/Qwen3@7a2f61ffc7a2:docs/source/"
        "getting_started/quickstart.md)"
    )
    granite = facts_from_modelfile(
        "granite3.3:8b", "", architecture="granite", capabilities=("completion", "thinking")
    )  # no record warns: IBM's own examples decode greedily
    assert codes("FROM granite3.3:8b\nPARAMETER temperature 0\n", granite) == []


def test_repeating_what_is_inherited() -> None:
    text = 'FROM qwen2.5-coder:7b\nSYSTEM "You are Qwen."\n'
    (diagnostic,) = check_against_model(text, QWEN)
    assert diagnostic.code == "MF107" and diagnostic.severity == "info"
    assert diagnostic.fix is not None and diagnostic.fix.replacement == ""
    assert codes('FROM qwen2.5-coder:7b\nSYSTEM "You are a reviewer."\n', QWEN) == []


def test_requires_a_newer_ollama_than_the_host_runs() -> None:
    (diagnostic,) = check_against_model("FROM qwen2.5-coder:7b\nREQUIRES 0.13.0\n", QWEN)
    assert diagnostic.code == "MF108" and "on laptop" in diagnostic.message
    assert codes("FROM qwen2.5-coder:7b\nREQUIRES 0.12.3\n", QWEN) == []
    assert codes("FROM qwen2.5-coder:7b\nREQUIRES 0.12.3-rc1\n", QWEN) == []


def test_settings_from_another_familys_element() -> None:
    granite = facts_from_modelfile("granite4:3b", "", architecture="granitehybrid")
    text = "FROM granite4:3b\nPARAMETER temperature 0.7\nPARAMETER top_k 20\n"
    spans = [ElementSpan(2, 3, "qwen", "Qwen2.5-Coder code settings")]
    found = check_against_model(text, granite, element_spans=spans)
    assert [d.code for d in found] == ["MF109"]
    assert found[0].line == 2 and "Qwen2.5-Coder" in found[0].message
    assert codes(text, granite, element_spans=[ElementSpan(2, 3, "granite", "g")]) == []


def test_load_time_settings_on_a_cloud_model() -> None:
    cloud = facts_from_modelfile("gpt-oss:120b-cloud", "", remote_host="https://ollama.com:443")
    assert codes("FROM gpt-oss:120b-cloud\nPARAMETER num_ctx 8192\n", cloud) == ["MF112"]
    assert codes("FROM gpt-oss:120b-cloud\nPARAMETER temperature 1\n", cloud) == []


def test_a_renderer_base_skips_the_template_rules() -> None:
    rendered = facts_from_modelfile(
        "qwen3-coder:30b", "", capabilities=("tools",), renderer="qwen3-coder"
    )
    assert codes('FROM qwen3-coder:30b\nTEMPLATE "{{ .Prompt }}"\n', rendered) == []


def test_text_that_does_not_parse_is_left_to_the_text_lint() -> None:
    assert check_against_model('FROM x\nSYSTEM """open\n', QWEN) == []


def test_an_adapter_for_another_family(tmp_path: Path) -> None:
    from modelarium.modelfile.gguf_header import gguf_architecture
    from tests.gguf_files import write_header

    qwen_lora = tmp_path / "qwen-lora.gguf"
    qwen_lora.write_bytes(write_header({"general.type": "adapter", "general.architecture": "qwen2"},
                                       [("blk.0.attn_q.lora_a", [8, 64], 0)]))  # fmt: skip
    llama_lora = tmp_path / "llama-lora.gguf"
    llama_lora.write_bytes(write_header({"general.architecture": "llama"}, []))
    assert gguf_architecture(qwen_lora) == "qwen2"
    assert gguf_architecture(tmp_path / "missing.gguf") is None
    text = "FROM llama2:7b\nADAPTER ./qwen-lora.gguf\n"
    assert codes(text, LLAMA2, directory=tmp_path) == ["MF113"]
    assert codes("FROM llama2:7b\nADAPTER ./llama-lora.gguf\n", LLAMA2, directory=tmp_path) == []
    assert codes(f"FROM llama2:7b\nADAPTER {qwen_lora}\n", LLAMA2) == ["MF113"]
    assert codes(text, LLAMA2) == [], "a relative path needs the Modelfile's folder"
