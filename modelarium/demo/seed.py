"""The demo host's seed models: realistic Llama, Mistral, Qwen and Granite tags and friends.

Templates and stop parameters are the Ollama library's own (captured by the MIT-licensed
`@huggingface/ollama-utils`, see `seed_templates.json` and NOTICE); sizes, families, parameter
counts, context lengths and GGUF metadata follow the real tags. Weights are not stored: a model
blob is a digest, a size and the metadata `show` reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from modelarium.demo.names import ModelName, parse_name
from modelarium.demo.state import (
    FILE_TYPES,
    DemoState,
    Layer,
    Manifest,
    ModelConfig,
    Weights,
    human_number,
)

DAY_NS = 86_400 * 1_000_000_000


def _templates() -> dict[str, str]:
    text = resources.files("modelarium.demo").joinpath("seed_templates.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return {key: entry["template"] for key, entry in data["templates"].items()}


def fake_digest(label: str) -> str:
    """A stable `sha256:` digest standing for a weights file we do not store."""
    return "sha256:" + hashlib.sha256(f"modelarium-demo:{label}".encode()).hexdigest()


LLAMA_STOPS = ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
CHATML_STOPS = ["<|im_start|>", "<|im_end|>"]

LLAMA31_LICENSE = """LLAMA 3.1 COMMUNITY LICENSE AGREEMENT
Llama 3.1 Version Release Date: July 23, 2024

"Agreement" means the terms and conditions for use, reproduction, distribution and modification
of the Llama Materials set forth herein.

1. License Rights and Redistribution.
a. Grant of Rights. You are granted a non-exclusive, worldwide, non-transferable and royalty-free
limited license under Meta's intellectual property or other rights owned by Meta embodied in the
Llama Materials to use, reproduce, distribute, copy, create derivative works of, and make
modifications to the Llama Materials.

"Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc.
All Rights Reserved.\""""

LLAMA31_POLICY = """Llama 3.1 Acceptable Use Policy

Meta is committed to promoting safe and fair use of its tools and features, including Llama 3.1.
If you access or use Llama 3.1, you agree to this Acceptable Use Policy ("Policy"). The most
recent copy of this policy can be found at https://llama.meta.com/llama3_1/use-policy"""

LLAMA32_LICENSE = """LLAMA 3.2 COMMUNITY LICENSE AGREEMENT
Llama 3.2 Version Release Date: September 25, 2024

"Agreement" means the terms and conditions for use, reproduction, distribution and modification
of the Llama Materials set forth herein.

"Llama 3.2 is licensed under the Llama 3.2 Community License, Copyright © Meta Platforms, Inc.
All Rights Reserved.\""""

LLAMA32_POLICY = """Llama 3.2 Acceptable Use Policy

Meta is committed to promoting safe and fair use of its tools and features, including Llama 3.2.
If you access or use Llama 3.2, you agree to this Acceptable Use Policy ("Policy"). The most
recent copy of this policy can be found at https://www.llama.com/llama3_2/use-policy"""

APACHE_LICENSE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

   END OF TERMS AND CONDITIONS
