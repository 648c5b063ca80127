"""``kg analyze``: every measure in one JSON-ready dict, then a report, figures, JSON and CSV.

:func:`analyze` computes (no files, no printing); :func:`write_report` writes
``report.md`` with its PNG figures, ``analysis.json`` and one CSV file per table, each
atomically. :func:`load_graph` opens the TriG file ``kg build`` wrote.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Optional, Union

from . import measures as M
from . import projections as P

__all__ = ["analyze", "write_report", "load_graph", "DEFAULT_HUB", "FIGURES"]

DEFAULT_HUB = "320300"
"""徐州 (Xuzhou), the zone's central city: the place cut-off and hop counts are measured from."""

FIGURES = ("centrality.png", "province_matrix.png", "network.png")
TOP = 15
_CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def load_graph(path: Union[str, Path] = "build/graph.trig"):
    """Open what ``kg build`` wrote: a graph file (TriG, or any RDF syntax by its suffix) or
    an on-disk store folder.

    Raises
    ------
    kg.errors.InputError
        When the file is missing or not RDF.
    """
    from ..errors import InputError
    from ..graph import KnowledgeGraph

    path = Path(path)
    if not path.exists():
        raise InputError("no graph at %s; run `kg build` first, or pass --graph PATH" % path)
    return KnowledgeGraph.open(path)


def _r(x: float) -> float:
    return round(float(x), 6)


def _label(G, n) -> str:
    return str(G.nodes[n].get("label", n)) if n in G else str(n)


