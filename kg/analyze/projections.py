"""Projections of the RDF graph onto networkx graphs that keep the relation types.

Each projection reads a :class:`kg.graph.KnowledgeGraph` through the SPARQL queries in
``kg/analyze/queries/*.rq`` and returns a networkx graph whose edges say which relation
they stand for (edge attribute ``relation``, and ``mode`` for transport links), so that no
meaning is lost on the way, unlike a bare projection that keeps only "x is linked to y".

Node identifiers
----------------
Administrative units are named by their GB/T 2260 code (``"320300"`` for 徐州市); any other
resource by its IRI. With ``fold_counties=True`` (the default) a county-level unit is
replaced by its prefecture-level city (铜山区 becomes 徐州市), which is the scale a
planner compares; statements inside one city then fold into that city.

Topology of a link
------------------
``hh:connects`` gives the *set* of places a link serves, not their order, so the sequence of
stations cannot be recovered from the graph. The place network therefore joins **every
pair** of places a link serves (a clique per link): an edge means "one can travel between
these two places on this link without changing". It is symmetric, does not depend on an
order the data does not hold, and needs no arbitrary hub (a star would). A consequence to
keep in mind when reading centralities: a place is central when it is where *different*
links meet (a transfer point), not when a single line merely passes through it.
"""
from __future__ import annotations

import functools
from itertools import combinations
from pathlib import Path

__all__ = ["place_network", "industry_graph", "industry_projection", "cooperation_network",
           "city_cooperation", "bound_places", "places_table", "QueryCache", "MODES",
           "STATUSES", "ZONE_LABEL"]

HH = "https://huaihai-kg.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GAZETTEER_GRAPH = "https://huaihai-kg.org/id/graph/gazetteer"

MODES = ("HighSpeedRail", "Railway", "Expressway", "Road", "BusLine", "Canal", "Port",
         "Airport", "Station", "Bridge", "Pipeline", "Infrastructure")
"""Modes of transport links (``hh:`` classes), most specific first: a link typed both
``hh:HighSpeedRail`` and ``hh:Railway`` has mode ``HighSpeedRail``."""

STATUSES = ("Planned", "UnderConstruction", "Opened")
"""Statuses of a link, least advanced first; a link with several takes the most advanced."""

ZONE_LABEL = "淮海经济区"

# class (local name) -> kind of node in the cooperation and industry graphs; first match wins
_KINDS = (
    ("Region", "region"), ("ParkZone", "park"),
    ("Plan", "agreement"), ("Policy", "agreement"), ("Mechanism", "agreement"),
    ("Agreement", "agreement"),
    ("University", "organization"), ("Company", "organization"),
    ("Alliance", "organization"), ("Government", "organization"),
    ("Meeting", "organization"), ("Organization", "organization"),
    ("Project", "project"), ("Cluster", "cluster"), ("Industry", "industry"),
) + tuple((m, "infrastructure") for m in MODES)


@functools.lru_cache(maxsize=None)
def _sparql(name: str) -> str:
    return (Path(__file__).parent / "queries" / (name + ".rq")).read_text(encoding="utf-8")


def _rows(kg, name: str) -> list:
    return kg.query(_sparql(name))


class QueryCache:
    """A graph seen through a memo of its query results, for several projections in a row.

    Only :meth:`query` is offered; use it while the graph does not change.

    >>> from kg import KnowledgeGraph
    >>> kg = QueryCache(KnowledgeGraph())
    >>> sparql = "SELECT ?c WHERE { ?p hh:adminCode ?c } LIMIT 1"
    >>> kg.query(sparql) is kg.query(sparql)
    True
    """

    def __init__(self, kg):
        self.kg = kg.kg if isinstance(kg, QueryCache) else kg
        self._memo: dict = {}

    def query(self, sparql: str) -> list:
        if sparql not in self._memo:
            self._memo[sparql] = self.kg.query(sparql)
        return self._memo[sparql]


def _local(term: str) -> str:
    return term[len(HH):] if term.startswith(HH) else term


def _date_key(value: str):
    return (-len(value), value)  # most precise first, then earliest