"""

MISTRAL_SMALL_SYSTEM = (
    "You are Mistral Small 3, a Large Language Model (LLM) created by Mistral AI, a French "
    "startup headquartered in Paris.\nYour knowledge base was last updated on 2023-10-01. "
    "When you're not sure about some information, you say that you don't have the information "
    "and don't make up anything."
)


@dataclass(frozen=True, slots=True)
class Architecture:
    """The GGUF shape numbers of a model (what `model_info` reports)."""

    name: str
    parameter_count: int
    context_length: int
    embedding_length: int
    block_count: int
    head_count: int
    head_count_kv: int
    feed_forward_length: int
    vocab_size: int
    rope_freq_base: float = 500000.0
    tokenizer_model: str = "gpt2"
    tokenizer_pre: str = "llama-bpe"
    bos_token_id: int = 128000
    eos_token_id: int = 128009
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SeedModel:
    """One seed tag."""

    name: str
    family: str
    architecture: Architecture
    file_type: int
    model_bytes: int
    age_days: float
    basename: str
    finetune: str = "Instruct"
    license_id: str = "apache-2.0"
    template_key: str | None = None
    system: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    licenses: tuple[str, ...] = ()
    projector_bytes: int = 0
    model_format: str = "gguf"
    renderer: str = ""
    parser: str = ""
    config_capabilities: tuple[str, ...] = ()
    requires: str = ""


def _architecture_info(seed: SeedModel) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    arch = seed.architecture
    prefix = arch.name
    info: dict[str, Any] = {
        "general.architecture": arch.name,
        "general.basename": seed.basename,
        "general.file_type": seed.file_type,
        "general.finetune": seed.finetune,
        "general.languages": None,
        "general.license": seed.license_id,
        "general.parameter_count": arch.parameter_count,
        "general.quantization_version": 2,
        "general.size_label": human_number(arch.parameter_count).replace(".0", ""),
        "general.tags": None,
        "general.type": "model",
        f"{prefix}.attention.head_count": arch.head_count,
        f"{prefix}.attention.head_count_kv": arch.head_count_kv,
        f"{prefix}.attention.layer_norm_rms_epsilon": 1e-05,
        f"{prefix}.block_count": arch.block_count,
        f"{prefix}.context_length": arch.context_length,
        f"{prefix}.embedding_length": arch.embedding_length,
        f"{prefix}.feed_forward_length": arch.feed_forward_length,
        f"{prefix}.rope.freq_base": arch.rope_freq_base,
        f"{prefix}.vocab_size": arch.vocab_size,
        "tokenizer.ggml.bos_token_id": arch.bos_token_id,
        "tokenizer.ggml.eos_token_id": arch.eos_token_id,
        "tokenizer.ggml.merges": None,
        "tokenizer.ggml.model": arch.tokenizer_model,
        "tokenizer.ggml.pre": arch.tokenizer_pre,
        "tokenizer.ggml.token_type": None,
        "tokenizer.ggml.tokens": None,
    }
    info.update(arch.extra)
    # `verbose` fills the arrays; the demo keeps them short (a real vocabulary is ~150k).
    tokens = ["<|begin_of_text|>", "<|end_of_text|>", "!", '"', "#", "$", "%", "&", "'", "("]
    arrays: dict[str, list[Any]] = {
        "general.languages": ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
        "general.tags": ["facebook", "meta", "pytorch", "text-generation"]
        if seed.family == "llama"
        else ["text-generation"],
        "tokenizer.ggml.merges": ["Ġ Ġ", "Ġ t", "i n", "e r", "Ġ a", "h e", "o n", "r e"],
        "tokenizer.ggml.token_type": [3, 3, 1, 1, 1, 1, 1, 1, 1, 1],
        "tokenizer.ggml.tokens": tokens,
    }
    return info, arrays


def _tensors(seed: SeedModel) -> list[dict[str, Any]]:
    arch = seed.architecture
    quant = FILE_TYPES.get(seed.file_type, "F16")
    weight_type = "Q4_K" if quant.startswith("Q4") else quant
    head_dim = arch.embedding_length // max(arch.head_count, 1)
    kv = head_dim * arch.head_count_kv
    e, f = arch.embedding_length, arch.feed_forward_length
    return [
        {"name": "token_embd.weight", "type": "Q6_K" if weight_type == "Q4_K" else weight_type,
         "shape": [e, arch.vocab_size]},
        {"name": "blk.0.attn_norm.weight", "type": "F32", "shape": [e]},
        {"name": "blk.0.attn_q.weight", "type": weight_type, "shape": [e, e]},
        {"name": "blk.0.attn_k.weight", "type": weight_type, "shape": [e, kv]},
        {"name": "blk.0.attn_v.weight", "type": "Q6_K" if weight_type == "Q4_K" else weight_type,
         "shape": [e, kv]},
        {"name": "blk.0.attn_output.weight", "type": weight_type, "shape": [e, e]},
        {"name": "blk.0.ffn_gate.weight", "type": weight_type, "shape": [e, f]},
        {"name": "blk.0.ffn_up.weight", "type": weight_type, "shape": [e, f]},
        {"name": "blk.0.ffn_down.weight", "type": "Q6_K" if weight_type == "Q4_K" else weight_type,
         "shape": [f, e]},
        {"name": "blk.0.ffn_norm.weight", "type": "F32", "shape": [e]},
        {"name": "output_norm.weight", "type": "F32", "shape": [e]},
    ]  # fmt: skip


def _projector_weights() -> Weights:
    info = {
        "general.architecture": "mllama",
        "general.file_type": 1,
        "general.parameter_count": 895033872,
        "mllama.vision.attention.head_count": 16,
        "mllama.vision.attention.layer_norm_epsilon": 1e-05,
        "mllama.vision.block_count": 32,
        "mllama.vision.embedding_length": 1280,
        "mllama.vision.feed_forward_length": 5120,
        "mllama.vision.global.block_count": 8,
        "mllama.vision.image_size": 560,
        "mllama.vision.intermediate_layers_indices": None,
        "mllama.vision.max_num_tiles": 4,
        "mllama.vision.num_channels": 3,
        "mllama.vision.patch_size": 14,
    }
    arrays = {"mllama.vision.intermediate_layers_indices": [3, 7, 15, 23, 30]}
    return Weights(model_info=info, verbose_arrays=arrays)


LLAMA31_8B = Architecture("llama", 8030261312, 131072, 4096, 32, 32, 8, 14336, 128256)
LLAMA32_3B = Architecture("llama", 3212749888, 131072, 3072, 28, 24, 8, 8192, 128256)
MLLAMA_11B = Architecture(
    "mllama", 9775622144, 131072, 4096, 40, 32, 8, 14336, 128256,
    extra={"mllama.attention.cross_attention_layers": None},
)  # fmt: skip
MISTRAL_7B = Architecture(
    "llama", 7248023552, 32768, 4096, 32, 32, 8, 14336, 32768, rope_freq_base=1000000.0,
    tokenizer_model="llama", tokenizer_pre="default", bos_token_id=1, eos_token_id=2,
)  # fmt: skip
MISTRAL_SMALL_24B = Architecture(
    "llama", 23572403200, 32768, 5120, 40, 32, 8, 32768, 131072, rope_freq_base=100000000.0,
    tokenizer_pre="tekken", bos_token_id=1, eos_token_id=2,
)  # fmt: skip
QWEN25_CODER_7B = Architecture(
    "qwen2", 7615616512, 32768, 3584, 28, 28, 4, 18944, 152064, rope_freq_base=1000000.0,
    tokenizer_pre="qwen2", bos_token_id=151643, eos_token_id=151645,
)  # fmt: skip
QWEN3_8B = Architecture(
    "qwen3", 8190735360, 40960, 4096, 36, 32, 8, 12288, 151936, rope_freq_base=1000000.0,
    tokenizer_pre="qwen2", bos_token_id=151643, eos_token_id=151645,
)  # fmt: skip
GRANITE33_8B = Architecture(
    "granite", 8170864640, 131072, 4096, 40, 32, 8, 12800, 49159, rope_freq_base=10000000.0,
    tokenizer_pre="refact", bos_token_id=0, eos_token_id=0,
    extra={"granite.attention.scale": 0.0078125, "granite.embedding_scale": 12.0,
           "granite.logit_scale": 16.0, "granite.residual_scale": 0.22},
)  # fmt: skip
GRANITE4_3B = Architecture(
    "granite", 3402836992, 131072, 2560, 40, 40, 8, 8192, 100352, rope_freq_base=10000000.0,
    tokenizer_pre="dbrx", bos_token_id=100257, eos_token_id=100257,
    extra={"granite.attention.scale": 0.015625, "granite.embedding_scale": 12.0,
           "granite.logit_scale": 10.0, "granite.residual_scale": 0.22},
)  # fmt: skip
NOMIC_EMBED = Architecture(
    "nomic-bert", 136731648, 2048, 768, 12, 12, 12, 3072, 30522, rope_freq_base=1000.0,
    tokenizer_model="bert", tokenizer_pre="default", bos_token_id=101, eos_token_id=102,
    extra={"nomic-bert.pooling_type": 1, "nomic-bert.attention.causal": False},
)  # fmt: skip
QWEN3_4B_MLX = Architecture(
    "qwen3", 4022468096, 40960, 2560, 36, 32, 8, 9728, 151936, rope_freq_base=1000000.0,
    tokenizer_pre="qwen2", bos_token_id=151643, eos_token_id=151645,
)  # fmt: skip

SEED_MODELS: tuple[SeedModel, ...] = (
    SeedModel(
        "llama3.1:8b", "llama", LLAMA31_8B, 15, 4920738944, 41.2, "Meta-Llama-3.1",
        license_id="llama3.1", template_key="llama3.1", params={"stop": LLAMA_STOPS},
        licenses=(LLAMA31_LICENSE, LLAMA31_POLICY),
    ),
    SeedModel(
        "llama3.2:3b", "llama", LLAMA32_3B, 15, 2019377376, 33.8, "Llama-3.2",
        license_id="llama3.2", template_key="llama3.2", params={"stop": LLAMA_STOPS},
        licenses=(LLAMA32_LICENSE, LLAMA32_POLICY),
    ),
    SeedModel(
        "llama3.2-vision:11b", "mllama", MLLAMA_11B, 15, 5967878720, 28.4, "Llama-3.2-Vision",
        license_id="llama3.2", template_key="llama3.2-vision",
        params={"temperature": 0.6, "top_p": 0.9},
        licenses=(LLAMA32_LICENSE, LLAMA32_POLICY), projector_bytes=1938763584,
    ),
    SeedModel(
        "mistral:7b", "llama", MISTRAL_7B, 15, 4372812000, 60.5, "Mistral-7B-Instruct-v0.3",
        template_key="mistral", params={"stop": ["[INST]", "[/INST]"]},
        licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "mistral-small:24b", "llama", MISTRAL_SMALL_24B, 15, 14333907168, 19.7,
        "Mistral-Small-24B-Instruct-2501", template_key="mistral-small",
        system=MISTRAL_SMALL_SYSTEM, params={"temperature": 0.15}, licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "qwen2.5-coder:7b", "qwen2", QWEN25_CODER_7B, 15, 4683071456, 12.3,
        "Qwen2.5-Coder", template_key="qwen2.5-coder", licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "qwen3:8b", "qwen3", QWEN3_8B, 15, 5225371712, 7.1, "Qwen3", template_key="qwen3",
        params={"repeat_penalty": 1, "stop": CHATML_STOPS, "temperature": 0.6, "top_k": 20,
                "top_p": 0.95},
        licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "granite3.3:8b", "granite", GRANITE33_8B, 15, 4942864576, 15.9, "Granite-3.3",
        template_key="granite3.3", licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "granite4:3b", "granite", GRANITE4_3B, 15, 2104856000, 3.4, "Granite-4.0-Micro",
        template_key="granite4", licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "nomic-embed-text:latest", "nomic-bert", NOMIC_EMBED, 1, 274290656, 88.0,
        "nomic-embed-text-v1.5", finetune="", params={"num_ctx": 8192},
        licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "qwen3:4b-mlx", "qwen3", QWEN3_4B_MLX, 0, 2263452160, 1.6, "Qwen3-4B",
        model_format="safetensors", renderer="qwen3", parser="qwen3",
        config_capabilities=("completion", "tools", "thinking"), requires="0.12.0",
        licenses=(APACHE_LICENSE,),
    ),
)  # fmt: skip
"""The installed seed tags; each is also in the demo registry, so it can be pulled again."""

REGISTRY_ONLY: tuple[SeedModel, ...] = (
    SeedModel(
        "tinyllama:latest", "llama", Architecture(
            "llama", 1100048384, 2048, 2048, 22, 32, 4, 5632, 32000, rope_freq_base=10000.0,
            tokenizer_model="llama", tokenizer_pre="default", bos_token_id=1, eos_token_id=2,
        ), 2, 637699456, 400.0, "TinyLlama", license_id="apache-2.0",
        params={"stop": ["<|system|>", "<|user|>", "<|assistant|>", "</s>"]},
        licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "granite4:350m", "granite", Architecture(
            "granite", 352328704, 32768, 1024, 28, 16, 4, 2048, 100352,
            rope_freq_base=10000000.0, tokenizer_pre="dbrx", bos_token_id=100257,
            eos_token_id=100257,
        ), 7, 366152544, 5.0, "Granite-4.0-350M", template_key="granite4",
        licenses=(APACHE_LICENSE,),
    ),
    SeedModel(
        "qwen3.5:2b", "qwen35", Architecture(
            "qwen35", 2274305024, 262144, 2048, 24, 8, 2, 6144, 248320,
            rope_freq_base=10000000.0, tokenizer_pre="qwen35", bos_token_id=248044,
            eos_token_id=248046,
        ), 0, 1364583014, 2.0, "Qwen3.5-2B", model_format="safetensors",
        renderer="qwen3.5", parser="qwen3.5",
        config_capabilities=("completion", "tools", "thinking", "vision"),
        licenses=(APACHE_LICENSE,),
    ),
)  # fmt: skip
"""Tags only the demo registry has: `pull` installs them."""


def build_seed_manifest(state: DemoState, seed: SeedModel, templates: dict[str, str]) -> Manifest:
    """Write a seed's blobs into `state` and return its manifest."""
    info, arrays = _architecture_info(seed)
    quantization = "Q4" if seed.model_format == "safetensors" else FILE_TYPES[seed.file_type]
    weights = Weights(
        model_info=info,
        tensors=_tensors(seed) if seed.model_format == "gguf" else (),
        verbose_arrays=arrays,
    )
    layers: list[Layer] = [
        state.weights_layer("model", fake_digest(f"{seed.name}:model"), seed.model_bytes, weights)
    ]
    if seed.projector_bytes:
        layers.append(
            state.weights_layer(
                "projector",
                fake_digest(f"{seed.name}:projector"),
                seed.projector_bytes,
                _projector_weights(),
            )
        )
    if seed.template_key is not None:
        layers.append(state.text_layer("template", templates[seed.template_key]))
    if seed.system:
        layers.append(state.text_layer("system", seed.system))
    layers.extend(state.text_layer("license", text) for text in seed.licenses)
    if seed.params:
        layers.append(state.params_layer(seed.params))
    arch = seed.architecture
    config = ModelConfig(
        model_format=seed.model_format,
        model_family=seed.family,
        model_families=(seed.family,),
        model_type=human_number(arch.parameter_count),
        file_type=quantization,
        renderer=seed.renderer,
        parser=seed.parser,
        requires=seed.requires,
        capabilities=seed.config_capabilities,
        context_length=arch.context_length if seed.model_format == "safetensors" else 0,
        embedding_length=arch.embedding_length if seed.model_format == "safetensors" else 0,
        base_name=seed.basename if seed.model_format == "safetensors" else "",
    )
    return state.make_manifest(layers, config)