def analyze(kg, *, hub: str = DEFAULT_HUB, seed: int = 0, fold_counties: bool = True,
            exact_limit: int = M.EXACT_LIMIT, k: int = M.SAMPLES) -> dict:
    """Project the graph and measure it: everything ``kg analyze`` reports, as plain data.

    Parameters
    ----------
    kg : KnowledgeGraph
    hub : str
        The place cut-offs and hops are measured from (default 徐州, 320300).
    seed : int
        Seed of the Louvain communities and of sampled estimates.
    fold_counties : bool
        Count county-level units as their city (default True).
    exact_limit, k : int
        Beyond ``exact_limit`` places, betweenness and closeness are estimated from ``k``
        sampled sources (see :func:`kg.analyze.measures.sampling`).

    Returns
    -------
    dict
        JSON-ready: ``settings``, ``summary``, ``places``, ``links``, ``centrality``,
        ``components``, ``cut_off``, ``hops``, ``paths``, ``bridges``,
        ``articulation_points``, ``critical_links``, ``communities``, ``province_matrix``,
        ``industry`` and ``cooperation``.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> result = analyze(KnowledgeGraph())       # the gazetteer's links only
    >>> result["centrality"]["all"][0]["label"]
    '徐州市'
    >>> [row["label"] for row in result["cut_off"]
    ...  if row["view"] == "HighSpeedRail" and row["statuses"] == "any"]
    ['淮北市', '宿州市']
    """
    import networkx as nx

    kg = P.QueryCache(kg)      # the three projections share their queries
    G = P.place_network(kg, fold_counties=fold_counties)
    hub = M.resolve_place(G, hub)
    n = G.number_of_nodes()
    ks = M.sampling(n, exact_limit=exact_limit, k=k)
    modes = M.modes_of(G)
    groups = [g for g, ms in M.MODE_GROUPS.items() if len(set(ms) & set(modes)) >= 2]
    views = ["all"] + modes + groups
    members = sorted(nd for nd, d in G.nodes(data=True) if d.get("member"))

    link_rows = _links(G)
    result: dict = {
        "settings": {
            "hub": hub, "hub_label": _label(G, hub), "seed": seed,
            "fold_counties": fold_counties, "topology": "all pairs",
            "distance": "hops (links taken); evidence weight is not a distance",
            "exact_limit": exact_limit, "samples": k,
            "betweenness": ("exact" if ks is None else
                            "estimated from k=%d sampled sources (seed %d)" % (ks, seed)),
            "closeness": ("exact (Wasserman-Faust)" if ks is None else
                          "estimated from k=%d pivots in each component of more than %d "
                          "places (seed %d)" % (ks, exact_limit, seed)),
        },
        "summary": {
            "places": n, "edges": G.number_of_edges(), "links": len(link_rows),
            "members": len(members), "views": views,
            "links_by_mode": {m: sum(1 for r in link_rows if r["mode"] == m) for m in modes},
            "links_by_status": _count(r["status"] or "unknown" for r in link_rows),
        },
        "places": [_place_row(G, nd) for nd in sorted(G, key=str)],
        "links": link_rows,
    }
    cent, comps, cut, hops = {}, {}, [], {}
    for view in views:
        H = G if view == "all" else M.subnetwork(G, modes=view)   # the places its links touch
        c = M.centrality(H, exact_limit=exact_limit, k=k, seed=seed)
        cent[view] = sorted(({"place": nd, "label": _label(G, nd),
                              "province": G.nodes[nd].get("province_label"),
                              "member": bool(G.nodes[nd].get("member")),
                              "neighbours": v["neighbours"], "links": v["links"],
                              "degree": _r(v["degree"]), "betweenness": _r(v["betweenness"]),
                              "closeness": _r(v["closeness"])} for nd, v in c.items()),
                            key=lambda r: (-r["betweenness"], -r["degree"], str(r["place"])))
        cs = M.components(H, keep_nodes=True)
        comps[view] = {"count": len(cs), "sizes": [len(c) for c in cs],
                       "components": cs}
        # the same as M.cut_off and M.hops_from, without copying G once more per question
        for statuses, name in ((None, "any"), (["Opened"], "Opened")):
            Hs = H if statuses is None else M.subnetwork(H, statuses=statuses)
            reach = nx.node_connected_component(Hs, hub) if hub in Hs else {hub}
            cut += [{"view": view, "statuses": name, "place": m, "label": _label(G, m)}
                    for m in members if m not in reach]
        hops[view] = dict(nx.single_source_shortest_path_length(H, hub)) if hub in H else {}
    result["centrality"] = cent
    result["components"] = comps
    result["cut_off"] = cut
    result["hops"] = [dict({"place": m, "label": _label(G, m)},
                           **{view: hops[view].get(m) for view in views})
                      for m in members if m != hub]
    paths = []
    for m in members:
        if m == hub:
            continue
        p = M.shortest_path(G, hub, m)
        paths.append({"target": m, "label": _label(G, m), "hops": p and p["hops"],
                      "places": p and p["places"],
                      "labels": p and [_label(G, x) for x in p["places"]],
                      "legs": p and p["legs"]})
    result["paths"] = paths
    result["bridges"] = [dict(b, u_label=_label(G, b["u"]), v_label=_label(G, b["v"]))
                         for b in M.bridges(G)]
    result["articulation_points"] = [
        dict(a, label=_label(G, a["place"]),
             separated_labels=None if a["separated"] is None
             else [_label(G, x) for x in a["separated"]])
        for a in M.articulation_points(G, exact_limit=exact_limit)]
    result["critical_links"] = [
        dict(c, place_labels=[_label(G, x) for x in c["places"]],
             separated_labels=None if c["separated"] is None
             else [_label(G, x) for x in c["separated"]])
        for c in M.critical_links(G, exact_limit=exact_limit)]
    result["communities"] = [
        {"community": i + 1, "size": len(c), "places": c, "labels": [_label(G, x) for x in c],
         "members": [x for x in c if G.nodes[x].get("member")]}
        for i, c in enumerate(M.communities(G, seed=seed))]
    result["province_matrix"] = M.province_matrix(G)
    result["industry"] = _industry(kg, fold_counties)
    result["cooperation"] = _cooperation(kg, fold_counties)
    return result


def _count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _place_row(G, n) -> dict:
    d = G.nodes[n]
    return {"place": n, "label": _label(G, n), "level": d.get("level"),
            "province": d.get("province"), "province_label": d.get("province_label"),
            "member": bool(d.get("member")), "lat": d.get("lat"), "lon": d.get("lon"),
            "degree": G.degree(n), "facilities": list(d.get("facilities", []))}


