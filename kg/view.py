"""Pages for planners: one self-contained HTML file built with pyvis (no network needed).

pyvis's template loads Bootstrap and vis-network from CDNs; we inline the
vis-network script and style that pyvis ships and drop every external reference.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Union

__all__ = ["write_page", "inline_assets"]

_CLASS_COLOURS = {
    "Province": "#8c564b", "City": "#d62728", "County": "#ff9896", "Region": "#9467bd",
    "ParkZone": "#2ca02c", "Project": "#ff7f0e", "Industry": "#bcbd22", "Cluster": "#dbdb8d",
    "Infrastructure": "#1f77b4", "Organization": "#17becf", "Agreement": "#e377c2",
    "WaterBody": "#aec7e8", "Other": "#7f7f7f",
}


def _asset(*parts) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "templates" / "lib" / Path(*parts)).read_text(
        encoding="utf-8")


def inline_assets(page: str) -> str:
    """Replace every external script and stylesheet of a pyvis page with inline copies."""
    page = re.sub(r"<script[^>]*src=\"http[^\"]*\"[^>]*>\s*</script>", "", page)
    page = re.sub(r"<link[^>]*href=\"http[^\"]*\"[^>]*/?>", "", page)
    js = _asset("vis-9.1.2", "vis-network.min.js").replace("</script", "<\\/script")
    css = _asset("vis-9.1.2", "vis-network.css")
    return page.replace("<head>", "<head>\n<style>%s</style>\n<script>%s</script>" % (css, js), 1)


def write_page(nodes: list, edges: list, path: Union[str, Path], *,
               title: str = "Huaihai KG") -> Path:
    """Write a page for ``nodes`` (dicts: id, label, group, title) and ``edges`` (from, to, label).

    Labels and tooltips are escaped: text from documents never runs as markup.
    """
    from pyvis.network import Network

    from .io import write_text_atomic

    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for n in nodes:
        net.add_node(n["id"], label=n.get("label", n["id"]), title=html.escape(n.get("title", "")),
                     color=_CLASS_COLOURS.get(n.get("group"), _CLASS_COLOURS["Other"]),
                     group=n.get("group", "Other"))
    for e in edges:
        net.add_edge(e["from"], e["to"], title=html.escape(e.get("title", "")),
                     label=e.get("label", ""))
    page = inline_assets(net.generate_html())
    page = page.replace("<title>", "<title>%s " % html.escape(title), 1) if "<title>" in page \
        else page.replace("<head>", "<head><meta charset=\"utf-8\"><title>%s</title>"
                          % html.escape(title), 1)
    return write_text_atomic(path, page)


def graph_page(kg_graph, path: Union[str, Path]) -> Path:
    """A first overview page of a :class:`~kg.graph.KnowledgeGraph`: documents' entities and links."""
    rows = kg_graph.query("""
        PREFIX hh: <https://huaihai-kg.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s ?p ?o ?sl ?ol WHERE {
          GRAPH ?doc { ?doc a hh:Document . ?s ?p ?o .
            FILTER(?p IN (hh:connects, hh:locatedIn, hh:memberOf, hh:partOf, hh:hasIndustry,
                          hh:cooperatesWith, hh:leads, hh:appliesTo)) }
          ?s rdfs:label ?sl . ?o rdfs:label ?ol .
          FILTER(lang(?sl) = "zh" && lang(?ol) = "zh")
        }""")
    nodes, edges = {}, []
    for r in rows:
        for key, label in (("s", "sl"), ("o", "ol")):
            kind = r[key].split("/id/")[-1].split("/")[0]
            group = {"place": "City"}.get(kind, kind.capitalize())
            nodes.setdefault(r[key], {"id": r[key], "label": r[label], "group": group,
                                      "title": r[label]})
        edges.append({"from": r["s"], "to": r["o"], "label": r["p"].split("#")[-1],
                      "title": r["p"].split("#")[-1]})
    return write_page(sorted(nodes.values(), key=lambda n: n["id"]), edges, path)
