"""`/api/create` on the demo host: layering over a base, stream lines, files, checks and errors."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import httpx
import pytest

from modelarium.demo import DemoServerThread
from modelarium.demo.names import parse_name
from tests.gguf_files import write_header
from tests.integration.demo.streams import ndjson, statuses


def create(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/api/create", json=body)


def show(client: httpx.Client, name: str) -> dict[str, Any]:
    response = client.post("/api/show", json={"model": name})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def layers(demo: DemoServerThread, name: str) -> list[tuple[str, str]]:
    model = demo.state.find(parse_name(name))
    assert model is not None
    return [(layer.kind, layer.digest) for layer in model.manifest.layers]


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload(client: httpx.Client, data: bytes) -> str:
    digest = sha(data)
    assert client.post(f"/api/blobs/{digest}", content=data).status_code == 201
    return digest


def test_create_from_a_base_streams_layer_lines_in_manifest_order(
    client: httpx.Client, demo: DemoServerThread
) -> None:
    base = layers(demo, "llama3.2:3b")
    response = create(client, model="me/helper", **{"from": "llama3.2:3b"}, system="Be brief.")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["transfer-encoding"] == "chunked"
    system_digest = sha(b"Be brief.")
    params_digest = next(digest for kind, digest in base if kind == "params")
    kept = [digest for kind, digest in base if kind != "params"]
    assert statuses(response) == [
        *(f"using existing layer {digest}" for digest in kept),
        f"creating new layer {system_digest}",
        f"using existing layer {params_digest}",
        "writing manifest",
        "success",
    ]
    created = show(client, "me/helper")
    assert created["system"] == "Be brief."
    assert created["details"]["parent_model"] == "llama3.2:3b"
    assert created["template"] == show(client, "llama3.2:3b")["template"]
    tags = {model["name"] for model in client.get("/api/tags").json()["models"]}
    assert "me/helper:latest" in tags


def test_layering_rules_template_system_license_parameters_messages(
    client: httpx.Client,
) -> None:
    first = create(
        client,
        model="me/layered",
        **{"from": "qwen3:8b"},
        template="{{ .System }} {{ .Prompt }}",
        system="First system.",
        license="MIT",
        parameters={"temperature": 0.2, "stop": ["<|end|>"], "num_ctx": 8192},
        messages=[{"role": "User", "content": "hi"}, {"role": "assistant", "content": "hello"}],
    )
    assert statuses(first)[-1] == "success"
    result = show(client, "me/layered")
    assert result["template"] == "{{ .System }} {{ .Prompt }}"
    assert result["system"] == "First system."
    assert result["license"].endswith("\nMIT")
    assert result["license"].startswith("\n                                 Apache License")
    assert result["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]
    parameters = result["parameters"].splitlines()
    # Request keys replace the base's values (the whole stop list); other base keys stay.
    assert 'stop                           "<|end|>"' in parameters
    assert not any("<|im_start|>" in line for line in parameters)
    assert "temperature                    0.2" in parameters
    assert "top_k                          20" in parameters
    assert "num_ctx                        8192" in parameters

    # Over the created model: empty system keeps, license appends, no messages keeps them.
    second = create(
        client, model="me/layered2", **{"from": "me/layered"}, system="", license=["BSD"],
        parameters={"top_k": 40},
    )  # fmt: skip
    assert statuses(second)[-1] == "success"
    layered2 = show(client, "me/layered2")
    assert layered2["system"] == "First system."
    assert layered2["license"].endswith("\nMIT\nBSD")
    assert layered2["messages"] == result["messages"]
    assert "top_k                          40" in layered2["parameters"].splitlines()
    assert layered2["details"]["parent_model"] == "me/layered:latest"


def test_layer_digests_are_sha256_of_their_content(
    client: httpx.Client, demo: DemoServerThread
) -> None:
    create(
        client,
        model="me/digests",
        **{"from": "mistral:7b"},
        system="S",
        template="T {{ .Prompt }}",
        parameters={"num_ctx": 4096},
    )
    model_layers = dict(layers(demo, "me/digests"))
    assert model_layers["system"] == sha(b"S")
    assert model_layers["template"] == sha(b"T {{ .Prompt }}")
    params = {"num_ctx": 4096, "stop": ["[INST]", "[/INST]"]}
    # Keys sorted, compact, trailing newline: what Go's json.Encoder writes for the map.
    expected = json.dumps(params, separators=(",", ":"), sort_keys=True).encode() + b"\n"
    assert model_layers["params"] == sha(expected)


def test_recreating_with_changes_changes_the_digest_and_identical_does_not(
    client: httpx.Client,
) -> None:
    def digest() -> str:
        models = client.get("/api/tags").json()["models"]
        return str(next(m["digest"] for m in models if m["name"] == "me/again:latest"))

    create(client, model="me/again", **{"from": "qwen3:8b"}, system="one")
    first = digest()
    again = create(client, model="me/again", **{"from": "qwen3:8b"}, system="one")
    assert "creating new layer" not in again.text
    assert digest() == first
    create(client, model="me/again", **{"from": "qwen3:8b"}, system="two")
    assert digest() != first


def test_creating_over_an_existing_name_respells_it_case_insensitively(
    client: httpx.Client,
) -> None:
    create(client, model="mario", **{"from": "qwen3:8b"})
    create(client, model="MARIO", **{"from": "qwen3:8b"}, system="again")
    names = [model["name"] for model in client.get("/api/tags").json()["models"]]
    assert names.count("mario:latest") == 1
    assert "MARIO:latest" not in names
    assert show(client, "mario")["system"] == "again"


def test_stream_false_answers_once_with_the_last_line(client: httpx.Client) -> None:
    response = create(client, model="me/once", **{"from": "qwen3:8b"}, stream=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"status": "success"}


def test_unknown_base_pulls_first_and_fails_after_pulling_manifest(client: httpx.Client) -> None:
    response = create(client, model="me/x", **{"from": "does-not-exist"})
    assert response.status_code == 200
    assert ndjson(response) == [
        {"status": "pulling manifest"},
        {"error": "pull model manifest: file does not exist"},
    ]
    once = create(client, model="me/x", **{"from": "does-not-exist"}, stream=False)
    assert once.status_code == 500
    assert once.json() == {"error": "pull model manifest: file does not exist"}


def test_missing_base_from_the_registry_is_pulled_then_used(client: httpx.Client) -> None:
    response = create(client, model="me/tiny", **{"from": "tinyllama"}, system="x")
    lines = statuses(response)
    assert lines[0] == "pulling manifest"
    assert lines.count("success") == 2
    assert "writing manifest" in lines
    names = {model["name"] for model in client.get("/api/tags").json()["models"]}
    assert {"tinyllama:latest", "me/tiny:latest"} <= names


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ .Prompt", "template error: template: :1: unclosed action"),
        ("{{ if .System }}\n{{ .System }}\n", "template error: template: :3: unexpected EOF"),
        ("{{ nope .Prompt }}", 'template error: template: :1: function "nope" not defined'),
        ("a\n{{ end }}", "template error: template: :2: unexpected {{end}}"),
    ],
)
def test_a_bad_template_is_a_400_naming_the_line(
    client: httpx.Client, template: str, message: str
) -> None:
    response = create(client, model="me/bad", **{"from": "qwen3:8b"}, template=template)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert client.post("/api/show", json={"model": "me/bad"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "me/x", "from": "qwen3:8b", "files": {"../a.gguf": "sha256:aa"}},
         "file path must be relative"),
        ({"model": "me/x", "files": {"/abs.gguf": "sha256:aa"}}, "file path must be relative"),
        ({"model": "me/x", "files": {"a.gguf": ""}}, "invalid digest format"),
        ({"model": "bad name!", "from": "qwen3:8b"}, "invalid model name"),
        ({"from": "qwen3:8b"}, "invalid model name"),
        ({"model": "me/x", "from": "a//b"}, "invalid model name"),
        ({"model": "me/x"}, "neither 'from' or 'files' was specified"),
    ],
)  # fmt: skip
def test_create_request_checks(client: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = client.post("/api/create", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_create_from_an_uploaded_gguf_file(client: httpx.Client, demo: DemoServerThread) -> None:
    gguf = write_header(
        {
            "general.architecture": "llama",
            "general.parameter_count": 1_235_814_400,
            "general.file_type": 15,
            "llama.context_length": 131072,
            "llama.embedding_length": 2048,
            "tokenizer.ggml.tokens": ["<s>", "</s>", "a"],
        },
        [("token_embd.weight", [2048, 128256], 12)],
    )
    digest = upload(client, gguf)
    response = create(
        client, model="me/local", files={"model.gguf": digest}, template="{{ .Prompt }}"
    )
    lines = statuses(response)
    assert lines[0] == "parsing GGUF"
    assert "validating GGUF model" in lines
    assert "verifying conversion" in lines
    assert lines[-2:] == ["writing manifest", "success"]
    validating = next(
        line for line in ndjson(response) if line["status"] == "validating GGUF model"
    )
    assert validating["digest"] == "0000000000000000000"
    model_digest = dict(layers(demo, "me/local"))["model"]
    assert model_digest != digest
    result = client.post("/api/show", json={"model": "me/local", "verbose": True}).json()
    assert result["details"]["family"] == "llama"
    assert result["details"]["parameter_size"] == "1.2B"
    assert result["details"]["quantization_level"] == "Q4_K_M"
    assert result["details"]["parent_model"] == ""
    assert result["model_info"]["tokenizer.ggml.tokens"] == ["<s>", "</s>", "a"]
    assert result["tensors"] == [
        {"name": "token_embd.weight", "type": "Q4_K", "shape": [2048, 128256]}
    ]


def test_create_file_errors(client: httpx.Client) -> None:
    missing = "sha256:" + "0" * 64
    response = create(client, model="me/x", files={"model.gguf": missing})
    assert response.status_code == 500
    assert response.json() == {
        "error": "open /usr/share/ollama/.ollama/models/blobs/sha256-"
        + "0" * 64
        + ": no such file or directory"
    }
    text_digest = upload(client, b"just some text")
    unknown = create(client, model="me/x", files={"notes.txt": text_digest})
    assert unknown.status_code == 400
    assert unknown.json() == {"error": "unknown type"}
    not_gguf = create(client, model="me/x", files={"model.gguf": text_digest})
    assert ndjson(not_gguf)[-1] == {"error": "supplied file was not in GGUF format"}


def test_adapters(client: httpx.Client) -> None:
    adapter = upload(client, write_header({"general.type": "adapter"}, []))
    other = upload(client, write_header({"general.type": "adapter", "x": 1}, []))
    response = create(
        client, model="me/lora", **{"from": "llama3.2:3b"}, adapters={"a.gguf": adapter}
    )
    assert statuses(response)[-1] == "success"
    modelfile = show(client, "me/lora")["modelfile"]
    assert f"\nADAPTER /usr/share/ollama/.ollama/models/blobs/sha256-{adapter[7:]}\n" in modelfile
    two = create(
        client, model="me/lora2", **{"from": "llama3.2:3b"},
        adapters={"a.gguf": adapter, "b.gguf": other},
    )  # fmt: skip
    assert ndjson(two)[-1] == {"error": "only one adapter is currently supported"}


def test_quantize(client: httpx.Client) -> None:
    response = create(client, model="me/nomic-q8", **{"from": "nomic-embed-text"}, quantize="q8_0")
    lines = statuses(response)
    assert "quantizing F16 model to Q8_0" in lines
    assert lines[-2:] == ["writing manifest", "success"]
    assert show(client, "me/nomic-q8")["details"]["quantization_level"] == "Q8_0"
    unsupported = create(client, model="me/q", **{"from": "nomic-embed-text"}, quantize="q5_0")
    assert unsupported.status_code == 500
    assert unsupported.json() == {
        "error": "unsupported quantization type Q5_0 - supported types are F32, F16, Q4_K_S, "
        "Q4_K_M, Q8_0"
    }
    not_f16 = create(client, model="me/q", **{"from": "qwen3:8b"}, quantize="Q4_K")
    assert not_f16.json() == {
        "error": "quantization is only supported for F16, BF16 and F32 models"
    }


def test_renderer_parser_requires_are_inherited_unless_set(client: httpx.Client) -> None:
    create(client, model="me/mlx", **{"from": "qwen3:4b-mlx"})
    inherited = show(client, "me/mlx")
    assert (inherited["renderer"], inherited["parser"]) == ("qwen3", "qwen3")
    create(client, model="me/mlx2", **{"from": "qwen3:4b-mlx"}, renderer="other", requires="0.13.0")
    changed = show(client, "me/mlx2")
    assert (changed["renderer"], changed["parser"], changed["requires"]) == (
        "other", "qwen3", "0.13.0",
    )  # fmt: skip


def test_a_client_that_leaves_mid_stream_leaves_no_model(demo: DemoServerThread) -> None:
    demo.state.progress_delay = 0.05
    with (
        httpx.Client(base_url=demo.url) as http,
        http.stream(
            "POST", "/api/create", json={"model": "me/gone", "from": "tinyllama"}
        ) as stream,
    ):
        first = next(stream.iter_lines())
        assert json.loads(first) == {"status": "pulling manifest"}
    # The whole create would take about a second at this pace; wait past that.
    time.sleep(1.5)
    with httpx.Client(base_url=demo.url) as http:
        response = http.post("/api/show", json={"model": "me/gone"})
    assert response.status_code == 404


def test_create_from_safetensors_converts_with_the_config_family(client: httpx.Client) -> None:
    weights = upload(client, b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + b"\x00" * 64)
    config = upload(client, json.dumps({"model_type": "qwen2", "hidden_size": 896}).encode())
    response = create(
        client, model="me/converted", files={"model.safetensors": weights, "config.json": config}
    )
    lines = statuses(response)
    assert lines[0] == "converting model"
    assert lines[1].startswith("creating new layer sha256:")
    assert lines[-2:] == ["writing manifest", "success"]
    details = show(client, "me/converted")["details"]
    assert (details["family"], details["quantization_level"]) == ("qwen2", "F16")


def test_draft_files_add_a_draft_line(client: httpx.Client) -> None:
    draft = upload(client, write_header({"general.architecture": "llama"}, []))
    response = create(
        client, model="me/drafted", **{"from": "llama3.1:8b"}, draft_files={"draft.gguf": draft}
    )
    assert statuses(response)[-1] == "success"
    lines = show(client, "me/drafted")["modelfile"].splitlines()
    draft_line = f"DRAFT /usr/share/ollama/.ollama/models/blobs/sha256-{draft[7:]}"
    assert draft_line in lines
    assert lines.index(draft_line) < next(
        i for i, x in enumerate(lines) if x.startswith("TEMPLATE")
    )


def test_a_license_of_the_wrong_type_is_refused(client: httpx.Client) -> None:
    response = create(client, model="me/x", **{"from": "qwen3:8b"}, license=42)
    assert response.status_code == 500
    assert response.json() == {"error": "unknown license type: float64"}
    mixed = create(client, model="me/x", **{"from": "qwen3:8b"}, license=["MIT", 1])
    assert mixed.json() == {"error": "invalid license type: float64"}