def _links(G) -> list:
    links: dict = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        row = links.setdefault(key, {
            "link": d.get("link", key), "label": d.get("label", key), "mode": d.get("mode"),
            "status": d.get("status"), "opened": d.get("opened"), "places": set(),
            "weight": 0, "documents": 0, "gazetteer": bool(d.get("gazetteer"))})
        row["places"].update((u, v))
        row["weight"] = max(row["weight"], d.get("weight", 0))
        row["documents"] = max(row["documents"], d.get("documents", 0))
    out = []
    for row in links.values():
        row["places"] = sorted(row["places"], key=str)
        row["place_labels"] = [_label(G, p) for p in row["places"]]
        out.append(row)
    return sorted(out, key=lambda r: (str(r["mode"]), str(r["label"])))


def _industry(kg, fold_counties) -> dict:
    B = P.industry_graph(kg, fold_counties=fold_counties)
    places = [nd for nd, d in B.nodes(data=True) if d.get("bipartite") == 0]
    edges = []
    for u, v, d in B.edges(data=True):
        place, ind = (u, v) if B.nodes[u].get("bipartite") == 0 else (v, u)
        edges.append({"place": place, "label": _label(B, place), "industry": ind,
                      "industry_label": _label(B, ind), "direct": d["direct"],
                      "via": d["via"], "weight": d["weight"]})
    edges.sort(key=lambda r: (r["label"], r["industry_label"]))
    sim = [dict(s, u_label=_label(B, s["u"]), v_label=_label(B, s["v"]),
                jaccard=_r(s["jaccard"])) for s in M.industry_similarity(B)]
    return {"places": len(places), "industries": B.number_of_nodes() - len(places),
            "edges": edges, "similarity": sim}


def _cooperation(kg, fold_counties) -> dict:
    C = P.cooperation_network(kg, fold_counties=fold_counties)
    statements = sorted(({"source": u, "source_label": _label(C, u), "relation": rel,
                          "target": v, "target_label": _label(C, v),
                          "weight": d.get("weight", 0)}
                         for u, v, rel, d in C.edges(keys=True, data=True)),
                        key=lambda r: (r["relation"], r["source_label"], r["target_label"]))
    bindings = []
    for x in sorted((nd for nd in C if C.nodes[nd].get("kind") not in ("place", "region")),
                    key=lambda nd: (C.nodes[nd].get("kind", ""), _label(C, nd))):
        roles = P.bound_places(C, x)
        bindings.append({"resource": x, "label": _label(C, x), "kind": C.nodes[x].get("kind"),
                         "places": sorted(roles, key=str),
                         "labels": [_label(C, p) for p in sorted(roles, key=str)],
                         "relations": sorted({r for rs in roles.values() for r in rs})})
    CP = P.city_cooperation(C)
    pairs: dict = {}
    for u, v, _key, d in CP.edges(keys=True, data=True):
        a, b = sorted((u, v), key=str)
        row = pairs.setdefault((a, b), {"u": a, "v": b, "u_label": _label(CP, a),
                                        "v_label": _label(CP, b), "bindings": 0, "via": []})
        row["bindings"] += 1
        row["via"].append(d["via_label"] or "cooperatesWith")
    pair_rows = sorted(pairs.values(), key=lambda r: (-r["bindings"], r["u_label"],
                                                       r["v_label"]))
    for row in pair_rows:
        row["via"].sort()
    return {
        "nodes_by_kind": _count(d.get("kind", "other") for _n, d in C.nodes(data=True)),
        "statements_by_relation": _count(r["relation"] for r in statements),
        "statements": statements,
        "bindings": bindings,
        "joint_parks": [b for b in bindings if b["kind"] == "park" and len(b["places"]) >= 2],
        "city_pairs": pair_rows,
    }


# -- writing -------------------------------------------------------------------------------

def _csv(rows: list, columns: list) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["; ".join(map(str, v)) if isinstance(v, list) else
                    ("" if v is None else v) for v in (r.get(c) for c in columns)])
    return buf.getvalue()


