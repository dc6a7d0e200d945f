"""Effective settings: each value with where it comes from."""

from __future__ import annotations

from modelarium.modelfile.effective import effective_settings, model_settings, settings_table
from modelarium.modelfile.model_facts import facts_from_modelfile

BASE = facts_from_modelfile(
    "llama3.1:8b",
    "FROM llama3.1:8b\n"
    'TEMPLATE "{{ .Prompt }}"\n'
    'PARAMETER stop "<|start_header_id|>"\n'
    'PARAMETER stop "<|eot_id|>"\n'
    "PARAMETER temperature 0.6\n",
)


Row = tuple[object, str, str, str | None]


def by_name(text: str | None, **options: object) -> dict[str, Row]:
    settings = effective_settings(text, BASE, **options)  # type: ignore[arg-type]
    return {s.name: (s.value, s.source, s.origin, s.running) for s in settings}


def test_own_inherited_and_default_values() -> None:
    found = by_name("FROM llama3.1:8b\n\nPARAMETER num_ctx 32768\nPARAMETER temperature 0.2\n")
    assert found["num_ctx"] == ("32768", "modelfile", "line 3", None)
    assert found["temperature"] == ("0.2", "modelfile", "line 4", None)
    assert found["stop"] == (
        ("<|start_header_id|>", "<|eot_id|>"),
        "inherited",
        "from llama3.1:8b (its line 3)",
        None,
    )
    assert found["template"] == ("{{ .Prompt }}", "inherited", "from llama3.1:8b", None)
    assert found["top_k"][:2] == ("40", "default")
    assert "system" not in found


def test_a_stop_list_replaces_the_inherited_one_whole() -> None:
    found = by_name("FROM llama3.1:8b\nPARAMETER stop <|eot_id|>\n")
    assert found["stop"] == (("<|eot_id|>",), "modelfile", "line 2", None)


def test_the_running_context_is_shown_beside_num_ctx() -> None:
    found = by_name(None, running_context=8192)
    value, source, origin, running = found["num_ctx"]
    assert (value, source) == ("0", "default")
    assert "OLLAMA_CONTEXT_LENGTH" in origin
    assert running == "loaded with 8,192 tokens (ollama ps)"


def test_unset_settings_on_request() -> None:
    found = by_name(None, include_unset=True)
    assert found["system"][1:3] == ("unset", "not set")
    assert found["main_gpu"][1] == "unset"


def test_table_rows_cut_long_text() -> None:
    settings = effective_settings('FROM x\nSYSTEM """one\ntwo"""\n', None)
    rows = {name: (value, origin) for name, value, origin in settings_table(settings)}
    assert rows["system"] == ("one …", "line 2")


def test_an_installed_model_tells_its_own_values_from_its_bases() -> None:
    derived = facts_from_modelfile(
        "reviewer:latest",
        "FROM /blobs/sha256-aaaa\n"
        'TEMPLATE "{{ .Prompt }}"\n'
        'SYSTEM "Review SQL."\n'
        'PARAMETER stop "<|start_header_id|>"\n'
        'PARAMETER stop "<|eot_id|>"\n'
        "PARAMETER temperature 0.2\n",
        parent_model="llama3.1:8b",
    )
    found = {s.name: (s.value, s.source, s.origin, s.line) for s in model_settings(derived, BASE)}
    assert found["temperature"] == ("0.2", "modelfile", "set by reviewer:latest", None)
    assert found["system"] == ("Review SQL.", "modelfile", "set by reviewer:latest", None)
    assert found["template"] == ("{{ .Prompt }}", "inherited", "from llama3.1:8b", None)
    assert found["stop"][1:3] == ("inherited", "from llama3.1:8b (its line 3)")
    alone = {s.name: (s.source, s.origin) for s in model_settings(derived)}
    assert alone["temperature"] == ("inherited", "its Modelfile (line 6)")
    assert alone["template"] == ("inherited", "its Modelfile")