def places_table(kg) -> dict:
    """Administrative units of the graph, by IRI: code, level, label, province, coordinates.

    Parameters
    ----------
    kg : KnowledgeGraph

    Returns
    -------
    dict
        ``{iri: {"code", "level", "label", "province", "parent", "lat", "lon", "member"}}``
        where ``province`` and ``parent`` are codes (a province is its own province) and
        ``member`` says whether the unit belongs to the zone (淮海经济区).
    """
    code_of = {}
    table: dict = {}
    rows = _rows(kg, "places")
    for r in rows:
        code_of[r["place"]] = r["code"]
    for r in rows:
        p = table.get(r["place"])
        if p is None:
            p = table[r["place"]] = {
                "code": r["code"], "level": r.get("level"), "label": r.get("label"),
                "province": code_of.get(r.get("province", ""), None),
                "parent": code_of.get(r.get("parent", ""), None),
                "lat": float(r["lat"]) if "lat" in r else None,
                "lon": float(r["long"]) if "long" in r else None,
                "member": False}
        if r.get("label") and (p["label"] is None or r["label"] < p["label"]):
            p["label"] = r["label"]
        if "zone" in r:
            p["member"] = True
    for p in table.values():
        if p["province"] is None and p["level"] == "province":
            p["province"] = p["code"]
    return table


class _Places:
    """Resolves IRIs to node identifiers and node attributes, folding counties if asked."""

    def __init__(self, kg, fold_counties: bool):
        self.table = places_table(kg)
        self.by_code = {p["code"]: p for p in self.table.values()}
        self.fold = fold_counties
        self.other: dict = {}   # IRI -> {"classes": set, "label": str}
        for r in _rows(kg, "labels"):
            info = self.other.setdefault(r["node"], {"classes": set(), "label": None})
            if r["property"] == RDF_TYPE:
                info["classes"].add(_local(r["value"]))
            elif info["label"] is None or r["value"] < info["label"]:
                info["label"] = r["value"]

    def node(self, iri: str) -> str:
        p = self.table.get(iri)
        if p is None:
            return iri
        if self.fold and p["level"] == "county":
            parent = self.by_code.get(p["parent"])
            if parent is not None and parent["level"] == "prefecture":
                return parent["code"]
        return p["code"]

    def is_place(self, node: str) -> bool:
        return node in self.by_code

    def attrs(self, node: str) -> dict:
        p = self.by_code.get(node)
        if p is None:
            info = self.other.get(node, {"classes": set(), "label": None})
            return {"label": info["label"] or node.rsplit("/", 1)[-1], "iri": node,
                    "kind": self.kind(node), "member": False}
        province = self.by_code.get(p["province"] or "")
        return {"label": p["label"] or p["code"], "code": p["code"],
                "iri": "https://huaihai-kg.org/id/place/" + p["code"], "kind": "place",
                "level": p["level"], "province": p["province"],
                "province_label": province["label"] if province else None,
                "lat": p["lat"], "lon": p["lon"], "member": p["member"]}

    def kind(self, node: str) -> str:
        if node in self.by_code:
            return "place"
        classes = self.other.get(node, {}).get("classes", set())
        for cls, kind in _KINDS:
            if cls in classes:
                return kind
        return "other"

    def members(self) -> list:
        return sorted({self.node(i) for i, p in self.table.items() if p["member"]})


def _evidence(kg, predicates) -> dict:
    """``{(s, p, o): {(doc, sentence), ...}}`` for statements with the given predicates."""
    wanted = {HH + p for p in predicates}
    out: dict = {}
    for r in _rows(kg, "evidence"):
        if r["p"] in wanted:
            out.setdefault((r["s"], _local(r["p"]), r["o"]), set()).add(
                (r["doc"], r.get("sentence", "")))
    return out