def _tables(result: dict) -> dict:
    """CSV files: name -> text. Every number of the JSON is in one of them."""
    views = result["summary"]["views"]
    t = {}
    t["places.csv"] = _csv(result["places"], ["place", "label", "level", "province",
                                              "province_label", "member", "lat", "lon",
                                              "degree", "facilities"])
    t["links.csv"] = _csv(result["links"], ["link", "label", "mode", "status", "opened",
                                            "places", "place_labels", "weight", "documents",
                                            "gazetteer"])
    t["centrality.csv"] = _csv([dict(r, view=v) for v in views for r in result["centrality"][v]],
                               ["view", "place", "label", "province", "member", "neighbours",
                                "links", "degree", "betweenness", "closeness"])
    t["components.csv"] = _csv([{"view": v, "component": i + 1, "size": len(c), "place": p}
                                for v in views
                                for i, c in enumerate(result["components"][v]["components"])
                                for p in c], ["view", "component", "size", "place"])
    t["cut_off.csv"] = _csv(result["cut_off"], ["view", "statuses", "place", "label"])
    t["hops.csv"] = _csv(result["hops"], ["place", "label"] + views)
    t["paths.csv"] = _csv([{"target": p["target"], "label": p["label"], "hops": p["hops"],
                            "leg": i + 1, "from": leg["from"], "to": leg["to"],
                            "links": leg["links"], "modes": leg["modes"]}
                           for p in result["paths"] for i, leg in enumerate(p["legs"] or [])],
                          ["target", "label", "hops", "leg", "from", "to", "links", "modes"])
    t["bridges.csv"] = _csv(result["bridges"], ["u", "u_label", "v", "v_label", "link", "label",
                                                "mode"])
    t["articulation_points.csv"] = _csv(result["articulation_points"],
                                        ["place", "label", "separated", "separated_labels"])
    t["critical_links.csv"] = _csv(result["critical_links"],
                                   ["link", "label", "mode", "places", "place_labels",
                                    "separated", "separated_labels"])
    t["communities.csv"] = _csv([{"community": c["community"], "size": c["size"], "place": p,
                                  "label": lab}
                                 for c in result["communities"]
                                 for p, lab in zip(c["places"], c["labels"])],
                                ["community", "size", "place", "label"])
    pm = result["province_matrix"]
    t["province_matrix.csv"] = _csv(
        [dict(zip(["province", "label"] + pm["provinces"], [p, lab] + row))
         for p, lab, row in zip(pm["provinces"], pm["labels"], pm["matrix"])],
        ["province", "label"] + pm["provinces"])
    ind = result["industry"]
    t["industries.csv"] = _csv(ind["edges"], ["place", "label", "industry", "industry_label",
                                              "direct", "via", "weight"])
    t["industry_similarity.csv"] = _csv(ind["similarity"], ["u", "u_label", "v", "v_label",
                                                            "jaccard", "shared"])
    co = result["cooperation"]
    t["cooperation.csv"] = _csv(co["statements"], ["source", "source_label", "relation",
                                                   "target", "target_label", "weight"])
    t["cooperation_bindings.csv"] = _csv(co["bindings"], ["resource", "label", "kind",
                                                          "relations", "places", "labels"])
    t["city_cooperation.csv"] = _csv(co["city_pairs"], ["u", "u_label", "v", "v_label",
                                                        "bindings", "via"])
    return t


def _md_table(rows: list, columns: list, headers: Optional[list] = None) -> list:
    def cell(v):
        if v is None:
            return "–"
        if isinstance(v, bool):
            return "yes" if v else ""
        if isinstance(v, float):
            return "%.3f" % v
        if isinstance(v, list):
            return "、".join(map(str, v)) if v else "–"
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(headers or columns) + " |",
             "|" + "|".join("---:" if rows and isinstance(rows[0].get(c), (int, float))
                            and not isinstance(rows[0].get(c), bool) else "---"
                            for c in columns) + "|"]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return lines + [""]


