"""``lrm search TEXT``: names, nicknames, organisations, emails, phones, social profiles,
web pages, postal addresses, notes, interaction summaries, how-met and date labels, ranked
(services/search.py has the rules).

``search_command`` is shared by the Typer command and the fast path (cli/fast.py), so this
module imports Typer only inside ``register`` (and so has no ``from __future__ import
annotations``: the command's annotations name Typer objects local to ``register``).
"""

from typing import TYPE_CHECKING

from lrm_cli.cli.state import Run

if TYPE_CHECKING:
    import typer

HEADERS = ["ID", "NAME", "MATCH", "SNIPPET"]


def search_command(run: Run, *, text: str | list[str], limit: int) -> int:
    from lrm_cli.services.search import match_label, search

    query = text if isinstance(text, str) else " ".join(text)
    hits = search(run.db, query, limit)
    if run.out.is_json:
        run.out.json([h.as_json() for h in hits])
        return 0
    snippets = [_phone_grouped(h) for h in hits]
    rows = [
        [
            str(h.contact_id),
            f"{h.name} (archived)" if h.archived else h.name,
            match_label(h),
            snippet,
        ]
        for h, (snippet, _) in zip(hits, snippets, strict=True)
    ]
    empty = f"nothing matches {query!r}"
    if run.out.mode == "rich" and run.out.color and rows:
        _highlighted(run.out, rows, [marks for _, marks in snippets])
    else:
        run.out.table(HEADERS, rows, empty=empty)
    return 0


def _phone_grouped(hit) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A hit's snippet and highlights; a phone (E.164) grouped for people, all of it
    highlighted (its digits matched in any formatting)."""
    if hit.kind != "phone":
        return hit.snippet, hit.highlights
    from lrm_cli.normalize import display_phone

    shown = display_phone(hit.snippet)
    if shown == hit.snippet:
        return hit.snippet, hit.highlights
    return shown, ((0, len(shown)),)


def _highlighted(out, rows: list[list[str]], spans: list[tuple[tuple[int, int], ...]]) -> None:
    """The table as ``out.table`` lays it out, with the matched words of each snippet (the
    last column, perhaps cut short with "…") in colour."""
    import io

    from lrm_cli.render import Output

    buffer = io.StringIO()
    Output("rich", color=out.color, stdout=buffer, stderr=out.stderr, width=out.width).table(
        HEADERS, rows
    )
    lines = buffer.getvalue().splitlines()
    for i, (row, marks) in enumerate(zip(rows, spans, strict=True), start=1):
        lines[i] = _mark(lines[i], row[-1], marks, out)
    out.stdout.write("\n".join(lines) + "\n")


def _mark(line: str, snippet: str, marks, out) -> str:
    if line.endswith(snippet):
        shown, tail = snippet, ""
    else:  # cut to fit the terminal: "text…"
        cuts = (snippet[:n] for n in range(len(snippet) - 1, 0, -1))
        shown = next((cut for cut in cuts if line.endswith(cut + "…")), None)
        if shown is None:
            return line
        tail = "…"
    head = line[: len(line) - len(shown) - len(tail)]
    parts, last = [head], 0
    for start, end in marks:
        end = min(end, len(shown))
        if start < end:
            parts += [shown[last:start], out.styled(shown[start:end], "yellow")]
            last = end
    return "".join(parts) + shown[last:] + tail


def register(app: "typer.Typer", tag_app: "typer.Typer") -> None:
    from typing import Annotated

    import typer

    from lrm_cli.cli.errors import handle_errors
    from lrm_cli.cli.options import JsonOpt

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def search(
        ctx: typer.Context,
        text: Annotated[list[str], typer.Argument(metavar="TEXT", help="Words to find.")],
        limit: Annotated[
            int,
            typer.Option("--limit", "-n", metavar="N", min=1, help="Show at most N hits."),
        ] = 20,
        json_output: JsonOpt = False,
    ) -> None:
        """Find contacts by anything: names, nicknames, organisations, emails, phones (any
        formatting), social profiles, web pages, postal addresses, notes, interaction
        summaries, how-met and date labels. Case and accents are ignored, each word matches
        the start of a word, names rank first; archived contacts are marked.

        Example: lrm search rodr    (also: lrm search "020 7946", lrm search muller --json)
        """
        search_command(Run.of(ctx, json_output), text=text, limit=limit)
