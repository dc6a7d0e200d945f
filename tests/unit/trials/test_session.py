"""Pure helpers of a trial session: temporary model names, variants from library elements,
what a variant becomes as elements and as a Modelfile."""

from __future__ import annotations

from modelarium.modelfile.elements import Element, ElementKind, Parameter
from modelarium.ollama.names import ModelName
from modelarium.trials.runner import Variant
from modelarium.trials.session import (
    modelfile_for,
    temporary_name,
    variant_elements,
    variant_from_elements,
)


def test_temporary_names_are_valid_and_differ_per_variant() -> None:
    a = temporary_name("hf.co/bartowski/Qwen3-8B-GGUF:Q4_K_M", Variant("a", modelfile="SYSTEM a"))
    b = temporary_name("hf.co/bartowski/Qwen3-8B-GGUF:Q4_K_M", Variant("b", modelfile="SYSTEM b"))
    assert a != b
    assert a.startswith("modelarium-trial/Qwen3-8B-GGUF-Q4_K_M:")
    assert ModelName.parse(a).problem is None


def test_parameter_sets_become_typed_options_with_their_hashes() -> None:
    element = Element(
        ElementKind.PARAMETERS,
        parameters=(Parameter("num_ctx", "8192"), Parameter("stop", "<|im_end|>")),
    )
    variant = variant_from_elements("Qwen3 thinking", (element,), think=True)
    assert variant.options == {"num_ctx": 8192, "stop": ["<|im_end|>"]}
    assert variant.modelfile is None and variant.think is True
    assert variant.element_hashes == (element.content_hash,)
    assert variant_elements(variant) == (element,)


def test_other_elements_make_a_modelfile_variant() -> None:
    system = Element(ElementKind.SYSTEM, "Be brief.")
    variant = variant_from_elements("brief", (system,))
    assert variant.modelfile == "SYSTEM Be brief.\n"
    assert variant.element_hashes == (system.content_hash,)
    assert modelfile_for("qwen3:8b", variant) == "FROM qwen3:8b\nSYSTEM Be brief.\n"


def test_modelfile_for_notes_think_in_a_comment() -> None:
    variant = Variant("x", options={"temperature": 0.2, "stop": ["a", "b"]}, think=False)
    assert modelfile_for("m", variant) == (
        "# think off (a request setting, not a line)\n"
        "FROM m\nPARAMETER temperature 0.2\nPARAMETER stop a\nPARAMETER stop b\n"
    )
    assert variant_elements(Variant("as installed")) == ()
