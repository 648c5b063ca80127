"""Pages for planners: one self-contained, interactive HTML file of the graph, built on pyvis.

The page opens from disk with no network at all. It draws with vis-network 9.1.2, the
library pyvis wraps, read from pyvis's package and inlined; nodes, edges and options are
the vis-network dicts pyvis would build. pyvis's own template is not used, because it
loads Bootstrap and tom-select from CDNs, and its ``Network`` class is not imported,
because it imports IPython (1.4 s, longer than writing a 5,000-node page): our template
(``kg/page/graph.html``) is rendered with Jinja, as pyvis does. The interface (legend and
filters, search, details, tooltips, the map's graticule) is our own script and style in
``kg/page/``, inlined too, and a Content-Security-Policy with the hashes of those two
scripts forbids any request and any other script.

Every label and sentence comes from text we did not write. The data travels as JSON in
``<script type="application/json">`` blocks with ``<``, ``>`` and ``&`` escaped
(:func:`script_json`), and the page's script puts text on screen with ``textContent`` only.

The stages, each usable alone:

- :func:`page_data`: a :class:`~kg.graph.KnowledgeGraph` -> nodes, edges, documents;
- :func:`geo_positions`, :func:`force_positions`: layouts;
- :func:`aggregate`: by city or province, for graphs too big for a browser;
- :func:`write_page`: nodes and edges -> the file;
- :func:`make_page` / :func:`graph_page`: all of the above.

Examples
--------
>>> import tempfile, pathlib
>>> nodes = [{"id": "xz", "label": "徐州", "group": "City", "lat": 34.26, "lon": 117.18},
...          {"id": "lyg", "label": "连云港", "group": "City", "lat": 34.6, "lon": 119.22},
...          {"id": "xl", "label": "徐连高铁", "group": "HighSpeedRail", "aliases": ["徐连客专"]}]
>>> edges = [{"from": "xl", "to": "xz", "rel": "connects"},
...          {"from": "xl", "to": "lyg", "rel": "connects"}]
>>> out = pathlib.Path(tempfile.mkdtemp()) / "page.html"
>>> report = write_page(nodes, edges, out, title="徐连高铁")
>>> report.nodes, report.edges, report.layout
(3, 2, 'geo')
>>> "https://" in out.read_text(encoding="utf-8").split("<script")[0]
False
"""
from __future__ import annotations

import base64
import collections
import functools
import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

__all__ = ["PageData", "PageReport", "load_graph", "page_data", "geo_positions",
           "force_positions", "importance", "aggregate", "write_page", "make_page",
           "graph_page", "script_json", "ontology_labels", "page_style", "CENTRE", "MAX_NODES",
           "PHYSICS_LIMIT"]

HH = "https://huaihai-kg.org/ontology#"
CENTRE = (117.3, 34.3)
"""Longitude and latitude of the zone's centre: the origin of the geographic layout."""
MAX_NODES = 20_000
"""Beyond this many nodes a page shows groups (by city, then province) instead."""
PHYSICS_LIMIT = 1_000
"""Beyond this many nodes positions are computed here and the browser's physics is off."""
BETWEENNESS_LIMIT = 2_000
"""Beyond this many nodes sizes follow degree instead of (sampled) betweenness."""
GEO_SCALE = 260.0
"""Pixels per degree of latitude in the geographic layout."""
FONT = ('"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", '
        '"Microsoft YaHei", "PingFang SC", sans-serif')

INFRA_PREDICATES = ("connects", "passesThrough")
PREDICATES = ("connects", "passesThrough", "locatedIn", "memberOf", "historicMemberOf", "partOf",
              "hasIndustry", "cooperatesWith", "leads", "appliesTo", "parentUnit")
SYMMETRIC = ("cooperatesWith",)
PLACE_CLASSES = ("Province", "City", "County", "Region", "AdministrativeUnit")
STATUSES = ("Opened", "UnderConstruction", "Planned")
_GOLDEN = math.pi * (3 - math.sqrt(5))
_GRAVITY = 0.04
_PAGE_DIR = Path(__file__).resolve().parent / "page"


@functools.lru_cache(maxsize=1)
def page_style() -> dict:
    """Colours, shapes and widths of classes and link types (``kg/page/style.json``)."""
    with open(_PAGE_DIR / "style.json", encoding="utf-8") as f:
        return json.load(f)


# -- the page's data --------------------------------------------------------------------------
@dataclass
class PageData:
    """What a page shows: nodes and edges (dicts, see :func:`write_page`), documents, notes."""

    nodes: list
    edges: list
    docs: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    areas: dict = field(default_factory=dict)
    hull: list = field(default_factory=list)
    focus: Optional[str] = None
    title: str = "淮海经济区知识图谱 Huaihai KG"


@dataclass
class PageReport:
    """What :func:`write_page` wrote."""

    path: Path
    nodes: int
    edges: int
    bytes: int
    seconds: float
    layout: str
    aggregated_by: Optional[str] = None
    total_nodes: int = 0

    def __str__(self) -> str:
        agg = (", %d nodes aggregated by %s" % (self.total_nodes, self.aggregated_by)
               if self.aggregated_by else "")
        return "%s: %d nodes, %d edges, %s layout, %.1f MB in %.2fs%s" % (
            self.path, self.nodes, self.edges, self.layout, self.bytes / 1e6, self.seconds, agg)