def _markdown(result: dict, figures: list) -> str:
    s, sm = result["settings"], result["summary"]
    views = sm["views"]
    hub = s["hub_label"]
    L = ["# What the graph tells a planner", "",
         "Huaihai KG analysis of the transport, industry and cooperation networks. "
         "Every number here is also in `analysis.json` and the CSV files beside this report.",
         "", "## The place network", "",
         "- %d places (the zone's %d member cities always included), %d links, %d place-to-place "
         "edges." % (sm["places"], sm["members"], sm["links"], sm["edges"]),
         "- Links by mode: %s." % (", ".join("%s %d" % kv for kv in sm["links_by_mode"].items())
                                   or "none"),
         "- Links by status: %s." % (", ".join("%s %d" % kv
                                               for kv in sm["links_by_status"].items())
                                     or "none"),
         "- A link joins **every pair** of the places it serves (`hh:connects` is a set: the "
         "order of stations is not in the graph), so an edge means \"one ride, no change\", and "
         "a place is central when different links meet there."
         + (" County-level units count as their city." if s["fold_counties"] else ""),
         "- Distances are hops (links taken); the evidence weight is not used as a distance.",
         "- Betweenness: %s; closeness: %s." % (s["betweenness"], s["closeness"]), ""]
    if "network.png" in figures:
        L += ["![The place network](network.png)", ""]
    L += ["## Centrality", "",
          "Top %d places by betweenness (share of shortest paths through the place), all modes:"
          % TOP, ""]
    L += _md_table(result["centrality"]["all"][:TOP],
                   ["label", "province", "member", "neighbours", "links", "degree",
                    "betweenness", "closeness"],
                   ["place", "province", "member", "neighbours", "links", "degree",
                    "betweenness", "closeness"])
    if "centrality.png" in figures:
        L += ["![Centrality](centrality.png)", ""]
    L += ["By mode (top 5 by betweenness; `centrality.csv` has every place):", ""]
    rows = []
    for v in views[1:]:
        top = result["centrality"][v][:5]
        rows.append({"view": v, "places": result["components"][v]["sizes"] and
                     sum(result["components"][v]["sizes"]),
                     "top": ["%s (%.3f)" % (r["label"], r["betweenness"]) for r in top]})
    L += _md_table(rows, ["view", "places", "top"], ["mode", "places", "most between"])
    L += ["## Who is cut off from %s" % hub, "",
          "Member cities with no path to %s using only the links of each mode (\"any status\" "
          "counts planned and unbuilt links; \"opened\" only those in service):" % hub, ""]
    rows = []
    for v in views:
        cut_any = [c["label"] for c in result["cut_off"]
                   if c["view"] == v and c["statuses"] == "any"]
        cut_open = [c["label"] for c in result["cut_off"]
                    if c["view"] == v and c["statuses"] == "Opened"]
        comp = result["components"][v]
        rows.append({"view": v, "components": comp["count"],
                     "largest": comp["sizes"][0] if comp["sizes"] else 0,
                     "any": cut_any, "opened": cut_open})
    L += _md_table(rows, ["view", "components", "largest", "any", "opened"],
                   ["mode", "components", "largest", "cut off (any status)",
                    "cut off (opened only)"])
    L += ["Fewest links from %s to each member city, by mode (– when unreachable):" % hub, ""]
    L += _md_table(result["hops"], ["label"] + views, ["city"] + views)
    L += ["Shortest routes from %s (all modes):" % hub, ""]
    L += _md_table([{"label": p["label"], "hops": p["hops"],
                     "route": " → ".join(p["labels"]) if p["labels"] else None,
                     "links": ["/".join(leg["links"]) for leg in p["legs"]] if p["legs"]
                     else None} for p in result["paths"]],
                   ["label", "hops", "route", "links"], ["to", "hops", "route", "links per leg"])
    L += ["## Weak points", "",
          "Critical links: a whole link (every edge of a line) whose loss splits the network.", ""]
    L += _md_table(result["critical_links"], ["label", "mode", "place_labels",
                                              "separated_labels"],
                   ["link", "mode", "serves", "would cut off"]) \
        if result["critical_links"] else ["None: no single link holds the network together.",
                                          ""]
    L += ["Articulation points: places whose loss splits the network.", ""]
    L += _md_table(result["articulation_points"], ["label", "separated_labels"],
                   ["place", "would cut off"]) if result["articulation_points"] else ["None.", ""]
    L += ["Bridges: place pairs joined by a single link that is the only way between them.", ""]
    L += _md_table(result["bridges"], ["u_label", "v_label", "label", "mode"],
                   ["place", "place", "link", "mode"]) if result["bridges"] else ["None.", ""]
    L += ["## Communities", "",
          "Louvain (networkx, seed %d; pairs joined by several links weigh more):" % s["seed"],
          ""]
    L += _md_table(result["communities"], ["community", "size", "labels"],
                   ["#", "places", "members"])
    pm = result["province_matrix"]
    L += ["## Links between provinces", "",
          "Number of links joining places of two provinces (diagonal: links within one).", ""]
    if pm["provinces"]:
        rows = [dict({"province": lab}, **{str(i): x for i, x in enumerate(row)})
                for lab, row in zip(pm["labels"], pm["matrix"])]
        L += _md_table(rows, ["province"] + [str(i) for i in range(len(pm["labels"]))],
                       ["province"] + pm["labels"])
    if "province_matrix.png" in figures:
        L += ["![Province by province](province_matrix.png)", ""]
    ind = result["industry"]
    L += ["## Industries", "",
          "%d places with %d industries (stated of the place, or of a project, park or company "
          "located in it)." % (ind["places"], ind["industries"]), ""]
    if ind["edges"]:
        L += _md_table(ind["edges"], ["label", "industry_label", "direct", "via", "weight"],
                       ["place", "industry", "direct", "via", "evidence"])
    L += ["Most similar places (Jaccard similarity of their industry sets):", ""]
    L += _md_table(ind["similarity"][:TOP], ["u_label", "v_label", "jaccard", "shared"],
                   ["place", "place", "jaccard", "shared industries"]) \
        if ind["similarity"] else ["No two places share an industry yet.", ""]
    co = result["cooperation"]
    L += ["## Cooperation", "",
          "Nodes by kind: %s. Statements by relation: %s." % (
              ", ".join("%s %d" % kv for kv in co["nodes_by_kind"].items()) or "none",
              ", ".join("%s %d" % kv for kv in co["statements_by_relation"].items()) or "none"),
          ""]
    if co["bindings"]:
        L += ["Agreements, organisations, parks and projects, and the places they bind:", ""]
        L += _md_table([b for b in co["bindings"] if b["places"]],
                       ["label", "kind", "relations", "labels"],
                       ["resource", "kind", "relations", "places"])
    L += ["Joint parks (parks tied to two or more places): %s." % (
        "、".join(b["label"] for b in co["joint_parks"]) or "none found"), ""]
    L += ["Places bound together most often:", ""]
    L += _md_table(co["city_pairs"][:TOP], ["u_label", "v_label", "bindings", "via"],
                   ["place", "place", "bindings", "through"]) \
        if co["city_pairs"] else ["No two places are bound yet.", ""]
    L += ["## Files", "", "`analysis.json` (everything), the CSV files (one per table), and "
          "the figures %s." % ", ".join("`%s`" % f for f in figures), ""]
    return "\n".join(L)


