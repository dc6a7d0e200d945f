"""Elements: commands <-> elements, and generated text that Ollama's parser reads back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelarium.modelfile.commands import Command, ModelfileError
from modelarium.modelfile.elements import (
    Element,
    ElementKind,
    GenerateError,
    Message,
    Parameter,
    commands_from_elements,
    elements_from_commands,
    elements_from_text,
    generate_modelfile,
    quote_value,
)
from modelarium.modelfile.parser import parse, scan
from tests.unit.modelfile.test_elements_strategies import element_sets, oracle_texts, values


def test_parameters_and_messages_group_where_the_first_appeared() -> None:
    commands = [
        Command("model", "llama3"),
        Command("temperature", "0.7"),
        Command("system", "be brief"),
        Command("message", "user: hi"),
        Command("stop", "<|eot_id|>"),
        Command("message", "assistant: hello: there"),
        Command("stop", "<|end|>"),
    ]
    elements = elements_from_commands(commands)
    assert [e.kind for e in elements] == [
        ElementKind.BASE,
        ElementKind.PARAMETERS,
        ElementKind.SYSTEM,
        ElementKind.MESSAGES,
    ]
    assert elements[1].parameters == (
        Parameter("temperature", "0.7"),
        Parameter("stop", "<|eot_id|>"),
        Parameter("stop", "<|end|>"),
    )
    assert elements[3].messages == (Message("user", "hi"), Message("assistant", "hello: there"))


def test_vision_model_keeps_two_base_elements() -> None:
    elements = elements_from_text("FROM /blobs/model\nFROM /blobs/projector\n")
    assert [e.value for e in elements if e.kind is ElementKind.BASE] == [
        "/blobs/model",
        "/blobs/projector",
    ]


def test_commands_from_elements_puts_grouped_commands_in_element_order() -> None:
    elements = elements_from_commands(
        [Command("model", "x"), Command("seed", "1"), Command("system", "s"), Command("seed", "2")]
    )
    assert commands_from_elements(elements) == [
        Command("model", "x"),
        Command("seed", "1"),
        Command("seed", "2"),
        Command("system", "s"),
    ]


def test_elements_from_text_raises_the_parse_error() -> None:
    with pytest.raises(ModelfileError, match="no FROM line"):
        elements_from_text("SYSTEM hi\n")


@pytest.mark.parametrize(("case_id", "text"), oracle_texts())
def test_oracle_commands_survive_elements(case_id: str, text: str) -> None:
    outcome = scan(text)
    if outcome.error is not None:
        return
    commands = [p.command for p in outcome.commands]
    elements = elements_from_commands(commands)
    # Grouping may move commands, but each kind's own order is kept.
    regrouped = commands_from_elements(elements)
    assert sorted(regrouped, key=repr) == sorted(commands, key=repr), case_id
    assert elements_from_commands(regrouped) == elements
    try:
        generated = generate_modelfile(elements)
    except GenerateError:
        return
    assert parse(generated) == regrouped, case_id


def test_generator_chooses_the_simplest_quoting_that_survives() -> None:
    text = generate_modelfile(
        (
            Element(ElementKind.BASE, value="llama3"),
            Element(ElementKind.TEMPLATE, value="{{ .Prompt }}"),
            Element(ElementKind.SYSTEM, value="line one\nline two"),
            Element(
                ElementKind.PARAMETERS,
                parameters=(
                    Parameter("temperature", "0.7"),
                    Parameter("stop", " padded "),
                    Parameter("stop", '"quoted"'),
                    Parameter("stop", ""),
                ),
            ),
            Element(ElementKind.MESSAGES, messages=(Message("user", "hi"),)),
        )
    )
    assert text == (
        "FROM llama3\n"
        'TEMPLATE """{{ .Prompt }}"""\n'
        'SYSTEM """line one\nline two"""\n'
        "PARAMETER temperature 0.7\n"
        'PARAMETER stop " padded "\n'
        'PARAMETER stop ""quoted""\n'
        "PARAMETER stop \n"
        "MESSAGE user hi\n"
    )
    assert parse(text)[4:7] == [
        Command("stop", " padded "),
        Command("stop", '"quoted"'),
        Command("stop", ""),
    ]


def test_generator_falls_back_to_double_quotes_when_a_line_ends_with_triple_quotes() -> None:
    docstring = 'def f():\n    """Docstring."""\n    return 1'
    assert quote_value(docstring) is None
    closing_quote_inside = 'line one\n"""\nline three'
    assert quote_value(closing_quote_inside) is None
    mid_line = 'a """ b\nc'
    assert quote_value(mid_line) == f'"""{mid_line}"""'
    docstring_only = 'first\n"""'
    text = generate_modelfile(
        (Element(ElementKind.BASE, value="x"), Element(ElementKind.SYSTEM, value=docstring_only))
    )
    assert parse(text)[1] == Command("system", docstring_only)


@pytest.mark.parametrize(
    ("element", "reason"),
    [
        (Element(ElementKind.SYSTEM, value='a"\n"""\nb'), "ends with a quote"),
        (Element(ElementKind.BASE, value="llama3\nSYSTEM x"), "FROM"),
        (Element(ElementKind.BASE, value=" padded"), "FROM"),
        (Element(ElementKind.BASE, value='"quoted"'), "FROM"),
        (
            Element(ElementKind.PARAMETERS, parameters=(Parameter("num-ctx", "1"),)),
            "letters, digits and underscores",
        ),
        (
            Element(ElementKind.PARAMETERS, parameters=(Parameter("", "1"),)),
            "letters, digits and underscores",
        ),
        (Element(ElementKind.MESSAGES, messages=(Message("tool", "x"),)), "role 'tool'"),
        (Element(ElementKind.MESSAGES, messages=(Message("User", "x"),)), "role 'User'"),
        (Element(ElementKind.SYSTEM, value="zero\u200bwidth"), "U+200B"),
    ],
)
def test_generator_refuses_values_ollama_cannot_express(element: Element, reason: str) -> None:
    with pytest.raises(GenerateError) as caught:
        generate_modelfile((Element(ElementKind.BASE, value="x"), element))
    assert reason in str(caught.value)
    assert caught.value.element_kind == element.kind.value


@settings(max_examples=300, deadline=None)
@given(element_sets())
def test_generated_text_reparses_to_the_same_commands(elements: tuple[Element, ...]) -> None:
    try:
        text = generate_modelfile(elements)
    except GenerateError:
        return
    assert parse(text) == commands_from_elements(elements)


@settings(max_examples=500, deadline=None)
@given(values)
def test_quote_value_is_exact_whenever_it_answers(value: str) -> None:
    quoted = quote_value(value)
    outcome = scan(f"FROM x\nSYSTEM {quoted}\n") if quoted is not None else None
    if outcome is not None:
        assert outcome.error is None
        assert outcome.commands[1].command == Command("system", value)


@given(st.sampled_from(["a", "a b", "x\ty", "#hash", "'single'", 'ends"']))
def test_plain_values_stay_bare(value: str) -> None:
    assert quote_value(value) == value
