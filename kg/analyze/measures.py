"""Measures on the place network: centrality, connectivity, weak points, paths, communities.

Every function takes a networkx graph first (a place network from
:func:`kg.analyze.place_network`, or any ``MultiGraph``/``Graph`` whose edges carry ``mode``
and ``status`` attributes) and returns plain data: dicts, lists, numbers and strings.

Distances count hops (links taken), never the evidence weight: the weight says how well
a link is attested, not how long it is. ``modes`` selects links by mode (``"HighSpeedRail"``,
a group such as ``"rail"``, see :data:`MODE_GROUPS`, or a list of them); ``statuses``
selects by status (``["Opened"]`` for what is open today).

Exact betweenness and closeness cost a breadth-first search from every node. Beyond
``exact_limit`` nodes they are estimated from ``k`` sampled sources with a fixed seed
(:func:`sampling` says which applies): betweenness with networkx's
``betweenness_centrality(k=..., seed=...)``, closeness from the distances to ``k`` pivots
(Eppstein and Wang's estimator), each connected component taken on its own.
"""
from __future__ import annotations

from typing import Iterable, Optional, Union

from ..errors import KGError

__all__ = ["subnetwork", "simple_graph", "centrality", "components", "cut_off", "bridges",
           "articulation_points", "critical_links", "shortest_path", "hops_from",
           "communities", "province_matrix", "industry_similarity", "resolve_place",
           "sampling", "modes_of", "MODE_GROUPS", "EXACT_LIMIT", "SAMPLES",
           "AnalysisError", "PlaceNotFound"]

MODE_GROUPS = {"rail": ("HighSpeedRail", "Railway"), "road": ("Expressway", "Road", "BusLine"),
               "water": ("Canal", "Port")}
"""Names for sets of modes: ``rail``, ``road`` and ``water``."""

EXACT_LIMIT = 1000
"""Largest number of nodes whose betweenness and closeness are computed exactly."""

SAMPLES = 128
"""Sampled sources (``k``) for the estimates beyond :data:`EXACT_LIMIT` nodes."""

Modes = Union[str, Iterable[str], None]


class AnalysisError(KGError):
    """An analysis was asked for something the graph or the options cannot give."""