def place_network(kg, *, fold_counties: bool = True):
    """The transport network of places: one edge per link per pair of places it serves.

    Parameters
    ----------
    kg : KnowledgeGraph
    fold_counties : bool
        Replace county-level units by their city (default True); see the module notes.

    Returns
    -------
    networkx.MultiGraph
        Nodes: places (code), with ``label``, ``code``, ``level``, ``province`` (code),
        ``province_label``, ``lat``, ``lon``, ``member`` (of the zone), ``facilities`` (links
        serving this place alone, such as an airport). The zone's member cities are always
        nodes, linked or not. Edges: keyed by the link's IRI, with ``relation``
        (``connects`` or ``passesThrough``), ``mode`` (see :data:`MODES`), ``link`` (IRI),
        ``label``, ``status`` (see :data:`STATUSES`, or None), ``opened`` (ISO date or None),
        ``weight`` (evidence sentences saying the link serves either end), ``documents``
        (documents stating it) and ``gazetteer`` (whether the gazetteer lists it).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> G = place_network(KnowledgeGraph())          # the gazetteer's well-known links
    >>> G.nodes["320300"]["label"], G.nodes["320300"]["member"]
    ('徐州市', True)
    >>> sorted(d["label"] for u, v, d in G.edges("320700", data=True) if v == "320300")
    ['徐连高铁', '连霍高速', '陇海铁路']
    >>> G.edges["320300", "320700", "https://huaihai-kg.org/id/infrastructure/徐连高铁"]["mode"]
    'HighSpeedRail'
    """
    import networkx as nx

    places = _Places(kg, fold_counties)
    served: dict = {}      # link -> node -> {"relations": set, "graphs": set, "iris": set}
    for r in _rows(kg, "link_places"):
        node = places.node(r["place"])
        entry = served.setdefault(r["link"], {}).setdefault(
            node, {"relations": set(), "graphs": set(), "iris": set()})
        entry["relations"].add(_local(r["relation"]))
        entry["graphs"].add(r["g"])
        entry["iris"].add(r["place"])
    facts: dict = {}
    for r in _rows(kg, "link_facts"):
        facts.setdefault(r["link"], {}).setdefault(r["property"].rsplit("#", 1)[-1],
                                                   set()).add(r["value"])
    evidence = _evidence(kg, ("connects", "passesThrough"))
    by_link_iri: dict = {}
    for (s, _p, o), sentences in evidence.items():
        by_link_iri.setdefault((s, o), set()).update(sentences)

    G = nx.MultiGraph(kind="places", fold_counties=fold_counties, topology="all pairs")
    for node in places.members():
        G.add_node(node, **places.attrs(node), facilities=[])
    for link in sorted(served):
        nodes = served[link]
        f = facts.get(link, {})
        classes = {_local(c) for c in f.get("type", ())}
        mode = next((m for m in MODES if m in classes), "Infrastructure")
        statuses = [_local(s) for s in f.get("status", ()) if _local(s) in STATUSES]
        status = max(statuses, key=STATUSES.index) if statuses else None
        opened = sorted(f.get("opened", ()), key=_date_key)
        labels = sorted(f.get("label", ()))
        label = labels[0] if labels else link.rsplit("/", 1)[-1]
        for node in nodes:
            if node not in G:
                G.add_node(node, **places.attrs(node), facilities=[])
        if len(nodes) == 1:
            G.nodes[next(iter(nodes))]["facilities"].append(label)
            continue
        sentences = {n: set().union(*(by_link_iri.get((link, i), set()) for i in e["iris"]))
                     for n, e in nodes.items()}
        for u, v in combinations(sorted(nodes), 2):
            rels = nodes[u]["relations"] | nodes[v]["relations"]
            graphs = nodes[u]["graphs"] | nodes[v]["graphs"]
            G.add_edge(u, v, key=link, relation="connects" if "connects" in rels
                       else "passesThrough", mode=mode, link=link, label=label, status=status,
                       opened=opened[0] if opened else None,
                       weight=len(sentences[u] | sentences[v]),
                       documents=len(graphs - {GAZETTEER_GRAPH}),
                       gazetteer=GAZETTEER_GRAPH in graphs)
    for node in G:
        G.nodes[node]["facilities"].sort()
    return G


