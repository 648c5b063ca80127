"""The ``kg`` command: a thin layer over the library. Each command calls one function.

Errors of our own (:class:`kg.errors.KGError`) become a one-line message and a non-zero
exit code; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import functools
import json
import sys

import click

from .errors import KGError

__all__ = ["main", "cli"]


def _friendly(fn):
    """Turn our own errors into ``kg: error: ...`` and their exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            click.echo("kg: error: %s" % exc, err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _progress(total_hint: str = "documents"):
    """A progress bar on a terminal; nothing in pipes and CI."""
    if not sys.stderr.isatty() or _env_ci():
        return None
    from tqdm import tqdm

    return lambda it: tqdm(it, unit=" " + total_hint, leave=False)


def _env_ci() -> bool:
    import os

    return bool(os.environ.get("CI"))


def _check_date(ctx, param, value):
    if value is None:
        return None
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("%r is not a date; write it as YYYY-MM-DD, e.g. 2024-04-09"
                                 % value) from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="huaihai-kg", prog_name="kg")
def cli():
    """Huaihai KG: a knowledge graph of regional cooperation in the Huaihai Economic Zone.

    Start with `kg build` (the sample corpus in data/corpus), then open build/graph.html.
    """


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--out", default="build", show_default=True, help="Output folder.")
@click.option("--date", callback=_check_date, help="Publication date (YYYY-MM-DD) of documents "
              "that state none.")
@click.option("--encoding", help="Force a text encoding (default: detect UTF-8/GB18030/Big5).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for extraction.")
@click.option("--no-page", is_flag=True, help="Skip the HTML page.")
@click.option("--no-cache", is_flag=True, help="Extract every document again.")
@_friendly
def build(inputs, out, date, encoding, jobs, no_page, no_cache):
    """Extract INPUTS (.txt/.html files and folders; default: the sample corpus) into a graph.

    Writes OUT/graph.trig, OUT/graph.html and OUT/summary.md.

    Example: kg build data/corpus -o build
    """
    from .build import build as run_build

    report = run_build(inputs or None, out, date=date, encoding=encoding, jobs=jobs,
                       progress=_progress(), page=not no_page, cache=not no_cache)
    for f in report.failures:
        click.echo("kg: skipped %s" % f, err=True)
    click.echo("%d documents (%d extracted, %d unchanged), %d characters, %d triples in %.1fs"
               % (report.documents, report.extracted, report.cached, report.characters,
                  report.triples, report.seconds))
    for cls, n in report.counts.items():
        click.echo("  %-16s %d" % (cls, n))
    for path in report.files:
        click.echo("wrote %s" % path)
    if report.failures:
        click.echo("kg: %d of %d files failed" % (len(report.failures),
                                                  len(report.failures) + report.documents),
                   err=True)
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "ttl"]), default="json",
              show_default=True)
@click.option("--date", callback=_check_date, help="Publication date (YYYY-MM-DD), overriding "
              "the text's.")
@click.option("--encoding", help="Force a text encoding.")
@_friendly
def extract(file, fmt, date, encoding):
    """Print one document's extraction (json: the contract of shared/gold/README.md).

    Example: kg extract data/corpus/01_xulian_hsr.txt --date 2021-02-07
    """
    from .extract import Extractor
    from .read import read_document

    document = read_document(file, doc_id=file, encoding=encoding, date=date)
    result = Extractor().extract_document(document)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        from .graph import KnowledgeGraph

        graph = KnowledgeGraph(base=False)
        graph.add_extraction(result)
        import pyoxigraph as ox

        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in graph.store]
        click.echo(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                prefixes=_prefixes()).decode("utf-8"), nl=False)


# --- extractor commands (evaluate) go here ---

# --- graph commands (query, queries, validate, serve, push) go here ---

# --- analysis commands (analyze, export) go here ---

# --- page commands (view) go here ---


def _prefixes() -> dict:
    from .namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def _terminate(signum, frame):
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed on the way out."""
    raise KeyboardInterrupt


def main(argv=None):
    """Entry point of the ``kg`` console script."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        args = ["--help"]
    try:
        cli.main(args=args, prog_name="kg", standalone_mode=False)
    except KeyboardInterrupt:
        click.echo("kg: interrupted; the previous output is unchanged", err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        click.echo("kg: interrupted; the previous output is unchanged", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