def _derived_models(state: DemoState, now_ns: int) -> None:
    """User-made models layered over seeds: a copy, a customised coder, a LoRA adapter."""
    base = state.find(parse_name("llama3.2:3b"))
    if base is not None:
        state.install(parse_name("llama3.2:latest"), base.manifest, now_ns - int(33.8 * DAY_NS))
    coder = state.find(parse_name("qwen2.5-coder:7b"))
    if coder is not None:
        source = coder.name.display
        layers = [replace_source(layer, source) for layer in coder.manifest.layers]
        layers.append(
            state.text_layer(
                "system",
                "You are a senior SQL reviewer. Answer with a corrected query first, then one "
                "short paragraph explaining the change.",
            )
        )
        layers.append(
            state.params_layer(
                {"num_ctx": 16384, "seed": 1000000, "stop": ["<|im_end|>"], "temperature": 0.2}
            )
        )
        layers.append(
            state.messages_layer(
                [
                    {"role": "user", "content": "SELECT * FROM users WHERE name = NULL"},
                    {
                        "role": "assistant",
                        "content": "SELECT * FROM users WHERE name IS NULL\n\n"
                        "Comparisons with NULL are never true; use IS NULL.",
                    },
                ]
            )
        )
        manifest = state.make_manifest(layers, coder.manifest.config)
        state.install(parse_name("mario/sql-reviewer:latest"), manifest, now_ns - 2 * DAY_NS)
    small = state.find(parse_name("llama3.2:3b"))
    if small is not None:
        source = small.name.display
        layers = [replace_source(layer, source) for layer in small.manifest.layers]
        adapter = state.weights_layer(
            "adapter", fake_digest("mario/llama-pirate:adapter"), 48_234_496, None
        )
        layers.insert(1, adapter)  # right after the model layer, where create puts adapters
        layers.append(state.text_layer("system", "You are a pirate. Answer like one, briefly."))
        manifest = state.make_manifest(layers, small.manifest.config)
        state.install(parse_name("mario/llama-pirate:lora"), manifest, now_ns - DAY_NS // 3)


def replace_source(layer: Layer, source: str) -> Layer:
    """The layer as a create from base `source` records it (`from` set on reused layers)."""
    return Layer(kind=layer.kind, digest=layer.digest, size=layer.size, source=source)


def _synthetic_models(state: DemoState, count: int, now_ns: int) -> None:
    """`count` more models over the seed layers, each with its own params (distinct digests)."""
    bases = [state.find(parse_name(seed.name)) for seed in SEED_MODELS[:9]]
    usable = [base for base in bases if base is not None]
    for index in range(count):
        base = usable[index % len(usable)]
        layers = [layer for layer in base.manifest.layers if layer.kind != "params"]
        layers.append(state.params_layer({"num_ctx": 4096 + index, "temperature": 0.7}))
        manifest = state.make_manifest(layers, base.manifest.config)
        name = ModelName(
            host="registry.ollama.ai",
            namespace="bench",
            model=f"{base.name.model}-variant-{index:04d}",
            tag=base.name.tag,
        )
        state.install(name, manifest, now_ns - (index + 1) * 60_000_000_000)


def install_seed_models(state: DemoState, *, extra_models: int = 0) -> None:
    """Fill `state` with the seed tags, the registry catalogue and two loaded models."""
    templates = _templates()
    now_ns = state.now_ns()
    for seed in SEED_MODELS:
        name = parse_name(seed.name)
        manifest = build_seed_manifest(state, seed, templates)
        state.registry[name.key] = state.registry_entry_for(name, manifest)
        state.install(name, manifest, now_ns - int(seed.age_days * DAY_NS))
    for seed in REGISTRY_ONLY:
        # Built in a scratch store: the registry has these blobs, the host does not yet.
        scratch = DemoState(models_dir=state.models_dir)
        name = parse_name(seed.name)
        manifest = build_seed_manifest(scratch, seed, templates)
        state.registry[name.key] = scratch.registry_entry_for(name, manifest)
    _derived_models(state, now_ns)
    _synthetic_models(state, extra_models, now_ns)
    state.add_loaded("llama3.2:3b", fraction_on_gpu=1.0, minutes_left=4.5, context_length=4096)
    state.add_loaded("qwen2.5-coder:7b", fraction_on_gpu=0.78, minutes_left=2.0,
                     context_length=8192)  # fmt: skip


def seeded_state(*, extra_models: int = 0, **options: Any) -> DemoState:
    """A demo host state holding the realistic seed models (and `extra_models` synthetic
    `bench/...` ones); `options` go to `DemoState` (`progress_delay=0.0` for tests)."""
    state = DemoState(**options)
    install_seed_models(state, extra_models=extra_models)
    return state