def _cjk_font() -> Optional[str]:
    """Register a CJK font with matplotlib if one is installed; its family name or None."""
    from matplotlib import font_manager

    for path in _CJK_FONTS:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def _figures(result: dict, out: Path) -> list:
    import matplotlib
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from ..io import atomic_path

    font = _cjk_font()

    def name(label, code):
        return label if font else str(code)   # codes when Chinese cannot be drawn

    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
          "axes.unicode_minus": False}
    written = []
    with matplotlib.rc_context(rc):
        # 1. centrality bar chart
        top = result["centrality"]["all"][:TOP][::-1]
        fig = Figure(figsize=(9, 0.35 * max(len(top), 4) + 1.5), layout="constrained")
        ax1, ax2 = fig.subplots(1, 2, sharey=True)
        labels = [name(r["label"], r["place"]) for r in top]
        colours = ["#d62728" if r["member"] else "#1f77b4" for r in top]
        ax1.barh(labels, [r["betweenness"] for r in top], color=colours)
        ax1.set_xlabel("betweenness centrality")
        ax2.barh(labels, [r["degree"] for r in top], color=colours)
        ax2.set_xlabel("degree centrality")
        fig.suptitle("Top places by betweenness (red: member of the zone)")
        written.append(_save(fig, out / "centrality.png", atomic_path))
        # 2. province x province heat map
        pm = result["province_matrix"]
        size = max(len(pm["provinces"]), 1)
        fig = Figure(figsize=(2 + 0.55 * size, 1.5 + 0.5 * size), layout="constrained")
        ax = fig.subplots()
        data = pm["matrix"] or [[0]]
        im = ax.imshow(data, cmap="YlOrRd")
        plabels = [name(lab, p) for lab, p in zip(pm["labels"], pm["provinces"])] or [""]
        ax.set_xticks(range(len(plabels)), plabels, rotation=60, ha="right")
        ax.set_yticks(range(len(plabels)), plabels)
        if size <= 40:
            vmax = max(max(row) for row in data) or 1
            for i, row in enumerate(data):
                for j, x in enumerate(row):
                    if x:
                        ax.text(j, i, str(x), ha="center", va="center", fontsize=7,
                                color="white" if x > vmax / 2 else "black")
        fig.colorbar(im, ax=ax, label="links")
        ax.set_title("Links between provinces")
        written.append(_save(fig, out / "province_matrix.png", atomic_path))
        # 3. the network on a map (longitude, latitude)
        places = {p["place"]: p for p in result["places"] if p["lat"] is not None}
        fig = Figure(figsize=(9, 7), layout="constrained")
        ax = fig.subplots()
        modes = result["summary"]["links_by_mode"]
        colour = {m: _PALETTE[i % len(_PALETTE)] for i, m in enumerate(modes)}
        many = len(result["links"]) > 2000
        segments: dict = {m: [] for m in modes}
        for link in result["links"]:
            ps = [places[p] for p in link["places"] if p in places]
            segments[link["mode"]] += [[(a["lon"], a["lat"]), (b["lon"], b["lat"])]
                                       for a, b in _geographic_tree(ps)]
        for m in modes:
            ax.add_collection(LineCollection(segments[m], colors=colour[m], label=m,
                                             linewidths=0.3 if many else 1.5,
                                             alpha=0.25 if many else 0.7))
        xs = [p["lon"] for p in places.values()]
        ys = [p["lat"] for p in places.values()]
        sizes = [8 + 4 * min(p["degree"], 40) if not many else 2 for p in places.values()]
        ax.scatter(xs, ys, s=sizes, c=["#d62728" if p["member"] else "#444444"
                                       for p in places.values()], zorder=3)
        if not many:
            for p in places.values():
                ax.annotate(name(p["label"], p["place"]), (p["lon"], p["lat"]), fontsize=7,
                            xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_aspect("equal", adjustable="datalim")
        if modes:
            legend = ax.legend(loc="best", fontsize=7)
            for handle in legend.legend_handles:
                handle.set_alpha(1)
                handle.set_linewidth(2)
        ax.set_title("Transport links (each drawn as the shortest tree through its places; "
                     "red: member cities)", fontsize=10)
        written.append(_save(fig, out / "network.png", atomic_path))
    return written


_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f", "#aec7e8")


def _geographic_tree(places: list) -> list:
    """Pairs of a minimum spanning tree by straight-line distance (Prim): how a link is drawn.

    The analysis joins every pair; a drawing of every pair is unreadable, and the shortest
    tree through the places is close to the route a line takes on the ground.
    """
    if len(places) < 2:
        return []
    inside, pairs = [places[0]], []
    rest = list(places[1:])
    while rest:
        a, b = min(((a, b) for a in inside for b in rest),
                   key=lambda ab: (ab[0]["lon"] - ab[1]["lon"]) ** 2
                   + (ab[0]["lat"] - ab[1]["lat"]) ** 2)
        pairs.append((a, b))
        inside.append(b)
        rest.remove(b)
    return pairs


def _save(fig, path: Path, atomic_path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    return path


def write_report(result: dict, out: Union[str, Path], *, figures: bool = True) -> list:
    """Write ``report.md``, its figures, ``analysis.json`` and the CSV files into ``out``.

    Every file is written atomically. Returns the paths written.
    """
    from ..io import write_text_atomic, writing

    out = Path(out)
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
    written = _figures(result, out) if figures else []
    written.append(write_text_atomic(out / "analysis.json", to_json(result)))
    for name, text in _tables(result).items():
        written.append(write_text_atomic(out / name, text))
    written.insert(0, write_text_atomic(out / "report.md",
                                        _markdown(result, [p.name for p in written
                                                           if p.suffix == ".png"])))
    return written


def to_json(result: dict) -> str:
    """The analysis as JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(result, ensure_ascii=False, indent=1) + "\n"
