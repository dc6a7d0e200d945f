"""Failing and corrected Modelfiles for the renderer's lint rules (MF050–MF055)."""

from __future__ import annotations

_MESSAGES = "{{ range .Messages }}{{ .Content }}{{ end }}"

PROMPT_CASES: dict[str, tuple[str, str]] = {
    "MF050": (
        "FROM x\nPARAMETER stop <|eom|>\n"
        "TEMPLATE {{ .System }}{{ if .Missing }}<|eom|>{{ end }}" + _MESSAGES + "\n",
        "FROM x\nPARAMETER stop <|eom|>\n"
        "TEMPLATE {{ .System }}{{ range .Messages }}{{ .Content }}<|eom|>{{ end }}\n",
    ),
    "MF051": (
        'FROM x\nTEMPLATE """{{ .System }}{{ range .Messages }}<|im_start|>{{ .Role }}\n'
        '{{ .Content }}<|im_end|>\n{{ end }}"""\n',
        'FROM x\nPARAMETER stop <|im_end|>\nTEMPLATE """{{ .System }}{{ range .Messages }}'
        '<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}"""\n',
    ),
    "MF052": (
        "FROM x\nTEMPLATE {{ .System }}{{ if .Missing }}{{ .Tools }}{{ end }}" + _MESSAGES + "\n",
        "FROM x\nTEMPLATE {{ .System }}{{ .Tools }}" + _MESSAGES + "\n",
    ),
    "MF053": (
        'FROM x\nTEMPLATE {{ range .Messages }}{{ if ne .Role "system" }}{{ .Content }}'
        "{{ end }}{{ end }}\n",
        "FROM x\nTEMPLATE {{ .System }}" + _MESSAGES + "\n",
    ),
    "MF054": (
        "FROM x\nTEMPLATE {{ .System }}{{ .Prompt }}" + _MESSAGES + "\n",
        "FROM x\nTEMPLATE {{ .System }}" + _MESSAGES + "\n",
    ),
    "MF055": (
        "FROM x\nTEMPLATE {{ .System }}{{ range .Messages }}{{ .Text }}{{ end }}\n",
        "FROM x\nTEMPLATE {{ .System }}" + _MESSAGES + "\n",
    ),
}
