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
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "ttl", "nq"]), default="json",
              show_default=True, help="json: the extraction contract; ttl: the document's "
              "graph; nq: N-Quads, one named graph per document (a shard for kg push).")
@click.option("-o", "--out", type=click.Path(path_type=str), help="Write to this file "
              "(atomically) instead of standard output.")
@click.option("--date", callback=_check_date, help="Publication date (YYYY-MM-DD), overriding "
              "the text's.")
@click.option("--encoding", help="Force a text encoding.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (nq).")
@_friendly
def extract(files, fmt, out, date, encoding, jobs):
    """Print the extraction of FILES (json: the contract of shared/gold/README.md).

    One file gives one JSON object; several give one object per line (JSON Lines).
    With --format nq, every document becomes its own named graph: extraction shards by
    file, and the shards load into any SPARQL store (see kg push).

    Example: kg extract data/corpus/001_xulian_hsr_opening.txt --date 2021-02-05
    """
    from .errors import InputError

    if fmt == "nq":
        from .build import extract_nquads

        data, failures = extract_nquads(files, date=date, encoding=encoding, jobs=jobs)
        for f in failures:
            click.echo("kg: skipped %s" % f, err=True)
        _emit(data, out)
        if failures:
            sys.exit(1)
        return
    from .extract import Extractor
    from .read import read_document

    extractor, chunks, failed = Extractor(), [], 0
    for file in files:
        try:
            document = read_document(file, doc_id=file, encoding=encoding, date=date)
        except InputError as exc:
            if len(files) == 1:
                raise
            click.echo("kg: skipped %s" % exc, err=True)
            failed += 1
            continue
        result = extractor.extract_document(document)
        if fmt == "json":
            chunks.append(json.dumps(result.to_json(), ensure_ascii=False,
                                     indent=1 if len(files) == 1 else None))
        else:
            chunks.append(_turtle(result))
    _emit(("\n".join(chunks) + "\n").encode("utf-8"), out)
    if failed:
        sys.exit(1)


def _turtle(result) -> str:
    import pyoxigraph as ox

    from .gazetteer import load_gazetteer
    from .rdf import extraction_quads

    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in extraction_quads(result, load_gazetteer())]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                        prefixes=_prefixes()).decode("utf-8")


def _emit(data: bytes, out) -> None:
    if out:
        from .io import atomic_path

        with atomic_path(out) as tmp:
            tmp.write_bytes(data)
        click.echo("wrote %s" % out, err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


# --- extractor commands (evaluate) go here ---

# --- graph commands (query, queries, validate, serve, push) go here ---

# --- analysis commands (analyze, export) go here ---

@cli.command("analyze")
@click.option("-o", "--out", type=click.Path(path_type=str),
              help="Output folder [default: build/analysis; with --format json, files are "
              "written only when -o is given].")
@click.option("--graph", "graph_path", default="build/graph.trig", show_default=True,
              type=click.Path(path_type=str), help="The graph `kg build` wrote.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="markdown: write the report; json: print the analysis "
              "to standard output.")
@click.option("--hub", default="320300", show_default=True,
              help="Place that cut-offs and hops are measured from (code or name).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed of the Louvain communities and of sampled estimates.")
@_friendly
def analyze_command(out, graph_path, fmt, hub, seed):
    """Measure the graph for planners: central places, cut-off cities, weak links, communities.

    Writes OUT/report.md with PNG figures, OUT/analysis.json and one CSV file per table.

    Example: kg analyze -o build/analysis
    """
    from .analyze import analyze, load_graph, write_report
    from .analyze.report import to_json

    result = analyze(load_graph(graph_path), hub=hub, seed=seed)
    if fmt == "json":
        click.echo(to_json(result), nl=False)
        if out:
            write_report(result, out)
        return
    for path in write_report(result, out or "build/analysis"):
        click.echo("wrote %s" % path)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "nt", "ttl", "jsonld"]),
              default="graphml", show_default=True, help="graphml/gexf: a networkx projection "
              "(for Gephi); nt/ttl/jsonld: the RDF graph, named graphs merged.")
@click.option("-o", "--out", type=click.Path(path_type=str),
              help="Output file (default: standard output).")
@click.option("--graph", "graph_path", default="build/graph.trig", show_default=True,
              type=click.Path(path_type=str), help="The graph `kg build` wrote.")
@click.option("--network", type=click.Choice(["place", "industry", "cooperation"]),
              default="place", show_default=True, help="The projection GraphML and GEXF hold.")
@_friendly
def export_command(fmt, out, graph_path, network):
    """Export the graph for Gephi and other tools.

    Example: kg export --format gexf -o build/places.gexf
    """
    from .analyze import export, export_bytes, load_graph

    kg = load_graph(graph_path)
    if out:
        click.echo("wrote %s" % export(kg, fmt, out, network=network))
    else:
        click.echo(export_bytes(kg, fmt, network=network), nl=False)


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