def industry_graph(kg, *, fold_counties: bool = True):
    """The bipartite graph of places and their industries.

    A place has an industry when the graph says so of the place itself (``direct``) or of
    a project, park or company located in it (``via``, following ``hh:locatedIn`` through
    parks).

    Parameters
    ----------
    kg : KnowledgeGraph
    fold_counties : bool
        Count a county's industries as its city's (default True).

    Returns
    -------
    networkx.Graph
        Place nodes (code) with ``bipartite=0``, ``kind="place"``; industry nodes (IRI) with
        ``bipartite=1``, ``kind="industry"``; both with ``label``. Edges carry
        ``relation="hasIndustry"``, ``direct`` (bool), ``via`` (sorted labels of the
        projects, parks or companies it comes through) and ``weight`` (evidence sentences).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> from kg.model import Document, Entity, Extraction, Relation
    >>> text = "徐州工程机械产业园位于徐州,主导产业为工程机械。"
    >>> ex = Extraction(Document(id="demo", text=text),
    ...     entities=[Entity("ParkZone", "徐州工程机械产业园"), Entity("City", "徐州", code="320300"),
    ...               Entity("Industry", "工程机械")],
    ...     relations=[Relation("徐州工程机械产业园", "locatedIn", "徐州", text),
    ...                Relation("徐州工程机械产业园", "hasIndustry", "工程机械", text)])
    >>> kg = KnowledgeGraph(); kg.add_extraction(ex)
    True
    >>> B = industry_graph(kg)
    >>> [(B.nodes[u]["label"], B.nodes[v]["label"], d["via"]) for u, v, d in B.edges(data=True)]
    [('徐州市', '工程机械', ['徐州工程机械产业园'])]
    """
    import networkx as nx

    places = _Places(kg, fold_counties)
    evidence = _evidence(kg, ("hasIndustry",))
    B = nx.Graph(kind="industries", fold_counties=fold_counties)
    for r in _rows(kg, "industries"):
        p, ind = places.node(r["place"]), r["industry"]
        if p not in B:
            B.add_node(p, bipartite=0, **places.attrs(p))
        if ind not in B:
            B.add_node(ind, bipartite=1, **places.attrs(ind))
            B.nodes[ind]["kind"] = "industry"
        if not B.has_edge(p, ind):
            B.add_edge(p, ind, relation="hasIndustry", direct=False, via=[], sentences=set())
        d = B.edges[p, ind]
        subject = r.get("via", r["place"])
        d["sentences"] |= evidence.get((subject, "hasIndustry", ind), set())
        if "via" in r:
            label = places.attrs(r["via"])["label"]
            if label not in d["via"]:
                d["via"].append(label)
        else:
            d["direct"] = True
    for _u, _v, d in B.edges(data=True):
        d["via"].sort()
        d["weight"] = len(d.pop("sentences"))
    return B


def industry_projection(B):
    """Places joined when they share industries (the projection of :func:`industry_graph`).

    Parameters
    ----------
    B : networkx.Graph
        A place–industry bipartite graph (nodes with ``bipartite`` 0 or 1).

    Returns
    -------
    networkx.Graph
        Place nodes with their attributes; an edge for each pair sharing at least one
        industry, with ``relation="sharesIndustry"``, ``industries`` (sorted labels),
        ``weight`` (how many are shared) and ``jaccard`` (shared / either).

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["徐州", "宿迁", "临沂"], bipartite=0)
    >>> B.add_nodes_from(["工程机械", "白酒", "物流"], bipartite=1)
    >>> B.add_edges_from([("徐州", "工程机械"), ("徐州", "物流"), ("宿迁", "白酒"),
    ...                   ("宿迁", "物流"), ("临沂", "物流")])
    >>> P = industry_projection(B)
    >>> P.edges["徐州", "宿迁"]
    {'relation': 'sharesIndustry', 'industries': ['物流'], 'weight': 1, 'jaccard': 0.3333333333333333}
    """
    import networkx as nx

    P = nx.Graph(kind="shared industries")
    cities = sorted(n for n, d in B.nodes(data=True) if d.get("bipartite") == 0)
    P.add_nodes_from((n, {k: v for k, v in B.nodes[n].items() if k != "bipartite"})
                     for n in cities)
    label = {n: B.nodes[n].get("label", n) for n in B}
    for ind in sorted(n for n, d in B.nodes(data=True) if d.get("bipartite") == 1):
        for u, v in combinations(sorted(B[ind]), 2):
            if P.has_edge(u, v):
                continue
            shared = set(B[u]) & set(B[v])
            union = set(B[u]) | set(B[v])
            P.add_edge(u, v, relation="sharesIndustry",
                       industries=sorted(label[i] for i in shared), weight=len(shared),
                       jaccard=len(shared) / len(union))
    return P


