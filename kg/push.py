"""``kg push``: upload the dataset to a SPARQL 1.1 server, one named graph per document.

Two ways, both idempotent because each graph is replaced whole:

- the Graph Store Protocol (``graph_store=URL``): ``PUT URL?graph=<g>`` with the graph as
  N-Triples (Oxigraph: ``http://host:7878/store``; Fuseki: ``/dataset/data``);
- SPARQL Update (``endpoint=URL``): ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }``
  in one request per graph (Oxigraph: ``http://host:7878/update``; Fuseki: ``/dataset/update``;
  GraphDB: ``/repositories/ID/statements``; Virtuoso: ``/sparql`` with update rights).

Pushing twice leaves the server as pushing once. The ontology and gazetteer graphs go too,
so the server answers the named queries as ``kg query`` does locally (point ``kg query
--endpoint`` at it; its default graph must be the union of the named graphs, as with
``oxigraph serve --union-default-graph``). Removing a document here does not remove it
there: drop its graph on the server (``DROP GRAPH <https://huaihai-kg.org/id/doc/...>``).
"""
from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from .errors import ServerError

__all__ = ["push", "PushReport"]


@dataclass
class PushReport:
    """What :func:`push` sent: graphs, triples, bytes, the method and the target."""

    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0
    method: str = ""
    target: str = ""

    def __str__(self) -> str:
        return "pushed %d graphs, %d triples (%.1f MB) to %s by %s in %.1fs" % (
            self.graphs, self.triples, self.bytes / 1e6, self.target, self.method, self.seconds)


def _graph_ntriples(store, graph_iri: str) -> tuple:
    import pyoxigraph as ox

    g = ox.NamedNode(graph_iri)
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, g)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


def push(graph, *, endpoint: Optional[str] = None, graph_store: Optional[str] = None,
         graphs: Optional[Iterable[str]] = None, timeout: float = 300.0,
         auth: Optional[str] = None, progress: Optional[Callable] = None) -> PushReport:
    """Upload every named graph of ``graph`` (a :class:`~kg.graph.KnowledgeGraph`).

    Parameters
    ----------
    endpoint : str, optional
        A SPARQL 1.1 Update endpoint (used when ``graph_store`` is not given).
    graph_store : str, optional
        A Graph Store Protocol endpoint; graphs are PUT there.
    graphs : iterable of str, optional
        Only these graph IRIs (default: all named graphs).
    auth : str, optional
        ``user:password`` for HTTP basic authentication.
    progress : callable, optional
        Wraps the list of graphs (for a progress bar).

    Raises
    ------
    ServerError
        The server could not be reached or refused a request (its message is included).
    """
    from .query import RemoteEndpoint

    if not endpoint and not graph_store:
        raise ServerError("give --endpoint URL (SPARQL Update) or --graph-store URL (Graph "
                          "Store Protocol), e.g. http://127.0.0.1:7878/update")
    target = graph_store or endpoint
    client = RemoteEndpoint(target, timeout=timeout, auth=auth)
    names = sorted(graphs) if graphs is not None else graph.graphs()
    report = PushReport(method="Graph Store Protocol PUT" if graph_store else "SPARQL Update",
                        target=target)
    started = time.perf_counter()
    for name in (progress(names) if progress else names):
        data, count = _graph_ntriples(graph.store, name)
        iri = "<%s>" % name  # graph names come from the store: valid IRIs, no '>' in them
        if graph_store:
            sep = "&" if "?" in graph_store else "?"
            url = graph_store + sep + urllib.parse.urlencode({"graph": name})
            client.request(url, data, "application/n-triples", method="PUT")
            report.bytes += len(data)
        else:
            body = ("DROP SILENT GRAPH %s ;\nINSERT DATA { GRAPH %s {\n" % (iri, iri)).encode() \
                + data + b"} }\n"
            client.request(endpoint, body, "application/sparql-update; charset=utf-8")
            report.bytes += len(body)
        report.graphs += 1
        report.triples += count
    report.seconds = time.perf_counter() - started
    return report