class PlaceNotFound(AnalysisError, KeyError):
    """A place asked for is not a node of the network."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _mode_set(modes: Modes):
    if modes is None:
        return None
    if isinstance(modes, str):
        modes = [modes]
    out = set()
    for m in modes:
        out.update(MODE_GROUPS.get(m, (m,)))
    return out


def modes_of(G) -> list:
    """The modes of the edges of ``G``, most links first.

    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edge("徐州", "连云港", key="徐连高铁", mode="HighSpeedRail")
    '徐连高铁'
    >>> G.add_edge("徐州", "商丘", key="郑徐高铁", mode="HighSpeedRail")
    '郑徐高铁'
    >>> G.add_edge("徐州", "连云港", key="连霍高速", mode="Expressway")
    '连霍高速'
    >>> modes_of(G)
    ['HighSpeedRail', 'Expressway']
    """
    links: dict = {}
    for _u, _v, key, d in G.edges(keys=True, data=True):
        links.setdefault(d.get("mode", "Infrastructure"), set()).add(key)
    return sorted(links, key=lambda m: (-len(links[m]), m))


def subnetwork(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None,
               keep_nodes: bool = False):
    """The links of some modes and statuses, as a new graph of the same type.

    Parameters
    ----------
    G : networkx.MultiGraph
    modes : str or list of str, optional
        Modes or mode groups to keep (all if None).
    statuses : list of str, optional
        Statuses to keep (all if None; a link of unknown status is then dropped).
    keep_nodes : bool
        Keep every node of ``G``, linked or not (default: only the nodes of kept links).

    Returns
    -------
    networkx.MultiGraph

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edge("徐州", "连云港", key="徐连高铁", mode="HighSpeedRail", status="Opened")
    '徐连高铁'
    >>> G.add_edge("徐州", "淮北", key="徐淮阜城际", mode="Railway", status="Planned")
    '徐淮阜城际'
    >>> sorted(subnetwork(G, modes="rail", statuses=["Opened"]))
    ['徐州', '连云港']
    """
    wanted = _mode_set(modes)
    statuses = None if statuses is None else set(statuses)
    kept = [(u, v, key, d) for u, v, key, d in G.edges(keys=True, data=True)
            if (wanted is None or d.get("mode") in wanted)
            and (statuses is None or d.get("status") in statuses)]
    H = G.__class__()
    H.graph.update(G.graph)
    if keep_nodes:
        H.add_nodes_from(G.nodes(data=True))
    else:
        touched = {n for u, v, _k, _d in kept for n in (u, v)}
        H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in touched)
    H.add_edges_from(kept)
    return H


def _filtered(G, modes, statuses):
    """``G`` itself when nothing is filtered, else its filtered copy with every node."""
    if modes is None and statuses is None:
        return G
    return subnetwork(G, modes=modes, statuses=statuses, keep_nodes=True)


def simple_graph(G):
    """Collapse parallel links: one edge per pair, ``weight`` = how many links join it.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "连云港"), ("徐州", "连云港"), ("徐州", "宿迁")])
    >>> S = simple_graph(G)
    >>> S["徐州"]["连云港"]["weight"], S["徐州"]["宿迁"]["weight"]
    (2, 1)
    """
    import networkx as nx

    S = nx.Graph()
    S.graph.update(G.graph)
    S.add_nodes_from(G.nodes(data=True))
    if not G.is_multigraph():
        S.add_edges_from((u, v, {"weight": 1}) for u, v in G.edges() if u != v)
        return S
    S.add_edges_from((u, v, {"weight": len(keys)}) for u, nbrs in G.adjacency()
                     for v, keys in nbrs.items() if u != v)
    return S


def sampling(n: int, *, exact_limit: int = EXACT_LIMIT, k: int = SAMPLES) -> Optional[int]:
    """The number of sampled sources used for ``n`` nodes, or None when exact.

    >>> sampling(30), sampling(10_000)
    (None, 128)
    """
    return None if n <= exact_limit else min(k, n)


def _closeness(S, *, exact_limit: int, k: int, seed: int) -> dict:
    """Wasserman–Faust closeness, exact or estimated from pivots per component."""
    import random

    import networkx as nx

    n = S.number_of_nodes()
    if sampling(n, exact_limit=exact_limit, k=k) is None:
        return nx.closeness_centrality(S)
    import numpy as np
    from scipy.sparse.csgraph import shortest_path

    rng = random.Random(seed)
    order = list(S)
    index = {v: i for i, v in enumerate(order)}
    A = nx.to_scipy_sparse_array(S, nodelist=order, weight=None, format="csr")
    out = {}
    for comp in sorted(nx.connected_components(S), key=lambda c: -len(c)):
        r = len(comp)
        if r == 1:
            out.update({v: 0.0 for v in comp})
            continue
        if r <= exact_limit:
            exact = nx.closeness_centrality(S.subgraph(comp))
            out.update({v: c * (r - 1) / (n - 1) for v, c in exact.items()})
            continue
        members = sorted(comp, key=lambda v: index[v])
        pivots = rng.sample(members, min(k, r))
        dist = shortest_path(A, method="D", directed=False, unweighted=True,
                             indices=[index[p] for p in pivots])
        cols = np.array([index[v] for v in members])
        total = dist[:, cols].sum(axis=0) * r / len(pivots)   # estimated sums of distances
        for v, est in zip(members, total.tolist()):
            out[v] = ((r - 1) / (n - 1)) * ((r - 1) / est) if est > 0 else 0.0
    return out


def centrality(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None,
               exact_limit: int = EXACT_LIMIT, k: int = SAMPLES, seed: int = 0) -> dict:
    """Degree, betweenness and closeness centrality of each place.

    With no filter every node of ``G`` is measured (isolated places score 0); with
    ``modes`` or ``statuses``, only the places those links touch, in their own network.

    Parameters
    ----------
    G : networkx.MultiGraph
        A place network.
    modes, statuses : optional
        See :func:`subnetwork`.
    exact_limit, k, seed : int
        Beyond ``exact_limit`` nodes, estimate betweenness and closeness from ``k`` sampled
        sources drawn with ``seed`` (see :func:`sampling`).

    Returns
    -------
    dict
        ``{node: {"neighbours", "links", "degree", "betweenness", "closeness"}}``:
        distinct neighbouring places, distinct links serving the place, and the normalised
        degree, betweenness and closeness centralities of the collapsed graph (parallel
        links count once).

    Examples
    --------
    A chain 徐州 – 宿迁 – 淮安: the middle place lies on the only path between the ends.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("宿迁", "淮安")])
    >>> c = centrality(G)
    >>> c["宿迁"]["betweenness"], c["徐州"]["betweenness"], c["宿迁"]["degree"]
    (1.0, 0.0, 1.0)
    >>> round(c["徐州"]["closeness"], 3)
    0.667
    """
    import networkx as nx

    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    S = simple_graph(H)
    n = S.number_of_nodes()
    if n == 0:
        return {}
    ks = sampling(n, exact_limit=exact_limit, k=k)
    between = nx.betweenness_centrality(S, k=ks, seed=seed if ks else None)
    close = _closeness(S, exact_limit=exact_limit, k=k, seed=seed)
    degree = nx.degree_centrality(S) if n > 1 else {v: 0.0 for v in S}
    links = {v: set() for v in H}
    for u, v, key in H.edges(keys=True):
        links[u].add(key)
        links[v].add(key)
    return {v: {"neighbours": S.degree(v), "links": len(links[v]), "degree": degree[v],
                "betweenness": between[v], "closeness": close[v]} for v in S}


def components(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None,
               keep_nodes: bool = False) -> list:
    """Connected components, largest first, each a sorted list of places.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("临沂", "日照")])
    >>> G.add_node("菏泽")
    >>> components(G, keep_nodes=True)
    [['临沂', '日照'], ['宿迁', '徐州'], ['菏泽']]
    """
    import networkx as nx

    unfiltered = modes is None and statuses is None and keep_nodes
    H = G if unfiltered else subnetwork(G, modes=modes, statuses=statuses,
                                        keep_nodes=keep_nodes)
    comps = [sorted(c, key=str) for c in nx.connected_components(H)]
    return sorted(comps, key=lambda c: (-len(c), str(c[0])))


def resolve_place(G, name: str):
    """The node of a place given by node id, code, IRI or Chinese name (with or without 市),
    or by a name, alias or one-character abbreviation of the gazetteer (彭城, 港城, 徐); a
    county folded into its city (铜山) means the city.

    A name several places of the network share means the one ranked first as
    :func:`kg.query.resolve_name` ranks them (a city before a province or a county); if
    none comes first, it is an error. Only places of the network count: ``--hub 泰`` is
    泰安 in a network without 泰州, where ``kg query`` would call 泰 ambiguous.

    Raises
    ------
    PlaceNotFound
        When no node matches; the message lists some that exist.
    AnalysisError
        When the name means several places of the network equally well; the message lists
        their codes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_node("320300", label="徐州市", iri="https://huaihai-kg.org/id/place/320300")
    >>> resolve_place(G, "徐州"), resolve_place(G, "320300"), resolve_place(G, "彭城")
    ('320300', '320300', '320300')
    >>> resolve_place(G, "苏州")
    Traceback (most recent call last):
    ...
    kg.analyze.measures.PlaceNotFound: no place '苏州' in the network; try a code or a name ...
    """
    from ..gazetteer import load_gazetteer
    from ..query import best_matches, place_rank
    from ..rdf import LEVEL_CLASS

    if name in G:
        return name
    text = str(name).strip()
    found = []      # (node, how, classes) as kg.query ranks them: how 0 = label
    for node, d in G.nodes(data=True):
        if text in (d.get("iri"), d.get("code")):
            return node
        if d.get("label") in (text, text + "市", text + "省"):
            found.append((node, 0, [LEVEL_CLASS.get(d.get("level"), "")]))
    if not found:
        gaz = load_gazetteer()
        by_code = {d.get("code", node): node for node, d in G.nodes(data=True)}
        known = [gaz.places[c] for c in by_code if c in gaz.places]
        places = [(p, 1) for p in gaz.lookup(text)] + [
            (p, 2) for p in known if text in p.abbreviations]
        found = [(by_code[p.code], how, [LEVEL_CLASS[p.level]]) for p, how in places
                 if p.code in by_code]
        if not found:  # a county folded into its city (the network's default): the city
            cities = [(gaz.prefecture_of(p.code), how) for p, how in places
                      if p.level == "county"]
            found = [(by_code[c.code], how, [LEVEL_CLASS[c.level]]) for c, how in cities
                     if c is not None and c.code in by_code]
    best = best_matches(found, place_rank)
    if len(best) > 1:
        raise AnalysisError("%r names %d places of the network: %s; give one of these codes "
                            "instead" % (name, len(best), ", ".join(
                                "%s %s" % (n, G.nodes[n].get("label", "")) for n in best[:6])))
    if best:
        return best[0]
    examples = ", ".join(sorted(str(G.nodes[n].get("label", n)) for n in list(G)[:5]))
    raise PlaceNotFound("no place %r in the network; try a code or a name such as %s"
                        % (name, examples or "徐州市 (the network is empty)"))


def _members(G, members):
    if members is None:
        return sorted(n for n, d in G.nodes(data=True) if d.get("member"))
    return [resolve_place(G, m) for m in members]


def cut_off(G, hub: str = "320300", *, modes: Modes = None,
            statuses: Optional[Iterable[str]] = None, members=None) -> list:
    """The member places that the selected links leave without any path to ``hub``.

    Parameters
    ----------
    G : networkx.MultiGraph
    hub : str
        The place to reach (default 徐州, 320300), as accepted by :func:`resolve_place`.
    modes, statuses : optional
        See :func:`subnetwork`.
    members : list, optional
        Places to check (default: the nodes whose ``member`` attribute is true).

    Returns
    -------
    list
        The members cut off from ``hub``, sorted.

    Examples
    --------
    By high-speed rail alone, 淮北 cannot be reached from 徐州:

    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_nodes_from(["徐州", "连云港", "淮北"], member=True)
    >>> G.add_edge("徐州", "连云港", key="徐连高铁", mode="HighSpeedRail")
    '徐连高铁'
    >>> G.add_edge("徐州", "淮北", key="徐淮高速", mode="Expressway")
    '徐淮高速'
    >>> cut_off(G, "徐州", modes="HighSpeedRail"), cut_off(G, "徐州")
    (['淮北'], [])
    """
    import networkx as nx

    hub = resolve_place(G, hub)
    H = _filtered(G, modes, statuses)
    reach = nx.node_connected_component(H, hub)
    return sorted(m for m in _members(G, members) if m not in reach and m != hub)


def bridges(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None) -> list:
    """Links whose loss between two places splits the network (graph bridges).

    Two places joined by several links are never a bridge: losing one leaves the other.

    Returns
    -------
    list of dict
        ``{"u", "v", "link", "label", "mode"}``, sorted.

    Examples
    --------
    Two triangles joined by one link: that link is the only bridge.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("宿迁", "淮安"), ("淮安", "徐州"),
    ...                    ("临沂", "日照"), ("日照", "连云港"), ("连云港", "临沂")])
    >>> G.add_edge("徐州", "连云港", key="徐连高铁", label="徐连高铁", mode="HighSpeedRail")
    '徐连高铁'
    >>> bridges(G)
    [{'u': '徐州', 'v': '连云港', 'link': '徐连高铁', 'label': '徐连高铁', 'mode': 'HighSpeedRail'}]
    """
    import networkx as nx

    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    out = []
    for u, v in nx.bridges(H):
        u, v = sorted((u, v), key=str)
        key, d = next(iter(H[u][v].items())) if H.is_multigraph() else (None, H[u][v])
        out.append({"u": u, "v": v, "link": key if key is not None else d.get("link"),
                    "label": d.get("label", key), "mode": d.get("mode")})
    return sorted(out, key=lambda b: (str(b["u"]), str(b["v"])))


def _outside_largest(pieces) -> list:
    """Places outside the one largest piece (all of them when several tie for largest)."""
    pieces = [list(c) for c in pieces]
    if not pieces:
        return []
    big = max(len(c) for c in pieces)
    main = [c for c in pieces if len(c) == big]
    keep = set(main[0]) if len(main) == 1 else set()
    return sorted((n for c in pieces for n in c if n not in keep), key=str)


def articulation_points(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None,
                        exact_limit: int = EXACT_LIMIT) -> list:
    """Places whose loss splits the network, with the places their loss would separate.

    Returns
    -------
    list of dict
        ``{"place", "separated"}``: ``separated`` lists the places that would fall outside
        the largest remaining part of the place's component (every remaining place when
        several parts tie for largest; None beyond ``exact_limit`` nodes, where this is
        not computed).

    Examples
    --------
    A chain 徐州 – 宿迁 – 淮安 – 盐城: losing 宿迁 cuts 徐州 off from the rest.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("宿迁", "淮安"), ("淮安", "盐城")])
    >>> articulation_points(G)
    [{'place': '宿迁', 'separated': ['徐州']}, {'place': '淮安', 'separated': ['盐城']}]
    """
    import networkx as nx

    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    S = simple_graph(H)
    out = []
    small = S.number_of_nodes() <= exact_limit
    for p in sorted(nx.articulation_points(S), key=str):
        separated = None
        if small:
            rest = S.subgraph(n for n in nx.node_connected_component(S, p) if n != p)
            separated = _outside_largest(nx.connected_components(rest))
        out.append({"place": p, "separated": separated})
    return out


def critical_links(G, *, modes: Modes = None, statuses: Optional[Iterable[str]] = None,
                   exact_limit: int = EXACT_LIMIT) -> list:
    """Whole links (every edge of a line at once) whose loss splits the network.

    A line serving A, B and C is three edges; losing the line loses all three. The
    critical links are the link nodes that are articulation points of the place–link
    incidence graph, found in linear time.

    Returns
    -------
    list of dict
        ``{"link", "label", "mode", "places", "separated"}`` (``separated`` as in
        :func:`articulation_points`).

    Examples
    --------
    A line serving 徐州, 宿迁 and 淮安, and two more closing rings: none is critical, until
    a spur reaches 盐城.

    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> for a, b in [("徐州", "宿迁"), ("徐州", "淮安"), ("宿迁", "淮安")]:
    ...     _ = G.add_edge(a, b, key="徐宿淮盐铁路", label="徐宿淮盐铁路", mode="HighSpeedRail")
    >>> _ = G.add_edge("徐州", "宿迁", key="徐宿高速", label="徐宿高速", mode="Expressway")
    >>> _ = G.add_edge("宿迁", "淮安", key="宿淮铁路", label="宿淮铁路", mode="Railway")
    >>> [c["label"] for c in critical_links(G)]
    []
    >>> _ = G.add_edge("淮安", "盐城", key="新长铁路", label="新长铁路", mode="Railway")
    >>> critical_links(G)
    [{'link': '新长铁路', 'label': '新长铁路', 'mode': 'Railway', 'places': ['淮安', '盐城'],
      'separated': ['盐城']}]
    """
    import networkx as nx

    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    incidence = nx.Graph()
    info: dict = {}
    for u, v, key, d in H.edges(keys=True, data=True):
        node = ("link", key)
        incidence.add_edge(("place", u), node)
        incidence.add_edge(("place", v), node)
        info.setdefault(key, d)
    out = []
    for kind, key in nx.articulation_points(incidence):
        if kind != "link":
            continue
        places = sorted((p for _k, p in incidence[("link", key)]), key=str)
        separated = None
        if H.number_of_nodes() <= exact_limit:
            comp = nx.node_connected_component(incidence, ("link", key))
            rest = incidence.subgraph(n for n in comp if n != ("link", key))
            separated = _outside_largest([p for k, p in c if k == "place"]
                                         for c in nx.connected_components(rest))
        d = info[key]
        out.append({"link": d.get("link", key), "label": d.get("label", key),
                    "mode": d.get("mode"), "places": places, "separated": separated})
    return sorted(out, key=lambda c: str(c["label"]))


def shortest_path(G, source: str, target: str, *, modes: Modes = None,
                  statuses: Optional[Iterable[str]] = None) -> Optional[dict]:
    """The fewest-links path between two places, with the links usable on each leg.

    Among paths with as few links, the shortest on the map (straight lines between place
    centres, when the nodes have ``lat`` and ``lon``) is chosen.

    Parameters
    ----------
    G : networkx.MultiGraph
    source, target : str
        Places, as accepted by :func:`resolve_place`.
    modes, statuses : optional
        See :func:`subnetwork`.

    Returns
    -------
    dict or None
        ``{"places", "hops", "legs"}`` where each leg is ``{"from", "to", "links",
        "modes"}`` (labels of every link joining that pair); None if no path exists.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edge("商丘", "徐州", key="郑徐高铁", label="郑徐高铁", mode="HighSpeedRail")
    '郑徐高铁'
    >>> G.add_edge("徐州", "连云港", key="徐连高铁", label="徐连高铁", mode="HighSpeedRail")
    '徐连高铁'
    >>> G.add_edge("商丘", "连云港", key="连霍高速", label="连霍高速", mode="Expressway")
    '连霍高速'
    >>> shortest_path(G, "商丘", "连云港")["hops"]
    1
    >>> p = shortest_path(G, "商丘", "连云港", modes="rail")
    >>> p["places"], [leg["links"] for leg in p["legs"]]
    (['商丘', '徐州', '连云港'], [['郑徐高铁'], ['徐连高铁']])
    """
    import networkx as nx

    from itertools import islice

    source, target = resolve_place(G, source), resolve_place(G, target)
    H = _filtered(G, modes, statuses)
    try:
        candidates = list(islice(nx.all_shortest_paths(H, source, target), _PATH_CANDIDATES))
    except nx.NetworkXNoPath:
        return None
    path = min(candidates, key=lambda p: (_map_length(H, p), [str(x) for x in p]))
    legs = []
    for a, b in zip(path, path[1:]):
        data = sorted(H[a][b].values(), key=lambda d: str(d.get("label")))
        legs.append({"from": a, "to": b,
                     "links": [d.get("label") for d in data],
                     "modes": sorted({d.get("mode") for d in data}, key=str)})
    return {"places": path, "hops": len(path) - 1, "legs": legs}


_PATH_CANDIDATES = 64


def _map_length(G, path) -> float:
    """Straight-line length of a path on the map (0 where coordinates are missing)."""
    total = 0.0
    for a, b in zip(path, path[1:]):
        pa, pb = G.nodes[a], G.nodes[b]
        if None not in (pa.get("lat"), pa.get("lon"), pb.get("lat"), pb.get("lon")):
            total += ((pa["lat"] - pb["lat"]) ** 2 + (pa["lon"] - pb["lon"]) ** 2) ** 0.5
    return total


def hops_from(G, hub: str, *, modes: Modes = None,
              statuses: Optional[Iterable[str]] = None) -> dict:
    """Fewest links from ``hub`` to every place it can reach.

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("宿迁", "淮安")])
    >>> hops_from(G, "徐州")
    {'徐州': 0, '宿迁': 1, '淮安': 2}
    """
    import networkx as nx

    hub = resolve_place(G, hub)
    H = _filtered(G, modes, statuses)
    return dict(nx.single_source_shortest_path_length(H, hub))


def communities(G, *, seed: int = 0, resolution: float = 1.0, modes: Modes = None,
                statuses: Optional[Iterable[str]] = None) -> list:
    """Louvain communities (networkx, fixed seed) of the collapsed network.

    Pairs joined by several links weigh more (``weight`` = number of links).

    Returns
    -------
    list of list
        Communities, largest first, each a sorted list of places.

    Examples
    --------
    Two triangles joined by a single link fall apart into two communities:

    >>> import networkx as nx
    >>> G = nx.MultiGraph([("徐州", "宿迁"), ("宿迁", "淮北"), ("淮北", "徐州"),
    ...                    ("临沂", "日照"), ("日照", "济宁"), ("济宁", "临沂"), ("徐州", "临沂")])
    >>> communities(G)
    [['临沂', '日照', '济宁'], ['宿迁', '徐州', '淮北']]
    """
    import networkx as nx

    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    S = simple_graph(H)
    if S.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(S, weight="weight", resolution=resolution,
                                             seed=seed)
    comms = [sorted(c, key=str) for c in found]
    return sorted(comms, key=lambda c: (-len(c), str(c[0])))


def province_matrix(G, *, modes: Modes = None,
                    statuses: Optional[Iterable[str]] = None) -> dict:
    """How many links join places of each pair of provinces.

    A link counts once for each pair of provinces it joins, and once on the diagonal of
    a province where it joins two of its places.

    Returns
    -------
    dict
        ``{"provinces": [codes], "labels": [names], "matrix": [[int]]}``, symmetric, rows
        and columns in the order of ``provinces`` (every province with a place in ``G``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_node("徐州", province="320000", province_label="江苏省")
    >>> G.add_node("连云港", province="320000", province_label="江苏省")
    >>> G.add_node("商丘", province="410000", province_label="河南省")
    >>> for a, b in [("徐州", "连云港"), ("徐州", "商丘"), ("连云港", "商丘")]:
    ...     _ = G.add_edge(a, b, key="连霍高速")
    >>> province_matrix(G)
    {'provinces': ['320000', '410000'], 'labels': ['江苏省', '河南省'], 'matrix': [[1, 1], [1, 0]]}
    """
    H = G if modes is None and statuses is None else subnetwork(G, modes=modes,
                                                                 statuses=statuses)
    provs: dict = {}
    for _n, d in G.nodes(data=True):
        if d.get("province"):
            provs.setdefault(d["province"], d.get("province_label") or d["province"])
    order = sorted(provs)
    index = {p: i for i, p in enumerate(order)}
    pairs: dict = {}
    for u, v, key in H.edges(keys=True):
        a, b = H.nodes[u].get("province"), H.nodes[v].get("province")
        if a in index and b in index:
            pairs.setdefault(tuple(sorted((a, b))), set()).add(key)
    matrix = [[0] * len(order) for _ in order]
    for (a, b), links in pairs.items():
        matrix[index[a]][index[b]] = matrix[index[b]][index[a]] = len(links)
    return {"provinces": order, "labels": [provs[p] for p in order], "matrix": matrix}


def industry_similarity(B, *, min_shared: int = 1) -> list:
    """Jaccard similarity of the industry sets of places (pairs sharing ``min_shared``).

    Parameters
    ----------
    B : networkx.Graph
        A place–industry bipartite graph (:func:`kg.analyze.industry_graph`).

    Returns
    -------
    list of dict
        ``{"u", "v", "jaccard", "shared"}`` (``shared``: labels of the shared industries),
        most similar first.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["徐州", "宿迁"], bipartite=0)
    >>> B.add_nodes_from(["工程机械", "白酒", "物流"], bipartite=1)
    >>> B.add_edges_from([("徐州", "工程机械"), ("徐州", "物流"), ("宿迁", "白酒"), ("宿迁", "物流")])
    >>> industry_similarity(B)
    [{'u': '宿迁', 'v': '徐州', 'jaccard': 0.3333333333333333, 'shared': ['物流']}]
    """
    import networkx as nx
    from itertools import combinations

    places = {n for n, d in B.nodes(data=True) if d.get("bipartite") == 0}
    pairs = set()
    for ind, d in B.nodes(data=True):
        if d.get("bipartite") == 1:
            pairs.update(combinations(sorted((p for p in B[ind] if p in places), key=str), 2))
    out = []
    for u, v, j in nx.jaccard_coefficient(B, sorted(pairs, key=str)):
        shared = set(B[u]) & set(B[v])
        if len(shared) >= min_shared:
            out.append({"u": u, "v": v, "jaccard": j,
                        "shared": sorted(str(B.nodes[i].get("label", i)) for i in shared)})
    return sorted(out, key=lambda r: (-r["jaccard"], -len(r["shared"]), str(r["u"]),
                                      str(r["v"])))
