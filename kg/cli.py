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


def _check_encoding(ctx, param, value):
    """An unknown --encoding is one message before anything is read, not one per file."""
    from .errors import InputError
    from .read import check_encoding

    try:
        check_encoding(value)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None
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
@click.option("--encoding", callback=_check_encoding,
              help="Force a text encoding (default: detect UTF-8/GB18030/Big5).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that extract: this one and N-1 workers.")
@click.option("--no-page", is_flag=True, help="Skip the HTML page.")
@click.option("--no-cache", is_flag=True, help="Extract every document again.")
@click.option("--store", is_flag=True, help="Also write OUT/store, an on-disk Oxigraph store "
              "that opens at once however large the graph (for kg query and kg serve).")
@_friendly
def build(inputs, out, date, encoding, jobs, no_page, no_cache, store):
    """Extract INPUTS (.txt/.html files and folders; default: the sample corpus) into a graph.

    Writes OUT/graph.trig, OUT/graph.html and OUT/summary.md.

    Example: kg build data/corpus -o build
    """
    from .build import build as run_build
    from .errors import InputError

    try:
        report = run_build(inputs or None, out, date=date, encoding=encoding, jobs=jobs,
                           progress=_progress(), page=not no_page, cache=not no_cache,
                           store=store)
    except InputError as exc:  # no file could be read: each is named, then the error
        for f in getattr(exc, "failures", ()):
            click.echo("kg: skipped %s" % f, err=True)
        raise
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
@click.option("--encoding", callback=_check_encoding, help="Force a text encoding.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that extract (nq): this one and N-1 workers.")
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
        if failures and not data:
            _nothing_read(out)
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
    if not chunks:
        _nothing_read(out)
    _emit(("\n".join(chunks) + "\n").encode("utf-8"), out)
    if failed:
        sys.exit(1)


def _nothing_read(out) -> None:
    """No input could be read: an error, and an earlier -o file is not replaced by nothing."""
    from .errors import InputError

    raise InputError("no input file could be read%s" % ("; %s was not changed" % out
                                                         if out else ""))


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

