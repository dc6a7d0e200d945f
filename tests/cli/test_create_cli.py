"""`models create -f`: the core's create, sent unchanged (the demo host records the bytes),
keeping an extracted model's licenses instead of doubling them."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.demo import DemoServerThread
from modelarium.modelfile.create import build_create_request, licenses_of_modelfile, model_create
from modelarium.modelfile.parser import parse


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_from_an_extracted_modelfile_keeps_the_license_count(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with DemoServerThread() as server:
        code, extracted, err = run(capsys, "models", "extract", "llama3.1:8b", "--host", server.url)
        assert code == 0, err
        assert len(licenses_of_modelfile(extracted)) == 2
        modelfile = tmp_path / "Modelfile"
        modelfile.write_text(extracted + "PARAMETER num_ctx 32768\n")
        code, _, err = run(
            capsys, "models", "create", "llama3.1:8b", "-f", str(modelfile), "--host", server.url
        )
        assert code == 0, err
        lines = err.splitlines()
        assert lines[0] == "keeping 2 licenses of llama3.1:8b"
        assert lines[-1] == "success"
        code, again, _ = run(capsys, "models", "extract", "llama3.1:8b", "--host", server.url)
        assert len(licenses_of_modelfile(again)) == 2
        assert "PARAMETER num_ctx 32768\n" in again
        # What was sent is the core's create for this file, byte for byte.
        request = build_create_request(parse(modelfile.read_text()), tmp_path)
        expected = model_create(
            request, "llama3.1:8b", base_licenses=licenses_of_modelfile(extracted)
        )
        assert server.state.last_create_body == expected.data
