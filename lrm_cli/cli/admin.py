"""Commands about the database file and the demo: db path/backup/restore, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt, YesOpt
from lrm_cli.cli.state import Run
from lrm_cli.words import plural


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    db_app = typer.Typer(
        help="The database file: path, backup, restore, check.", no_args_is_help=True
    )
    app.add_typer(db_app, name="db", rich_help_panel="Data")

    @db_app.command("path")
    @handle_errors
    def db_path(ctx: typer.Context, json_output: JsonOpt = False) -> None:
        """Print where the database is. Example: lrm db path"""
        run = Run.of(ctx, json_output)
        path = run.db_path
        run.out.emit({"path": str(path), "exists": path.exists()}, lambda out: out.line(str(path)))

    @db_app.command("backup")
    @handle_errors
    def db_backup(
        ctx: typer.Context,
        dest: Annotated[
            Path | None,
            typer.Argument(
                help="A new file, or a folder to put it in. Default: backups/ beside the "
                "database (lrm db path), made 0700."
            ),
        ] = None,
        force: Annotated[
            bool,
            typer.Option("--force", help="Replace DEST, once the new copy is whole on disk."),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Copy the database consistently, even while lrm is writing (file mode 600).

        The copy is written beside DEST and renamed over it when complete: if anything
        fails (a full disk: exit 6), DEST is left as it was and no partial file remains. A
        database that fails SQLite's quick_check is copied with a warning, but never over
        an existing DEST.

        Example: lrm db backup ~/backups/   (or just `lrm db backup`, as in a nightly cron)
        """
        from lrm_cli.services.admin import backup

        run = Run.of(ctx, json_output)
        written = backup(run.db, dest and dest.expanduser(), overwrite=force, warn=run.out.warn)
        run.out.emit({"path": str(written)}, lambda out: out.line(f"backed up to {written}"))

    @db_app.command("restore")
    @handle_errors
    def db_restore(
        ctx: typer.Context,
        source: Annotated[Path, typer.Argument(help="A backup made by `lrm db backup`.")],
        yes: YesOpt = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Replace the database with a backup, after an integrity check. The database it
        replaces is kept beside it (lrm.sqlite3.before-restore-TIME.bak, mode 600).

        Example: lrm db restore ~/backups/lrm-20261129.sqlite3 --yes
        """
        from lrm_cli.cli import prompts
        from lrm_cli.config import require_db_folder
        from lrm_cli.services.admin import restore

        run = Run.of(ctx, json_output)
        target = run.db_path
        if not target.exists():
            require_db_folder(target)

        def confirm(current: Path) -> None:
            prompts.confirm(
                f"Replace the database {current} with {source}? (a copy of it is kept)",
                yes=yes,
                refusal=f"{current} already holds a database",
            )

        done = restore(
            source.expanduser(),
            target,
            overwrite=yes,
            confirm=confirm if prompts.interactive() else None,
        )
        kept = str(done.safety_copy) if done.safety_copy else None

        def human(out) -> None:
            out.line(f"restored {target} from {source}")
            if kept:
                out.line(f"the database it replaced is kept at {kept}")

        run.out.emit(
            {
                "path": str(target),
                "restored_from": str(source),
                "schema": done.revision,
                "safety_copy": kept,
            },
            human,
        )

    @db_app.command("check")
    @handle_errors
    def db_check(
        ctx: typer.Context,
        rebuild_search: Annotated[
            bool, typer.Option("--rebuild-search", help="Rebuild the search index anyway.")
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Check the database file (exit 6 if it is damaged) and the search index, which is
        rebuilt when anything is wrong with it.

        Example: lrm db check --rebuild-search
        """
        from lrm_cli.services.admin import check

        run = Run.of(ctx, json_output)
        report = check(run.db, rebuild_search=rebuild_search)

        def human(out) -> None:
            index = report["search_index"]
            out.line(f"database: {report['integrity']} ({report['path']})")
            out.line(f"search index: {index['status']}, {plural(index['rows'], 'row')}")
            for problem in index["problems"]:
                out.line(f"  {problem}")

        run.out.emit(report, human)

    @app.command(rich_help_panel="Data")
    @handle_errors
    def demo(
        ctx: typer.Context,
        json_output: JsonOpt = False,
    ) -> None:
        """Show what lrm does with a bundled sample dataset in a throw-away database
        (your own database is not touched unless you pass --db): the contacts, one profile
        and its timeline, who is due, and the morning digest.

        Example: lrm demo
        """

        from lrm_cli import shapes
        from lrm_cli.cli import reads
        from lrm_cli.render import views
        from lrm_cli.services.contacts import list_contacts
        from lrm_cli.services.demo import fresh_demo_database, load_sample
        from lrm_cli.services.records import timeline
        from lrm_cli.services.schedule import due as find_due

        run = Run.of(ctx, json_output)
        if not run.db_flag:
            run.db_flag = str(fresh_demo_database())
        out, zone = run.out, run.clock.zone
        out.info(f"demo database: {run.db_path}")
        featured = load_sample(run.db, run.clock)
        rows = list_contacts(run.db)
        detail = reads.shown(run, featured, recent=5)  # as `lrm show` has it
        history = timeline(run.db, featured, run.clock, limit=8)
        if out.is_json:
            out.json(
                {
                    "database": str(run.db_path),
                    "contacts": [shapes.listed(r, zone) for r in rows],
                    "featured": shapes.detail(detail, zone),
                    "timeline": [shapes.timeline_item(i, zone) for i in history.items],
                    "due": [i.as_json() for i in find_due(run.db, run.clock, run.scheduler)],
                    "digest": reads.digest_data(run, on=None, explain=False, days=None),
                }
            )
            return
        prefix = f"lrm --db {run.db_path}"
        out.info(f"\n$ {prefix} list")
        views.contact_list(out, rows, zone)
        out.info(f"\n$ {prefix} show '{featured}'")
        views.detail(out, detail, zone, run.clock.today)
        out.info(f"\n$ {prefix} timeline '{featured}'")
        views.timeline(out, history.items, zone)
        out.info(f"\n$ {prefix} due")
        reads.due_command(run, within=None, tag=None, limit=None)
        out.info(f"\n$ {prefix} digest")
        digest = reads.digest_data(run, on=None, explain=False, days=None)
        reads.write_digest(run, digest, None, explain=False)
        out.info(f"\nTry it yourself: export LRM_DB={run.db_path}; lrm --help")