@cli.command()
@click.argument("gold", type=click.Path(path_type=str))
@click.argument("source", type=click.Path(path_type=str))
@click.option("--date", callback=_check_date, help="Publication date (YYYY-MM-DD) of texts "
              "that state none.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="Only the scores, not the missed items.")
@_friendly
def evaluate(gold, source, date, as_json, quiet):
    """Score the extractor against gold annotations: P/R/F1 for entities, relations, and each
    relation.

    GOLD is a .gold.json file and SOURCE its text (or an extraction already made, .json);
    or GOLD is a folder of NAME.gold.json files and SOURCE the folder of NAME.txt texts.

    Example: kg evaluate data/gold data/corpus
    """
    from .evaluate import evaluate_paths

    score = evaluate_paths(gold, source, date=date)
    if as_json:
        out = score.result()
        out["documents"] = score.documents
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        click.echo(score.report(details=not quiet))

# --- graph commands (query, queries, validate, serve, push) go here ---

_GRAPH_HELP = ("The graph to read: a store folder, an RDF file (.trig, .nq, .ttl, .nt, "
               ".jsonld) or a `kg build` output folder [default: build/store, else "
               "build/graph.nq, else build/graph.trig].")


def _graph_source(graph_path):
    """The path the graph commands read: --graph, else what `kg build` wrote."""
    from pathlib import Path

    from .errors import StoreError
    from .graph import build_graph

    if graph_path:
        return Path(graph_path)
    found = build_graph("build")
    if found is not None:
        return found
    raise StoreError("no graph here: run `kg build` first (it writes build/graph.nq, and "
                     "build/store with --store), or give --graph PATH")


def _open_graph(graph_path):
    from .graph import KnowledgeGraph

    return KnowledgeGraph.open(_graph_source(graph_path))


def _parse_params(values) -> dict:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter("%r is not KEY=VALUE, e.g. --param city=徐州" % item,
                                     param_hint="--param")
        out[key.strip()] = value
    return out


@cli.command("query")
@click.argument("name", required=False)
@click.option("-q", "--query", "text", metavar="SPARQL", help="Run this SPARQL text.")
@click.option("-f", "--file", "file", type=click.Path(path_type=str), help="Run this .rq file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeat): a place by name (city=徐州), a class (mode="
              "HighSpeedRail), a date... `kg queries` lists each query's.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True, help="Output format.")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL endpoint instead of the local "
              "graph (its default graph must be the union of the graphs, e.g. `oxigraph serve "
              "--union-default-graph`: http://127.0.0.1:7878/query).")
@click.option("--show", is_flag=True, help="Print the query with its parameters bound instead "
              "of running it.")
@_friendly
def query_command(name, text, file, params, fmt, graph_path, endpoint, show):
    """Run a named query (see `kg queries`), SPARQL text (-q) or a .rq file (-f).

    Results print as an aligned table (Chinese included), or as csv, tsv or json. The
    default graph is the union of all graphs; the project's prefixes (hh:, hhr:, rdfs:,
    skos:, prov:, dcterms:...) need no PREFIX lines.

    Examples:

      kg query places-linked-to-city --param city=徐州 --param mode=HighSpeedRail

      kg query -q 'SELECT ?name WHERE { ?c hh:memberOf ?zone ; rdfs:label ?name }'

      kg query evidence -p subject=徐连高铁 --format csv > evidence.csv
    """
    from .errors import QueryError
    from .query import (NamedQuery, RemoteEndpoint, bind_values, format_results, load_query,
                        resolve_param, run_named, run_text, update_message)

    if sum(x is not None for x in (name, text, file)) != 1:
        raise click.UsageError("give one of: a query NAME (see `kg queries`), -q 'SPARQL' or "
                               "-f FILE.rq")
    values = _parse_params(params)
    source = RemoteEndpoint(endpoint) if endpoint else _open_graph(graph_path)
    if text is not None:
        query = NamedQuery("-q", "", "", [], text)
    else:
        if file is not None and not file.endswith(".rq"):
            raise QueryError("%s: give a .rq file to -f" % file)
        query = load_query(file if file is not None else name)
    message = update_message(query.text, "kg query", "POST it to the server's update URL "
                             "instead (Oxigraph: http://HOST:7878/update)" if endpoint else
                             "run it in Python with KnowledgeGraph.update(), or POST it as "
                             "update= to `kg serve --allow-update` (a store folder changes in "
                             "place)")
    if message:
        raise QueryError(message)
    if show:
        declared = {p.name: p for p in query.params}
        bound = {k: resolve_param(source, declared[k], v) if k in declared else v
                 for k, v in values.items()}
        for p in query.params:
            if p.name not in bound and p.default is not None:
                bound[p.name] = resolve_param(source, p, p.default)
        click.echo(bind_values(query.text, bound))
        return
    if query.params or text is None:
        results = run_named(source, query, values)
    else:
        results = run_text(source, query.text, values)
    click.echo(format_results(results, fmt))


@cli.command("queries")
@_friendly
def queries_command():
    """List the named queries, what each answers and its parameters.

    Example: kg queries
    """
    import textwrap

    from .query import list_queries

    for q in list_queries():
        click.echo("%s  %s" % (click.style(q.name, bold=True), q.title))
        for line in textwrap.wrap(q.description, 86):
            click.echo("    " + line)
        for p in q.params:
            note = ("default %s" % p.default if p.default is not None
                    else "optional" if p.optional else "required")
            click.echo("    --param %s=...  (%s, %s) %s" % (p.name, p.kind, note, p.description))
        click.echo("")


@cli.command("validate")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--inference", type=click.Choice(["none", "rdfs"]), default="none",
              show_default=True, help="Run RDFS inference before checking (slower; hides "
              "range errors).")
@click.option("--no-warnings", is_flag=True, help="Print violations only.")
@click.option("--limit", type=click.IntRange(0, None), default=50, show_default=True,
              help="Print at most this many results of each severity (0: all).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_friendly
def validate_command(graph_path, inference, no_warnings, limit, fmt):
    """Check the graph against the SHACL shapes (ontology/shapes.ttl).

    Prints each violation readably; exits 1 when the graph does not conform. Warnings
    (a line with fewer than two resolved places) are shown but do not fail.

    Example: kg validate --limit 10
    """
    from .validate import validate

    report = validate(_open_graph(graph_path), inference=inference)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "triples": report.triples,
                               "results": [r.to_json() for r in report.results
                                           if r.severity == "Violation" or not no_warnings]},
                              ensure_ascii=False, indent=1))
    else:
        click.echo(report.text(warnings=not no_warnings, limit=limit or None))
    if not report.conforms:
        sys.exit(1)


@cli.command("serve")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you say otherwise).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port; the URL is printed).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (refused with 403 "
              "otherwise). A store folder is changed in place.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.01, None),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-results", default=10000, show_default=True, type=click.IntRange(0, None),
              help="At most this many rows or triples per answer (0: no cap).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes.")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@_friendly
