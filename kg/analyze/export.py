"""Export for other tools: GraphML and GEXF (Gephi, yEd, Cytoscape), N-Triples, Turtle, JSON-LD.

GraphML and GEXF hold one projection (the place network by default) with every attribute
turned into a scalar those formats accept (:func:`graphml_safe`); the RDF formats hold the
whole graph, the union of its named graphs (use ``kg build``'s TriG to keep them apart).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Union

__all__ = ["export", "export_bytes", "graphml_safe", "FORMATS", "NETWORKS"]

FORMATS = ("graphml", "gexf", "nt", "ttl", "jsonld")
NETWORKS = ("place", "industry", "cooperation")
_RDF = {"nt": "N_TRIPLES", "ttl": "TURTLE", "jsonld": "JSON_LD"}


def _scalar(value):
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "; ".join(str(v) for v in items)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def graphml_safe(G):
    """A copy of ``G`` whose node ids are strings and attributes scalars (lists joined by ``; ``).

    Attributes that are None are left out; dicts become JSON text.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_node("320300", label="徐州市", facilities=["徐州东站", "徐州观音国际机场"], lat=None)
    >>> H = graphml_safe(G)
    >>> H.nodes["320300"]
    {'label': '徐州市', 'facilities': '徐州东站; 徐州观音国际机场'}
    """
    H = G.__class__()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        H.add_node(str(n), **{k: _scalar(v) for k, v in d.items() if v is not None})
    if G.is_multigraph():
        for u, v, key, d in G.edges(keys=True, data=True):
            H.add_edge(str(u), str(v), key=str(key),
                       **{k: _scalar(x) for k, x in d.items() if x is not None})
    else:
        for u, v, d in G.edges(data=True):
            H.add_edge(str(u), str(v), **{k: _scalar(x) for k, x in d.items() if x is not None})
    return H


def _network(kg, network: str):
    from . import projections

    if network == "place":
        return projections.place_network(kg)
    if network == "industry":
        return projections.industry_graph(kg)
    if network == "cooperation":
        return projections.cooperation_network(kg)
    from .measures import AnalysisError

    raise AnalysisError("unknown network %r; choose one of %s" % (network, ", ".join(NETWORKS)))


def export_bytes(kg, fmt: str, *, network: str = "place") -> bytes:
    """The graph in a file format, as bytes.

    Parameters
    ----------
    kg : KnowledgeGraph
    fmt : str
        One of :data:`FORMATS`: ``graphml``, ``gexf`` (a projection), ``nt``, ``ttl``,
        ``jsonld`` (the RDF graph, all named graphs merged).
    network : str
        For GraphML and GEXF: ``place`` (default), ``industry`` or ``cooperation``.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> data = export_bytes(KnowledgeGraph(), "graphml")
    >>> data.startswith(b"<?xml") and "徐连高铁".encode() in data
    True
    """
    from .measures import AnalysisError

    if fmt not in FORMATS:
        raise AnalysisError("unknown export format %r; choose one of %s"
                            % (fmt, ", ".join(FORMATS)))
    if fmt in _RDF:
        import pyoxigraph as ox

        from ..namespaces import PREFIXES

        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in kg.store},
                         key=str)
        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        rdf_format = getattr(ox.RdfFormat, _RDF[fmt])
        if fmt == "nt":
            return ox.serialize(triples, format=rdf_format)
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    import io

    import networkx as nx

    G = graphml_safe(_network(kg, network))
    buf = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, buf, encoding="utf-8")
    return buf.getvalue()


def export(kg, fmt: str, path: Union[str, Path], *, network: str = "place") -> Path:
    """Write :func:`export_bytes` to ``path`` atomically; return the path."""
    from ..io import atomic_path

    data = export_bytes(kg, fmt, network=network)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
