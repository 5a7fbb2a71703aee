"""`lrm import ...` and `lrm export ...`: one sub-command per format, each registered by
its own module (vcard_io, ics_io, json_io) so formats can be added independently."""

from __future__ import annotations

import importlib

import typer

FORMAT_MODULES = ("vcard_io", "ics_io", "json_io")


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    import_app = typer.Typer(help="Bring data in: vcard, json.", no_args_is_help=True)
    export_app = typer.Typer(help="Write data out: vcard, ics, json.", no_args_is_help=True)
    app.add_typer(import_app, name="import", rich_help_panel="Data")
    app.add_typer(export_app, name="export", rich_help_panel="Data")
    for name in FORMAT_MODULES:
        importlib.import_module(f"lrm_cli.cli.{name}").register(import_app, export_app)