def serve_command(graph_path, host, port, allow_update, timeout, max_results, workers, quiet):
    """Serve the graph as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    GET or POST queries; answers as SPARQL JSON/XML/CSV/TSV or Turtle/JSON-LD by the
    Accept header. Stop with Ctrl-C.

    Example: kg serve --port 7878   then   curl 'http://127.0.0.1:7878/sparql?query=ASK{}'
    """
    from .serve import serve

    serve(_graph_source(graph_path), host=host, port=port, allow_update=allow_update,
          timeout=timeout, max_results=max_results or None, workers=workers, quiet=quiet,
          echo=lambda line: click.echo(line))


@cli.command("push")
@click.option("--endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint (Oxigraph: "
              "http://HOST:7878/update; Fuseki: http://HOST:3030/DATASET/update).")
@click.option("--graph-store", metavar="URL", help="Graph Store Protocol endpoint; graphs are "
              "PUT there instead (Oxigraph: http://HOST:7878/store).")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--auth", metavar="USER:PASSWORD", envvar="KG_PUSH_AUTH",
              help="HTTP basic authentication (or set KG_PUSH_AUTH).")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(1, None),
              help="Seconds to wait for each request.")
@_friendly
def push_command(endpoint, graph_store, graph_path, auth, timeout):
    """Upload the graph to a SPARQL server, one named graph per document, replacing each.

    Pushing again changes nothing on the server: each graph is replaced whole.

    Example: kg push --endpoint http://127.0.0.1:7878/update
    """
    from .push import push

    report = push(_open_graph(graph_path), endpoint=endpoint, graph_store=graph_store,
                  auth=auth, timeout=timeout, progress=_progress("graphs"))
    click.echo(str(report))


# --- analysis commands (analyze, export) go here ---

@cli.command("analyze")
@click.option("-o", "--out", type=click.Path(path_type=str),
              help="Output folder [default: build/analysis; with --format json, files are "
              "written only when -o is given].")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="markdown: write the report; json: print the analysis "
              "to standard output.")
@click.option("--hub", default="320300", show_default=True,
              help="Place that cut-offs and hops are measured from (code, name, alias or "
              "abbreviation: 320300, 徐州, 彭城, 徐).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed of the Louvain communities and of sampled estimates.")
@click.option("--samples", default=128, show_default=True, type=click.IntRange(min=1),
              help="Sampled sources for betweenness and closeness beyond 1,000 places.")
@_friendly
def analyze_command(out, graph_path, fmt, hub, seed, samples):
    """Measure the graph for planners: central places, cut-off cities, weak links, communities.

    Writes OUT/report.md with PNG figures, OUT/analysis.json and one CSV file per table.

    Example: kg analyze -o build/analysis
    """
    from .analyze import analyze, write_report
    from .analyze.report import to_json

    result = analyze(_open_graph(graph_path), hub=hub, seed=seed, k=samples)
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
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--network", type=click.Choice(["place", "industry", "cooperation"]),
              default="place", show_default=True, help="The projection GraphML and GEXF hold.")
@_friendly
def export_command(fmt, out, graph_path, network):
    """Export the graph for Gephi and other tools.

    Example: kg export --format gexf -o build/places.gexf
    """
    from .analyze import export, export_bytes

    kg = _open_graph(graph_path)
    if out:
        click.echo("wrote %s" % export(kg, fmt, out, network=network))
    else:
        click.echo(export_bytes(kg, fmt, network=network), nl=False)


# --- page commands (view) go here ---


@cli.command()
@click.option("-o", "--out", default="build/view.html", show_default=True,
              help="The HTML page to write.")
@click.option("--graph", "graph_path", type=click.Path(path_type=str), help=_GRAPH_HELP)
@click.option("--focus", metavar="NAME", help="Show the neighbourhood of this entity "
              "(a name, alias, abbreviation or IRI, e.g. 徐州, 彭城) instead of everything "
              "documents mention; a name several things share is an error listing them.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10),
              help="Steps around --focus.")
@click.option("--layout", type=click.Choice(["geo", "force"]), default="geo",
              show_default=True, help="geo: places at their coordinates; force: a "
              "force-directed layout.")
@click.option("--only", "only", multiple=True, metavar="TYPE",
              help="Show only these classes (repeat, or separate with commas): City, "
              "Infrastructure, HighSpeedRail, Organization...; subclasses included.")
@_friendly
def view(out, graph_path, focus, depth, layout, only):
    """Write an interactive page of the graph: one HTML file that works offline.

    Open it in any browser. Search names and aliases, filter classes and link types,
    click a node for its details and evidence, hover for the source sentence.

    Example: kg view --focus 徐州 --depth 2 -o xuzhou.html
    """
    from .view import make_page

    report = make_page(_open_graph(graph_path), out, focus=focus, depth=depth, layout=layout,
                       only=only)
    click.echo("wrote %s" % report)


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
