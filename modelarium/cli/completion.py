"""`modelarium completion bash|zsh|fish`: shell completion generated from the argument parser.

Built only when asked for, so the bare command's start-up does not pay for it.
"""

from __future__ import annotations

import argparse
from typing import Any

SHELLS = ("bash", "zsh", "fish")


def register(subparsers: argparse._SubParsersAction[Any], root: argparse.ArgumentParser) -> None:
    """Add `completion SHELL`; `root` is the whole command's parser, which the script describes."""
    completion = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description=(
            "Print a completion script. bash: modelarium completion bash > "
            "~/.local/share/bash-completion/completions/modelarium; zsh: into a folder on "
            "$fpath as _modelarium; fish: > ~/.config/fish/completions/modelarium.fish"
        ),
    )
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(handler=run_completion, root_parser=root)


def run_completion(args: argparse.Namespace) -> int:
    root: argparse.ArgumentParser = args.root_parser
    print(completion_script(root, args.shell), end="")
    return 0


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell`: shtab for bash and zsh, fish from the parser tree."""
    if shell == "fish":
        return fish_script(parser)
    import shtab

    script: str = shtab.complete(parser, shell=shell)
    return script


def fish_script(parser: argparse.ArgumentParser) -> str:
    """fish `complete` lines for every subcommand path and option of the parser."""
    program = parser.prog
    lines = [f"complete -c {program} -f"]

    def walk(node: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        condition = _fish_condition(path)
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                names = list(action.choices)
                below = " ".join(names)
                for name, child in action.choices.items():
                    description = _fish_text(helps.get(name), None)
                    lines.append(
                        f"complete -c {program} -n '{condition}; and not "
                        f"__fish_seen_subcommand_from {below}' -a {name} -d '{description}'"
                    )
                    walk(child, (*path, name))
            else:
                for option in action.option_strings:
                    if option.startswith("--"):
                        description = _fish_text(action.help, action.default)
                        flag = f"-l {option[2:]}"
                        needs = " -r" if action.nargs != 0 else ""
                        lines.append(
                            f"complete -c {program} -n '{condition}' {flag}{needs} "
                            f"-d '{description}'"
                        )
                if action.choices and not action.option_strings:
                    words = " ".join(str(choice) for choice in action.choices)
                    lines.append(f"complete -c {program} -n '{condition}' -a '{words}'")

    walk(parser, ())
    return "\n".join(lines) + "\n"


def _fish_text(text: str | None, default: object) -> str:
    """A help text as fish shows it: argparse's %(default)s filled in, quotes escaped."""
    return (text or "").replace("%(default)s", str(default)).replace("'", "\\'")


def _fish_condition(path: tuple[str, ...]) -> str:
    if not path:
        return "__fish_use_subcommand"
    return "; and ".join(f"__fish_seen_subcommand_from {word}" for word in path)
