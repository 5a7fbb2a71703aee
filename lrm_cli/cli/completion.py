"""``lrm completion SHELL``: print the completion script for bash, zsh or fish.

The scripts are generated from the command tree by completions/generate.py and committed;
the wheel carries them in ``lrm_cli/completions/`` (pyproject's force-include), a source
checkout has them in ``completions/``. ``script`` reads them without Typer, and the console
script answers ``lrm completion SHELL`` before loading Typer (cli/entry.py): a shell's
start-up file may run it every time (``eval "$(lrm completion bash)"``). So this module
imports Typer only inside ``register`` (and has no ``from __future__ import annotations``:
the command's annotations name Typer objects local to ``register``).
"""

from pathlib import Path
from typing import TYPE_CHECKING

from lrm_cli.errors import InvalidInput, StorageError

if TYPE_CHECKING:
    import typer

SHELLS = {"bash": "lrm.bash", "zsh": "_lrm", "fish": "lrm.fish"}


def script(shell: str) -> str:
    """The completion script for ``shell``, as this installation ships it."""
    if shell not in SHELLS:
        raise InvalidInput(
            f"no completion script for {shell!r}", f"choose one of {', '.join(SHELLS)}"
        )
    from importlib.resources import files

    name = SHELLS[shell]
    shipped = files("lrm_cli").joinpath("completions", name)
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "completions" / name
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise StorageError(f"lrm's completion scripts are missing from this installation ({name})")


HELP = """Print the shell completion script for bash, zsh or fish.

With it, Tab completes commands, options, the values of options that take one of a few
(--kind, --initiator, --sort, --format, --as) and contact names. Install it once, then
open a new shell:

\b
  bash  lrm completion bash > ~/.local/share/bash-completion/completions/lrm
        (without bash-completion, in ~/.bashrc: eval "$(lrm completion bash)")
  zsh   mkdir -p ~/.zfunc && lrm completion zsh > ~/.zfunc/_lrm
        (and in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath))
  fish  lrm completion fish > ~/.config/fish/completions/lrm.fish

After upgrading lrm, install it again (or use the eval form, which always matches).

Example: lrm completion bash > ~/.local/share/bash-completion/completions/lrm
"""


def register(app: "typer.Typer", tag_app: "typer.Typer") -> None:
    import sys
    from typing import Annotated

    import typer

    from lrm_cli.cli.errors import handle_errors
    from lrm_cli.cli.options import choices, one_of

    @app.command(help=HELP, rich_help_panel="Setup")
    @handle_errors
    def completion(
        ctx: typer.Context,
        shell: Annotated[
            str,
            typer.Argument(
                metavar="SHELL",
                autocompletion=choices(tuple(SHELLS)),
                help=f"{one_of(tuple(SHELLS))}.",
            ),
        ],
    ) -> None:
        sys.stdout.write(script(shell))