def cooperation_network(kg, *, fold_counties: bool = True):
    """Who cooperates with whom: agreements, organisations, parks and places.

    Parameters
    ----------
    kg : KnowledgeGraph
    fold_counties : bool
        Replace county-level units by their city (default True).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes: places (code) and other resources (IRI) with ``label`` and ``kind``
        (``place``, ``region``, ``agreement``, ``organization``, ``park``, ``project``...).
        Edges as stated, keyed and labelled by ``relation``: ``cooperatesWith``,
        ``appliesTo`` (agreement -> place or region), ``memberOf`` (-> organisation),
        ``leads``, ``locatedIn`` (park -> place); ``weight`` is the number of evidence
        sentences. A place's membership of a region (the zone) is background, not
        cooperation, and is kept in ``graph["regions"]`` (region -> member places) instead.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> from kg.model import Document, Entity, Extraction, Relation
    >>> text = "徐州与宿迁签署《徐宿合作协议》。"
    >>> ex = Extraction(Document(id="demo", text=text),
    ...     entities=[Entity("City", "徐州", code="320300"), Entity("City", "宿迁", code="321300"),
    ...               Entity("Agreement", "徐宿合作协议")],
    ...     relations=[Relation("徐宿合作协议", "appliesTo", "徐州", text),
    ...                Relation("徐宿合作协议", "appliesTo", "宿迁", text)])
    >>> kg = KnowledgeGraph(); kg.add_extraction(ex)
    True
    >>> C = cooperation_network(kg)
    >>> sorted((C.nodes[u]["label"], r, C.nodes[v]["label"]) for u, v, r in C.edges(keys=True))
    [('徐宿合作协议', 'appliesTo', '宿迁市'), ('徐宿合作协议', 'appliesTo', '徐州市')]
    """
    import networkx as nx

    places = _Places(kg, fold_counties)
    evidence = _evidence(kg, ("cooperatesWith", "appliesTo", "memberOf", "leads", "locatedIn"))
    C = nx.MultiDiGraph(kind="cooperation", fold_counties=fold_counties)
    regions: dict = {}
    for iri_, p in places.table.items():
        if p["member"]:
            regions.setdefault(_zone_iri(places), set()).add(places.node(iri_))
    rows = sorted(_rows(kg, "cooperation"), key=lambda r: (r["s"], r["p"], r["o"]))
    for r in rows:
        rel = _local(r["p"])
        u, v = places.node(r["s"]), places.node(r["o"])
        if u == v:
            continue
        if rel == "memberOf" and places.is_place(u) and places.kind(v) == "region":
            regions.setdefault(v, set()).add(u)
            continue
        for n in (u, v):
            if n not in C:
                C.add_node(n, **places.attrs(n))
        if not C.has_edge(u, v, key=rel):
            C.add_edge(u, v, key=rel, relation=rel, sentences=set())
        C.edges[u, v, rel]["sentences"] |= evidence.get((r["s"], rel, r["o"]), set())
    for _u, _v, d in C.edges(data=True):
        d["weight"] = len(d.pop("sentences"))
    for region, members in regions.items():
        if region in C:
            C.add_nodes_from((m, places.attrs(m)) for m in sorted(members) if m not in C)
    C.graph["regions"] = {k: sorted(v) for k, v in sorted(regions.items())}
    return C