def script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` are escaped.

    >>> print(script_json({"label": "</script><script>alert(1)</script>"}))
    {"label":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}
    >>> json.loads(script_json(["徐州 & 连云港"]))
    ['徐州 & 连云港']
    """
    return _script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _script_safe(text: str) -> str:
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.lru_cache(maxsize=1)
def ontology_labels() -> dict:
    """Chinese and English names of the ontology's terms, and each class's superclasses.

    Read from ``ontology/huaihai.ttl``: ``{local name: {"zh", "en", "parents"}}``.

    >>> ontology_labels()["HighSpeedRail"]["zh"], ontology_labels()["HighSpeedRail"]["parents"]
    ('高速铁路', ['Railway'])
    """
    import pyoxigraph as ox

    from .resources import ontology_dir

    labels: dict = {}
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    with open(ontology_dir() / "huaihai.ttl", "rb") as f:
        for t in ox.parse(f, format=ox.RdfFormat.TURTLE):
            s = t.subject.value
            if not s.startswith(HH):
                continue
            entry = labels.setdefault(s[len(HH):], {"zh": "", "en": "", "parents": []})
            if t.predicate.value == label and isinstance(t.object, ox.Literal):
                entry[t.object.language or "en"] = t.object.value
            elif t.predicate.value == sub and t.object.value.startswith(HH):
                entry["parents"].append(t.object.value[len(HH):])
    return labels


def _ancestors(cls: str, labels: dict) -> set:
    out, todo = set(), [cls]
    while todo:
        for p in labels.get(todo.pop(), {}).get("parents", []):
            if p not in out:
                out.add(p)
                todo.append(p)
    return out


def _most_specific(types: Iterable[str], labels: dict) -> str:
    """The type of a node that no other of its types specialises (alphabetical on ties)."""
    types = sorted(set(types))
    if not types:
        return "Other"
    covered = set()
    for t in types:
        covered |= _ancestors(t, labels)
    best = [t for t in types if t not in covered] or types
    return best[0]


def load_graph(path: Union[str, Path]):
    """A :class:`~kg.graph.KnowledgeGraph` in memory, read from a file ``kg build`` wrote.

    Raises
    ------
    InputError
        When the file does not exist or is not RDF.
    """
    from .errors import InputError
    from .graph import KnowledgeGraph

    path = Path(path)
    if not path.is_file():
        raise InputError("no graph at %s; run `kg build` first, or name the file with --graph"
                         % path)
    return KnowledgeGraph(base=False).load(path)


_Q_EDGES = """PREFIX hh: <https://huaihai-kg.org/ontology#>
SELECT ?s ?p ?o ?g WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o))
}""" % " ".join("hh:" + p for p in PREDICATES)
_Q_TYPES = """PREFIX hh: <https://huaihai-kg.org/ontology#>
SELECT DISTINCT ?s ?t WHERE { ?s a ?t .
  FILTER(STRSTARTS(STR(?t), STR(hh:)) && ?t != hh:Evidence && ?t != hh:Document) }"""
_Q_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?l WHERE { ?s rdfs:label ?l . FILTER(langMatches(lang(?l), "zh")) }"""
_Q_ALIASES = """PREFIX hh: <https://huaihai-kg.org/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?a WHERE { { ?s skos:altLabel ?a } UNION { ?s hh:abbreviation ?a } }"""
_Q_PROPS = """PREFIX hh: <https://huaihai-kg.org/ontology#>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT DISTINCT ?s ?p ?v WHERE {
  VALUES ?p { wgs:lat wgs:long hh:status hh:opened hh:investment hh:outputValue hh:adminCode
              hh:inProvince hh:adminLevel }
  ?s ?p ?v }"""
_Q_MENTIONS = """PREFIX hh: <https://huaihai-kg.org/ontology#>
SELECT DISTINCT ?s ?doc WHERE { GRAPH ?doc { ?s hh:mentionedIn ?doc } }"""
_Q_EVIDENCE = """PREFIX hh: <https://huaihai-kg.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?s ?p ?o ?sentence ?doc WHERE {
  ?ev a hh:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?doc .
  OPTIONAL { ?ev hh:sentence ?sentence } }"""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def _money(value: str) -> str:
    try:
        v = float(value)
    except ValueError:
        return value
    return ("%g 亿元" % round(v / 1e8, 4)) if abs(v) >= 1e8 else ("%g 万元" % round(v / 1e4, 2)
                                                                  if abs(v) >= 1e4 else
                                                                  "%g 元" % v)


def page_data(kg_graph, *, focus: Optional[str] = None, depth: int = 1,
              only: Sequence[str] = ()) -> PageData:
    """The nodes and edges a planner sees, from a :class:`~kg.graph.KnowledgeGraph`.

    By default: the entities mentioned in documents and the administrative units and
    regions they touch (not the whole gazetteer). With no documents, the zone: its
    cities and the known links that serve them. ``focus`` (a name, alias, abbreviation or
    IRI, read as a ``place`` parameter of ``kg query`` reads it) and ``depth``
    show the neighbourhood of one entity instead; ``only`` keeps the nodes of some
    classes (``City``, ``Infrastructure``... or their Chinese names; subclasses included).

    Raises
    ------
    QueryError
        When ``focus`` names nothing in the graph or several things equally well, or
        ``only`` names no class.
    """
    labels = ontology_labels()
    facts = _Facts(kg_graph)
    focus_iri = _find(kg_graph, focus, facts) if focus else None
    selected, notes = _select(facts, focus_iri, focus, depth, only, labels)
    nodes = [_node(n, facts, labels) for n in sorted(selected)]
    edges = []
    for (s, p, o), graphs in sorted(facts.edges.items()):
        if s in selected and o in selected:
            edges.append(_edge(s, p, o, graphs, facts, labels))
    hull = [(facts.areas[m]["lon"], facts.areas[m]["lat"]) for m in sorted(facts.zone_members)
            if m in facts.areas]
    docs = [{"source": d.get("source") or "", "title": d.get("title") or "",
             "date": d.get("date") or ""} for d in facts.docs]
    return PageData(nodes=nodes, edges=edges, docs=docs, notes=notes, areas=facts.areas,
                    hull=_convex_hull(hull), focus=focus_iri)


class _Facts:
    """What the page needs from the graph, read with a few SPARQL queries over all of it."""

    def __init__(self, kg_graph):
        from . import iri
        from .rdf import ZONE_NAME

        q = kg_graph.query
        self.edges: dict = collections.defaultdict(set)   # (s, p, o) -> graphs stating it
        for r in q(_Q_EDGES):
            s, p, o = r["s"], _local(r["p"]), r["o"]
            if s == o:
                continue
            if p in SYMMETRIC and o < s:
                s, o = o, s
            self.edges[(s, p, o)].add(r.get("g", ""))
        self.types: dict = collections.defaultdict(set)
        for r in q(_Q_TYPES):
            self.types[r["s"]].add(_local(r["t"]))
        self.names: dict = {}
        for r in q(_Q_LABELS):
            if r["s"] not in self.names or len(r["l"]) < len(self.names[r["s"]]):
                self.names[r["s"]] = r["l"]
        self.aliases: dict = collections.defaultdict(set)
        for r in q(_Q_ALIASES):
            self.aliases[r["s"]].add(r["a"])
        self.props: dict = collections.defaultdict(dict)
        for r in q(_Q_PROPS):
            self.props[r["s"]].setdefault(_local(r["p"]), r["v"])
        self.docs = kg_graph.documents()
        doc_index = {d["iri"]: i for i, d in enumerate(self.docs)}
        self.mentions: dict = collections.defaultdict(set)
        for r in q(_Q_MENTIONS):
            if r["doc"] in doc_index:
                self.mentions[r["s"]].add(doc_index[r["doc"]])
        self.evidence: dict = collections.defaultdict(list)          # edge -> (sentence, doc)
        self.literal_evidence: dict = collections.defaultdict(list)  # node -> (p, value, ...)
        for r in q(_Q_EVIDENCE):
            s, p, o = r["s"], _local(r["p"]), r["o"]
            if p in SYMMETRIC and o < s:
                s, o = o, s
            item = (r.get("sentence", ""), doc_index.get(r["doc"], -1))
            if (s, p, o) in self.edges:
                if item not in self.evidence[(s, p, o)]:
                    self.evidence[(s, p, o)].append(item)
            elif p in _LITERALS:
                self.literal_evidence[s].append((p, o) + item)
        # neighbours for selection: administrative parents are context, not neighbours
        self.adjacency: dict = collections.defaultdict(set)
        for (s, p, o) in self.edges:
            if p != "parentUnit":
                self.adjacency[s].add(o)
                self.adjacency[o].add(s)
        self.parents = {s: o for (s, p, o) in self.edges if p == "parentUnit"}
        zone = iri.entity("Region", ZONE_NAME)
        self.zone_members = {s for (s, p, o) in self.edges if p == "memberOf" and o == zone}
        self.areas = {n: {"label": self.names.get(n, _local(n)), "lat": float(pr["lat"]),
                          "lon": float(pr["long"]), "province": pr.get("inProvince", n)}
                      for n, pr in self.props.items()
                      if "lat" in pr and "long" in pr and self.is_place(n)}

    def is_place(self, n) -> bool:
        return bool(self.types.get(n, set()) & set(PLACE_CLASSES))

    def city_of(self, n) -> Optional[str]:
        """The prefecture-level unit of an administrative unit (itself for a city)."""
        if self.props.get(n, {}).get("adminLevel") == "county" and \
                self.parents.get(n, "") in self.areas:
            return self.parents[n]
        return n if n in self.areas else None


_LITERALS = ("investment", "phaseInvestment", "outputValue", "opened", "capacity")


def _select(facts: _Facts, focus_iri, focus, depth, only, labels) -> tuple:
    """The IRIs to show around ``focus_iri`` (the entity ``focus`` names), and notes."""
    notes = []
    if focus_iri:
        selected = frontier = {focus_iri}
        for _ in range(max(0, depth)):
            frontier = {m for n in frontier for m in facts.adjacency[n]} - selected
            selected = selected | frontier
        name = facts.names.get(focus_iri, focus)
        notes.append("以“%s”为中心的 %d 步邻域 · the %d-step neighbourhood of %s"
                     % (name, depth, depth, name))
    elif facts.mentions:
        selected = set(facts.mentions)
        selected |= {m for n in facts.mentions for m in facts.adjacency[n] if facts.is_place(m)}
    else:
        members = facts.zone_members
        zone = {o for (s, p, o) in facts.edges if p == "memberOf" and s in members}
        lines = {s for (s, p, o) in facts.edges if p in INFRA_PREDICATES and o in members}
        served = {o for (s, p, o) in facts.edges if s in lines and p in INFRA_PREDICATES}
        selected = members | zone | lines | served
        notes.append("图中还没有文档：显示地名库中的淮海经济区城市与已知交通线路。"
                     "No documents in the graph yet: the zone's cities and known links from "
                     "the gazetteer.")
    if only:
        wanted = _classes_named(only, labels)
        selected = {n for n in selected if n == focus_iri or any(
            t in wanted or _ancestors(t, labels) & wanted for t in facts.types.get(n, ()))}
    return {n for n in selected if n in facts.types or n in facts.names}, notes


def _node(n: str, facts: _Facts, labels: dict) -> dict:
    """One node for :func:`write_page`: names, class, coordinates, details, evidence."""
    described = {k: v["zh"] + " " + v["en"] for k, v in labels.items()}
    pr = facts.props.get(n, {})
    node = {"id": n, "iri": n, "label": facts.names.get(n) or _local(n),
            "group": _most_specific(facts.types.get(n, ()), labels)}
    aliases = sorted(facts.aliases.get(n, set()) - {node["label"]})
    if aliases:
        node["aliases"] = aliases
    if "lat" in pr and "long" in pr:
        node["lat"], node["lon"] = float(pr["lat"]), float(pr["long"])
    if pr.get("status"):
        node["status"] = _local(pr["status"])
    info = []
    if pr.get("adminCode"):
        info.append((described["adminCode"], pr["adminCode"]))
    if "lat" in node:
        info.append(("坐标 Coordinates", "%.4f°N, %.4f°E" % (node["lat"], node["lon"])))
    if facts.parents.get(n) in facts.names:
        info.append((described["parentUnit"], facts.names[facts.parents[n]]))
    for key in ("opened", "investment", "outputValue"):
        if pr.get(key):
            info.append((described[key], pr[key] if key == "opened" else _money(pr[key])))
    if info:
        node["info"] = info
    if facts.literal_evidence.get(n):
        node["evidence"] = [
            (labels.get(p, {}).get("zh", p) + " " + (_money(v) if p != "opened" else v),
             sentence, doc) for (p, v, sentence, doc) in facts.literal_evidence[n]]
    if facts.mentions.get(n):
        node["docs"] = sorted(facts.mentions[n])
    city = facts.city_of(n)
    if city:
        node["city"] = city
        node["province"] = facts.areas[n]["province"] if n in facts.areas else None
    return node


def _edge(s: str, p: str, o: str, graphs: set, facts: _Facts, labels: dict) -> dict:
    """One edge for :func:`write_page`; a line's links take its kind and status."""
    kind = p
    if p in INFRA_PREDICATES:
        line = _most_specific(facts.types.get(s, ()), labels)
        kind = line if line in page_style()["links"] else "Infrastructure"
    edge = {"from": s, "to": o, "rel": p, "type": kind}
    status = facts.props.get(s, {}).get("status") if p in INFRA_PREDICATES else None
    if status:
        edge["status"] = _local(status)
    if facts.evidence.get((s, p, o)):
        edge["evidence"] = facts.evidence[(s, p, o)]
    if any(g.endswith("/graph/gazetteer") for g in graphs):
        edge["gazetteer"] = True
    return edge


def _find(kg_graph, name: str, facts: _Facts) -> str:
    """The IRI a name, alias, abbreviation or IRI means.

    Among the page's entities called so (by label, or by alias; 徐州市 for 徐州): one the
    documents mention first, then a connected one, then one so labelled before one so
    aliased, then anything but a county (运河 is the canal the news speaks of, not 运河区 in
    Hebei). Else as a ``place`` parameter of ``kg query`` reads it (IRIs, codes,
    one-character abbreviations, names of the gazetteer).

    Raises
    ------
    QueryError
        When the name means nothing in the graph (the message lists similar names), or
        several things equally well (it lists them).
    """
    from .errors import QueryError
    from .iri import normalise_name
    from .query import _ambiguous, resolve_name

    keys = {normalise_name(name), normalise_name(name) + "市"}
    ranked = []
    for n, label in facts.names.items():
        if normalise_name(label) in keys:
            how = 0
        elif keys & {normalise_name(a) for a in facts.aliases.get(n, ())}:
            how = 1
        else:
            continue
        ranked.append(((n not in facts.mentions, not facts.adjacency.get(n), how,
                        facts.props.get(n, {}).get("adminLevel") == "county"), n))
    if ranked:
        best = min(r for r, _ in ranked)
        tied = sorted(n for r, n in ranked if r == best)
        if len(tied) > 1:
            raise _ambiguous("--focus", name, tied)
        return tied[0]
    found = resolve_name(kg_graph, name, "place", "--focus")
    if found in facts.types or found in facts.names:
        return found
    close = sorted({label for n, label in facts.names.items() if name[:1] in label
                    and (n in facts.adjacency or n in facts.mentions)})[:8]
    raise QueryError("no entity named %r in the graph%s; give a name or alias as written, "
                     "e.g. --focus 徐州" % (name, "; similar names: " + "、".join(close)
                                           if close else ""))


def _classes_named(only: Sequence[str], labels: dict) -> set:
    from .errors import QueryError

    wanted = set()
    by_name = {}
    for k, v in labels.items():
        for form in (k, v["zh"], v["en"]):
            if form:
                by_name[form.lower()] = k
    for item in only:
        for part in str(item).replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if part.lower() not in by_name:
                known = sorted(k for k in page_style()["classes"] if k in labels)
                raise QueryError("--only %r is not a class; use one of: %s"
                                 % (part, ", ".join(known)))
            wanted.add(by_name[part.lower()])
    return wanted


def _convex_hull(points: list) -> list:
    """Andrew's monotone chain: the outline of a set of (x, y) points, anticlockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


# -- layouts ----------------------------------------------------------------------------------
def _project(lon: float, lat: float, centre=CENTRE, scale=GEO_SCALE) -> tuple:
    kx = math.cos(math.radians(centre[1]))
    return ((lon - centre[0]) * kx * scale, -(lat - centre[1]) * scale)


def geo_positions(nodes: list, edges: list, *, sizes: Optional[dict] = None,
                  centre=CENTRE, scale: float = GEO_SCALE) -> dict:
    """Canvas x/y of each node: places at their coordinates, the others near what they relate to.

    Places are projected equirectangularly around ``centre``. A node without coordinates
    sits near the mean of its placed neighbours (a region above them), at the first spot
    of a sunflower spiral around that point where its disc and label overlap nothing
    placed before; nodes reached by no placed node go in a grid under the map.
    ``sizes`` gives node radii (default 10). Deterministic: the same input, the same map.

    >>> pos = geo_positions([{"id": "a", "lat": 34.3, "lon": 117.3, "label": "徐州"},
    ...                      {"id": "b", "label": "徐连高铁"}], [{"from": "b", "to": "a"}])
    >>> pos["a"], 20 < math.dist(pos["a"], pos["b"]) < 80   # near its city, not on it
    ((0.0, -0.0), True)
    """
    return _geo_layout(nodes, edges, sizes=sizes, centre=centre, scale=scale)[0]


def _geo_layout(nodes: list, edges: list, *, sizes: Optional[dict] = None,
                centre=CENTRE, scale: float = GEO_SCALE) -> tuple:
    """:func:`geo_positions`, and the canvas y where the grid of the nodes it could not
    place begins (None when there is none): the page draws no graticule there, which
    would give them coordinates they do not have."""
    sizes = sizes or {}
    boxes = {n["id"]: _box(n.get("label", ""), sizes.get(n["id"], 10.0)) for n in nodes}
    pos = {}
    for n in nodes:
        if n.get("lat") is not None and n.get("lon") is not None:
            pos[n["id"]] = _project(float(n["lon"]), float(n["lat"]), centre, scale)
    adjacency = collections.defaultdict(list)
    for e in edges:
        adjacency[e["from"]].append(e["to"])
        adjacency[e["to"]].append(e["from"])
    remaining = [n["id"] for n in nodes if n["id"] not in pos]
    regions = {n["id"] for n in nodes if n.get("group") == "Region"}
    cell = 100.0
    grid: dict = collections.defaultdict(list)

    def key(p):
        return (math.floor(p[0] / cell), math.floor(p[1] / cell))

    def free(p, box):
        kx, ky = key(p)
        for dx in (-2, -1, 0, 1, 2):
            for dy in (-2, -1, 0, 1, 2):
                for (q, other) in grid.get((kx + dx, ky + dy), ()):
                    if (abs(p[0] - q[0]) < (box[0] + other[0]) / 2 + 4 and
                            abs(p[1] + box[2] - q[1] - other[2]) < (box[1] + other[1]) / 2 + 2):
                        return False
        return True

    for nid, p in pos.items():
        grid[key(p)].append((p, boxes[nid]))
    start: dict = collections.Counter()
    avoid = len(remaining) <= 1500  # past that, overlap is the lesser evil: zoom in
    while remaining:
        placed = {}
        for nid in remaining:
            anchors = [pos[m] for m in adjacency[nid] if m in pos]
            if not anchors:
                continue
            mx = sum(a[0] for a in anchors) / len(anchors)
            if nid in regions:  # a region sits above the places it spans
                my = min(a[1] for a in anchors) - 80.0
            else:
                my = sum(a[1] for a in anchors) / len(anchors)
            anchor = (round(mx / 60), round(my / 60))  # neighbours share a spiral
            step = max(12.0, boxes[nid][1] / 2)
            i = start[anchor]
            while True:
                r = step * math.sqrt(i + 1)
                p = (mx + r * math.cos(i * _GOLDEN), my + r * math.sin(i * _GOLDEN))
                if not avoid or free(p, boxes[nid]) or i > start[anchor] + 2000:
                    break
                i += 1
            start[anchor] = i + 1
            placed[nid] = p
            grid[key(p)].append((p, boxes[nid]))
        if not placed:
            break
        pos.update(placed)
        remaining = [n for n in remaining if n not in placed]
    top = None
    if remaining:
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        cols = max(4, int(math.sqrt(len(remaining)) * 2))
        width = max(boxes[n][0] for n in remaining) + 10
        left = min(xs)
        top = max(ys) + 200  # (room for the line and the note the page draws above them)
        for i, nid in enumerate(remaining):
            pos[nid] = (left + (i % cols) * width, top + (i // cols) * 60.0)
    return pos, top


def _radii(values: dict, lo: float = 7.0, hi: float = 34.0) -> dict:
    """Node radii as vis-network draws them for ``value`` with ``scaling`` min/max."""
    if not values:
        return {}
    vmin, vmax = min(values.values()), max(values.values())
    if vmax == vmin:
        return {k: lo + (hi - lo) / 2 for k in values}
    return {k: lo + (hi - lo) * (v - vmin) / (vmax - vmin) for k, v in values.items()}


def _box(label: str, radius: float) -> tuple:
    """Width, height and vertical offset of a node drawn with its label underneath."""
    font = 14.0
    text = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in str(label)) * font
    return (max(2 * radius, text), 2 * radius + font + 4, (font + 4) / 2)


def force_positions(nodes: list, edges: list, *, iterations: int = 80, seed: int = 7) -> dict:
    """Canvas x/y from a force-directed layout computed here (for graphs too big for physics).

    Fruchterman-Reingold in which each node feels the repulsion of a fresh random sample
    of 25 others per step (scaled up to all of them): O(n) per step instead of O(n^2),
    so 5,000 nodes and 20,000 edges take about a second. Deterministic for a ``seed``.

    >>> pos = force_positions([{"id": i} for i in range(3)], [{"from": 0, "to": 1}])
    >>> sorted(pos) == [0, 1, 2] and math.dist(pos[0], pos[1]) < math.dist(pos[0], pos[2])
    True
    """
    import numpy as np

    ids = [n["id"] for n in nodes]
    n = len(ids)
    if n < 2:
        return {nid: (0.0, 0.0) for nid in ids}
    index = {nid: i for i, nid in enumerate(ids)}
    pairs = np.array([(index[e["from"]], index[e["to"]]) for e in edges
                      if e["from"] in index and e["to"] in index and e["from"] != e["to"]],
                     dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    m = min(n - 1, 25)
    temperature = 0.1
    cool = temperature / (iterations + 1)
    for _ in range(iterations):
        partners = rng.integers(0, n, size=(n, m))
        delta = pos[:, None, :] - pos[partners]
        d2 = (delta ** 2).sum(axis=2) + 1e-9
        disp = ((k * k / d2)[:, :, None] * delta).sum(axis=1) * ((n - 1) / m)
        if len(pairs):
            delta = pos[a] - pos[b]
            dist = np.hypot(delta[:, 0], delta[:, 1])
            force = delta * (dist / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += (np.bincount(b, force[:, axis], minlength=n)
                                  - np.bincount(a, force[:, axis], minlength=n))
        disp -= (pos - pos.mean(axis=0)) * (_GRAVITY * n * k)  # gravity keeps components together
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-12)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= cool
    pos -= pos.mean(axis=0)
    span = max(float(np.abs(pos).max()), 1e-9)
    pos *= 30.0 * math.sqrt(n) / span
    return {nid: (round(float(x), 1), round(float(y), 1)) for nid, (x, y) in zip(ids, pos)}


def importance(nodes: list, edges: list) -> tuple:
    """Each node's size value and what it measures: betweenness (sampled past 300 nodes)
    up to :data:`BETWEENNESS_LIMIT` nodes, degree beyond. Returns ``(values, measure)``."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["from"], e["to"]) for e in edges if e["from"] != e["to"])
    n = g.number_of_nodes()
    if n == 0:
        return {}, "degree"
    degree = dict(g.degree())
    if n > BETWEENNESS_LIMIT:
        return {k: float(v) for k, v in degree.items()}, "degree"
    between = nx.betweenness_centrality(g, k=min(n, 300) if n > 300 else None, seed=0)
    top = max(between.values()) or 1.0
    # betweenness, with a little degree so that leaves of a hub are not all equal
    values = {k: between[k] / top * 10 + math.log1p(degree[k]) for k in g}
    return values, "betweenness"


def aggregate(nodes: list, edges: list, *, by: str = "city", areas: Optional[dict] = None
              ) -> tuple:
    """Merge nodes into one per city (or province): ``(nodes, edges)`` of groups.

    A node's group is its ``city`` (``province``) field; a node without one joins the
    group most of its neighbours are in, else the group "未定位 unplaced". ``areas`` maps
    group ids to ``{"label", "lat", "lon"}``. Edges between groups are counted (``n``).
    """
    key = "city" if by == "city" else "province"
    group = {n["id"]: n.get(key) for n in nodes}
    adjacency = collections.defaultdict(list)
    for e in edges:
        adjacency[e["from"]].append(e["to"])
        adjacency[e["to"]].append(e["from"])
    for _ in range(3):
        changed = False
        for nid, g in list(group.items()):
            if g is None:
                votes = collections.Counter(group[m] for m in adjacency[nid]
                                            if group.get(m) is not None)
                if votes:
                    group[nid] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                    changed = True
        if not changed:
            break
    areas = areas or {}
    labels = {n["id"]: n.get("label", n["id"]) for n in nodes}
    coords = {n["id"]: (n.get("lat"), n.get("lon")) for n in nodes}
    members = collections.defaultdict(list)
    for n in nodes:
        members[group[n["id"]] or "unplaced"].append(n)
    out_nodes = []
    for g, ms in sorted(members.items()):
        info = areas.get(g, {})
        label = info.get("label") or labels.get(g) or ("未定位 unplaced" if g == "unplaced" else g)
        lat, lon = info.get("lat"), info.get("lon")
        if lat is None and coords.get(g, (None, None))[0] is not None:
            lat, lon = coords[g]
        kinds = collections.Counter(m.get("group", "Other") for m in ms)
        node = {"id": "group:" + g, "label": "%s (%d)" % (label, len(ms)),
                "group": "Region" if g != "unplaced" else "Other", "count": len(ms),
                "info": [("实体数 Entities", str(len(ms))),
                         ("类别 Classes", "、".join("%s %d" % kv for kv in kinds.most_common(6)))]}
        if lat is not None:
            node["lat"], node["lon"] = lat, lon
        out_nodes.append(node)
    counts = collections.Counter()
    for e in edges:
        a, b = group.get(e["from"]) or "unplaced", group.get(e["to"]) or "unplaced"
        if a != b:
            counts[tuple(sorted((a, b)))] += 1
    out_edges = [{"from": "group:" + a, "to": "group:" + b, "type": "aggregate",
                  "rel": "aggregate", "count": c} for (a, b), c in sorted(counts.items())]
    return out_nodes, out_edges


# -- the file ---------------------------------------------------------------------------------
def _asset(name: str) -> str:
    return (_PAGE_DIR / name).read_text(encoding="utf-8")


def _pyvis_lib() -> Path:
    """The JavaScript libraries pyvis ships, found without importing pyvis (and IPython)."""
    import importlib.util

    from .errors import KGError

    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise KGError("pyvis is not installed; pip install 'pyvis>=0.3.2'")
    return Path(spec.origin).parent / "templates" / "lib"


@functools.lru_cache(maxsize=1)
def _vis_js() -> str:
    path = _pyvis_lib() / "vis-9.1.2" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8")
    # no source map request, and nothing that could end the <script> element early
    text = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _csp_hash(script: str) -> str:
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()
                                            ).decode("ascii")


def write_page(nodes: list, edges: list, path: Union[str, Path], *, docs: Sequence = (),
               layout: str = "geo", title: str = "淮海经济区知识图谱 Huaihai KG",
               notes: Sequence[str] = (), focus: Optional[str] = None, hull: Sequence = (),
               areas: Optional[dict] = None, max_nodes: int = MAX_NODES,
               physics_limit: int = PHYSICS_LIMIT) -> PageReport:
    """Write one self-contained HTML page of ``nodes`` and ``edges``.

    Parameters
    ----------
    nodes : list of dict
        ``id`` and ``label``; optional ``group`` (an ontology class, e.g. ``City``),
        ``aliases``, ``lat``/``lon``, ``status`` (``Planned``, ``UnderConstruction``,
        ``Opened``), ``docs`` (indices into ``docs``), ``info`` (``(name, value)`` pairs for
        the details panel), ``evidence`` (``(fact, sentence, doc index)``), ``iri``, and
        ``city``/``province`` (group ids for aggregation).
    edges : list of dict
        ``from``, ``to``; optional ``rel`` (predicate, e.g. ``connects``), ``type`` (link
        type: an infrastructure class such as ``HighSpeedRail``, or a predicate such as
        ``cooperatesWith``; defaults to ``rel``), ``status``, ``evidence`` (``(sentence,
        doc index)`` pairs), ``gazetteer`` (a background fact), ``count``.
    docs : list of dict
        ``source``, ``title``, ``date`` of the documents evidence refers to.
    layout : "geo" or "force"
    max_nodes : int
        Past this, nodes are aggregated by city (then province) and the page says so.
    physics_limit : int
        Past this, positions are computed here and the browser's physics is off.

    Returns
    -------
    PageReport
    """
    from jinja2 import Environment, FileSystemLoader

    from .errors import InputError
    from .io import write_text_atomic

    started = time.perf_counter()
    if layout not in ("geo", "force"):
        raise InputError("unknown layout %r: use geo or force" % layout)
    notes = list(notes)
    known = {n["id"] for n in nodes}
    if len(known) != len(nodes):
        raise InputError("node ids must be unique: %d nodes, %d ids" % (len(nodes), len(known)))
    dropped = [e for e in edges if e["from"] not in known or e["to"] not in known]
    if dropped:
        edges = [e for e in edges if e["from"] in known and e["to"] in known]
    total = len(nodes)
    aggregated_by = None
    if len(nodes) > max_nodes:
        for by in ("city", "province"):
            agg_nodes, agg_edges = aggregate(nodes, edges, by=by, areas=areas)
            aggregated_by = by
            if len(agg_nodes) <= max_nodes:
                break
        notes.append("图中有 %d 个节点，超出浏览器可流畅显示的上限（%d），已按%s聚合为 %d 个节点；"
                     "用 kg view --focus 名称 查看局部。%d nodes are more than a browser can "
                     "show (%d): aggregated by %s into %d groups; use kg view --focus NAME "
                     "for a part." % (total, max_nodes, "城市" if by == "city" else "省份",
                                      len(agg_nodes), total, max_nodes, by, len(agg_nodes)))
        nodes, edges, focus = agg_nodes, agg_edges, None

    # importance, positions
    values, measure = importance(nodes, edges)
    physics = layout == "force" and len(nodes) <= physics_limit
    value_of = {n["id"]: float(n.get("count") or values.get(n["id"], 1.0)) for n in nodes}
    grid_top = None
    if layout == "geo":
        pos, grid_top = _geo_layout(nodes, edges, sizes=_radii(value_of))
    elif not physics:
        pos = force_positions(nodes, edges)
    else:
        pos = {}

    labels = ontology_labels()
    node_recs, classes = _node_records(nodes, pos, value_of, layout, labels)
    number = {n["id"]: i for i, n in enumerate(nodes)}
    edge_recs, links = _edge_records(edges, number, layout, labels)
    rels = {k: {"zh": v["zh"], "en": v["en"]} for k, v in labels.items()
            if k[:1].islower() and v.get("zh")}
    rels["aggregate"] = {"zh": "连接", "en": "links"}
    statuses = {k: {"zh": labels.get(k, {}).get("zh", k), "en": labels.get(k, {}).get("en", k)}
                for k in STATUSES}
    kx = math.cos(math.radians(CENTRE[1]))
    size_note = {"betweenness": "节点大小：介数中心性 · size: betweenness centrality",
                 "degree": "节点大小：连接数 · size: degree"}[measure]
    if aggregated_by:
        size_note = "节点大小：实体数 · size: number of entities"
    if dropped:
        notes.append("%d 条边的端点不在图中，未显示。%d edges name nodes not in the page and "
                     "are left out." % (len(dropped), len(dropped)))
    data = {
        "title": title, "layout": layout, "physics": physics, "size_note": size_note,
        "classes": classes, "links": links, "rels": rels, "statuses": statuses,
        "docs": [{"source": str(d.get("source", "")), "title": str(d.get("title") or ""),
                  "date": str(d.get("date") or "")} for d in docs],
        "notes": notes,
        # gridTop: where the nodes with no place on the map begin (no graticule there)
        "geo": ({"lon0": CENTRE[0], "lat0": CENTRE[1], "scale": GEO_SCALE, "kx": kx,
                 "gridTop": grid_top} if layout == "geo" else None),
        "hull": ({"label": "淮海经济区", "points": [_project(lon, lat) for lon, lat in hull]}
                 if layout == "geo" and len(hull) > 2 else None),
        "focus": number.get(focus) if focus is not None else None,
    }

    # vis-network nodes, edges and options, as pyvis would hand them to its template
    env = Environment(loader=FileSystemLoader(str(_PAGE_DIR)), autoescape=False)
    env.filters["script_json"] = script_json
    vis_js, page_js = _vis_js(), _asset("graph.js")
    page = env.get_template("graph.html").render(
        nodes=node_recs, edges=edge_recs,
        options=_options(classes, len(nodes), physics, layout),
        page={"title": title, "css": _asset("graph.css"), "vis_js": vis_js, "js": page_js,
              "data": data,
              "script_hashes": " ".join(_csp_hash(s) for s in (vis_js, page_js))})
    out = write_text_atomic(path, page)
    return PageReport(path=out, nodes=len(node_recs), edges=len(edge_recs),
                      bytes=len(page.encode("utf-8")), seconds=time.perf_counter() - started,
                      layout=layout, aggregated_by=aggregated_by, total_nodes=total)


def _node_records(nodes: list, pos: dict, value_of: dict, layout: str, labels: dict) -> tuple:
    """The page's node records (integer ids, short keys) and its legend of classes."""
    styles = page_style()["classes"]
    classes: dict = {}
    records = []
    for i, n in enumerate(nodes):
        group = n.get("group") or "Other"
        if group not in classes:
            style = styles.get(group) or styles["Other"]
            names = labels.get(group, {})
            classes[group] = {"zh": style.get("zh") or names.get("zh") or group,
                              "en": style.get("en") or names.get("en") or group,
                              "color": style["color"], "shape": style["shape"], "count": 0}
        classes[group]["count"] += 1
        rec = {"id": i, "label": str(n.get("label", n["id"])), "group": group,
               "value": round(value_of[n["id"]], 3)}
        if n["id"] in pos:
            rec["x"], rec["y"] = round(pos[n["id"]][0], 1), round(pos[n["id"]][1], 1)
            if layout == "geo" and n.get("lat") is not None:
                rec["fixed"] = 1  # a place stays where it is on the map
        if n.get("aliases"):
            rec["aka"] = [str(a) for a in n["aliases"]]
        if n.get("status") in STATUSES:
            rec["st"] = n["status"]
        if n.get("docs"):
            rec["docs"] = list(n["docs"])
        if n.get("info"):
            rec["info"] = [[str(k), str(v)] for k, v in n["info"]]
        if n.get("evidence"):
            rec["ev"] = [[str(a), str(b or ""), d] for a, b, d in n["evidence"]]
        if n.get("iri"):
            rec["iri"] = str(n["iri"])
        records.append(rec)
    return records, _in_style_order(classes, styles)


def _edge_records(edges: list, number: dict, layout: str, labels: dict) -> tuple:
    """The page's edge records and its legend of link types."""
    styles = page_style()["links"]
    links: dict = {}
    records = []
    for j, e in enumerate(edges):
        kind = e.get("type") or e.get("rel") or "Infrastructure"
        if kind not in links:
            style = styles.get(kind) or styles["aggregate"]
            names = labels.get(kind, {})
            links[kind] = {"zh": style.get("zh") or names.get("zh") or kind,
                           "en": style.get("en") or names.get("en") or kind,
                           "color": style["color"], "width": style.get("width", 1.5),
                           "arrows": bool(style.get("arrows")), "count": 0,
                           "hidden": layout in style.get("hidden", ())}
        links[kind]["count"] += 1
        rec = {"id": j, "from": number[e["from"]], "to": number[e["to"]], "type": kind,
               "rel": e.get("rel") or kind}
        if e.get("status") in STATUSES:
            rec["st"] = e["status"]
        if e.get("evidence"):
            rec["ev"] = [[str(s or ""), d] for s, d in e["evidence"]]
        if e.get("gazetteer"):
            rec["gz"] = 1
        if e.get("count"):
            rec["n"] = int(e["count"])
        records.append(rec)
    return records, _in_style_order(links, styles)


def _in_style_order(table: dict, styles: dict) -> dict:
    order = {k: i for i, k in enumerate(styles)}
    return dict(sorted(table.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _options(classes: dict, n: int, physics: bool, layout: str) -> dict:
    big = n > 2000
    options = {
        "nodes": {
            "font": {"face": FONT, "size": 14, "color": "#1d2530", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            # past 1,000 nodes minor labels appear only when zoomed in
            "scaling": {"min": 7, "max": 34,
                        "label": {"enabled": True, "min": 8 if n > 1000 else 12, "max": 20,
                                  "drawThreshold": 10 if n > 1000 else 5, "maxVisible": 40}},
            "borderWidth": 1,
        },
        "edges": {"smooth": False, "width": 1.5, "selectionWidth": 1.5, "hoverWidth": 1.0},
        "groups": {k: {"color": {"background": v["color"], "border": "#2f3a48",
                                 "highlight": {"background": v["color"], "border": "#000000"},
                                 "hover": {"background": v["color"], "border": "#000000"}},
                       "shape": v["shape"]} for k, v in classes.items()},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False,
                        "keyboard": False},
        "layout": {"improvedLayout": physics and n <= 150, "randomSeed": 7},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.02,
                                 "springLength": 90, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50,
                              "fit": True}}
    else:
        options["physics"] = {"enabled": False}
    return options


def make_page(kg_graph, path: Union[str, Path], *, focus: Optional[str] = None, depth: int = 1,
              layout: str = "geo", only: Sequence[str] = (), title: Optional[str] = None,
              max_nodes: int = MAX_NODES) -> PageReport:
    """The page of a :class:`~kg.graph.KnowledgeGraph`: :func:`page_data` then :func:`write_page`."""
    started = time.perf_counter()
    data = page_data(kg_graph, focus=focus, depth=depth, only=only)
    if title is None:
        title = data.title + (" · " + focus if focus else "")
    report = write_page(data.nodes, data.edges, path, docs=data.docs, layout=layout,
                        title=title, notes=data.notes, focus=data.focus, hull=data.hull,
                        areas=data.areas, max_nodes=max_nodes)
    report.seconds = time.perf_counter() - started
    return report


def graph_page(kg_graph, path: Union[str, Path], **options) -> Path:
    """Write the page of a :class:`~kg.graph.KnowledgeGraph` and return its path.

    Keyword options are those of :func:`make_page` (``focus``, ``depth``, ``layout``,
    ``only``, ``title``, ``max_nodes``).
    """
    return make_page(kg_graph, path, **options).path