def _zone_iri(places) -> str:
    for node, info in places.other.items():
        if info["label"] == ZONE_LABEL and "Region" in info["classes"]:
            return node
    from .. import iri

    return iri.entity("Region", ZONE_LABEL)


def bound_places(C, x) -> dict:
    """The places a resource of a cooperation network binds, with their relations to it.

    Places attached by any relation, in either direction; a region the resource applies
    to stands for its member places (``C.graph["regions"]``).

    Returns
    -------
    dict
        ``{place: {relation, ...}}``.

    Examples
    --------
    >>> import networkx as nx
    >>> C = nx.MultiDiGraph(regions={"淮海经济区": ["徐州", "宿迁"]})
    >>> C.add_nodes_from(["徐州", "宿迁", "临沂"], kind="place")
    >>> C.add_node("淮海经济区", kind="region"); C.add_node("规划", kind="agreement")
    >>> _ = C.add_edge("规划", "淮海经济区", key="appliesTo")
    >>> _ = C.add_edge("临沂", "规划", key="leads")
    >>> bound_places(C, "规划")
    {'徐州': {'appliesTo'}, '宿迁': {'appliesTo'}, '临沂': {'leads'}}
    """
    regions = C.graph.get("regions", {})
    roles: dict = {}
    for _, p, rel in C.out_edges(x, keys=True):
        if C.nodes[p].get("kind") == "place":
            roles.setdefault(p, set()).add(rel)
        for q in regions.get(p, []):
            roles.setdefault(q, set()).add(rel)
    for p, _, rel in C.in_edges(x, keys=True):
        if C.nodes[p].get("kind") == "place":
            roles.setdefault(p, set()).add(rel)
    return roles


def city_cooperation(C):
    """Places bound together, and by what: the place-to-place view of a cooperation network.

    Two places are joined when they cooperate directly (``cooperatesWith``) or are both
    attached to the same agreement, organisation, park or project (an agreement that
    applies to a region binds the region's members).

    Parameters
    ----------
    C : networkx.MultiDiGraph
        A cooperation network (:func:`cooperation_network`).

    Returns
    -------
    networkx.MultiGraph
        Place nodes; one edge per binding, keyed by the resource it goes through (or
        ``"cooperatesWith"``), with ``relation`` (the relations involved, ``+``-joined),
        ``via`` (IRI or None), ``via_label`` and ``via_kind``.

    Examples
    --------
    >>> import networkx as nx
    >>> C = nx.MultiDiGraph(regions={})
    >>> C.add_node("徐州", kind="place"); C.add_node("宿迁", kind="place")
    >>> C.add_node("协议", kind="agreement", label="徐宿合作协议")
    >>> C.add_edge("协议", "徐州", key="appliesTo", relation="appliesTo")
    'appliesTo'
    >>> C.add_edge("协议", "宿迁", key="appliesTo", relation="appliesTo")
    'appliesTo'
    >>> P = city_cooperation(C)
    >>> [(u, v, d["via_label"], d["relation"]) for u, v, d in P.edges(data=True)]
    [('宿迁', '徐州', '徐宿合作协议', 'appliesTo')]
    """
    import networkx as nx

    P = nx.MultiGraph(kind="city cooperation")
    is_place = {n for n, d in C.nodes(data=True) if d.get("kind") == "place"}
    P.add_nodes_from((n, C.nodes[n]) for n in sorted(is_place))
    for u, v, rel in C.edges(keys=True):
        if rel == "cooperatesWith" and u in is_place and v in is_place:
            a, b = sorted((u, v))
            if not P.has_edge(a, b, key="cooperatesWith"):
                P.add_edge(a, b, key="cooperatesWith", relation="cooperatesWith", via=None,
                           via_label=None, via_kind=None)
    for x in sorted(n for n in C if n not in is_place and C.nodes[n].get("kind") != "region"):
        roles = bound_places(C, x)
        for a, b in combinations(sorted(roles), 2):
            P.add_edge(a, b, key=x, relation="+".join(sorted(roles[a] | roles[b])), via=x,
                       via_label=C.nodes[x].get("label", x), via_kind=C.nodes[x].get("kind"))
    return P
