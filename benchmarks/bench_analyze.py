"""Benchmark of ``kg analyze`` on a synthetic graph: 10,000 places and 50,000 links by default.

The graph is generated as RDF in the project's own model (places with codes, provinces,
coordinates and zone membership; links typed by mode with status, opening date and
``hh:connects``; evidence nodes in document graphs; projects with industries; agreements),
written as TriG, and then put through exactly what ``kg analyze`` does: load the file,
project, measure, and write the report, figures, JSON and CSV. Times are printed per stage.

Beyond ``EXACT_LIMIT`` (1,000) places, betweenness and closeness are estimated from
``k`` sampled sources (default 128), as the report says in its method line.

Usage::

    python benchmarks/bench_analyze.py                      # 10,000 places, 50,000 links
    python benchmarks/bench_analyze.py --places 2000 --links 10000 -o /tmp/bench
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HH = "https://huaihai-kg.org/ontology#"
HHR = "https://huaihai-kg.org/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ZONE_MEMBERS = ["320300", "320700", "321300", "341300", "340600", "411400", "370400",
                "370800", "371300", "371700"]
MODES = [("HighSpeedRail", 10), ("Railway", 15), ("Expressway", 25), ("Road", 30),
         ("BusLine", 15), ("Canal", 5)]
STATUSES = [("Opened", 80), ("UnderConstruction", 10), ("Planned", 10)]


def synthetic_quads(places: int = 10_000, links: int = 50_000, *, seed: int = 0,
                    projects: int = 2_000, agreements: int = 300) -> list:
    """Quads of a synthetic graph: ``places`` places, ``links`` links, and some extras."""
    import pyoxigraph as ox
    from scipy.spatial import cKDTree

    rng = random.Random(seed)
    N, L = ox.NamedNode, ox.Literal
    gaz, quads = N(HHR + "graph/gazetteer"), []
    add = quads.append
    a, label = N(RDF + "type"), N(RDFS + "label")
    zone = N(HHR + "region/淮海经济区")
    add(ox.Quad(zone, a, N(HH + "Region"), gaz))
    add(ox.Quad(zone, label, L("淮海经济区", language="zh"), gaz))
    provinces = ["%d0000" % (11 + i) for i in range(31)]
    centre = {p: (rng.uniform(24, 44), rng.uniform(100, 122)) for p in provinces}
    for p in provinces:
        s = N(HHR + "place/" + p)
        add(ox.Quad(s, a, N(HH + "Province"), gaz))
        add(ox.Quad(s, N(HH + "adminCode"), L(p), gaz))
        add(ox.Quad(s, N(HH + "adminLevel"), L("province"), gaz))
        add(ox.Quad(s, label, L("省" + p, language="zh"), gaz))
    codes = list(ZONE_MEMBERS)
    taken = set(codes)
    while len(codes) < places:
        p = rng.choice(provinces)
        c = p[:2] + "%04d" % rng.randrange(101, 9999)
        if c not in taken:
            taken.add(c)
            codes.append(c)
    coords = []
    for c in codes:
        p = c[:2] + "0000"
        lat, lon = centre[p]
        lat, lon = lat + rng.gauss(0, 1.2), lon + rng.gauss(0, 1.2)
        coords.append((lat, lon))
        s = N(HHR + "place/" + c)
        add(ox.Quad(s, a, N(HH + "City"), gaz))
        add(ox.Quad(s, N(HH + "adminCode"), L(c), gaz))
        add(ox.Quad(s, N(HH + "adminLevel"), L("prefecture"), gaz))
        add(ox.Quad(s, label, L("地" + c, language="zh"), gaz))
        add(ox.Quad(s, N(HH + "inProvince"), N(HHR + "place/" + p), gaz))
        add(ox.Quad(s, N(HH + "parentUnit"), N(HHR + "place/" + p), gaz))
        add(ox.Quad(s, N(WGS + "lat"), L("%.4f" % lat, datatype=N(XSD + "decimal")), gaz))
        add(ox.Quad(s, N(WGS + "long"), L("%.4f" % lon, datatype=N(XSD + "decimal")), gaz))
        if c in ZONE_MEMBERS:
            add(ox.Quad(s, N(HH + "memberOf"), zone, gaz))
    tree = cKDTree(coords)
    _d, near = tree.query(coords, k=min(12, len(codes)))
    docs = [N(HHR + "doc/%016x" % i) for i in range(500)]
    for d in docs:
        add(ox.Quad(d, a, N(HH + "Document"), d))
    modes = [m for m, w in MODES for _ in range(w)]
    statuses = [s for s, w in STATUSES for _ in range(w)]
    connects = N(HH + "connects")
    for i in range(links):
        s = N(HHR + "infrastructure/synthetic-%d" % i)
        add(ox.Quad(s, a, N(HH + rng.choice(modes)), gaz))
        add(ox.Quad(s, label, L("线路%d" % i, language="zh"), gaz))
        status = rng.choice(statuses)
        add(ox.Quad(s, N(HH + "status"), N(HH + status), gaz))
        if status == "Opened" and rng.random() < 0.5:
            add(ox.Quad(s, N(HH + "opened"), L("%d" % rng.randrange(1990, 2025),
                                               datatype=N(XSD + "gYear")), gaz))
        first = rng.randrange(len(codes))
        size = 2 if rng.random() < 0.75 else rng.randrange(3, 6)
        if rng.random() < 0.1:                        # a long-distance link
            served = {first} | {rng.randrange(len(codes)) for _ in range(size - 1)}
        else:
            served = {first} | {int(rng.choice(near[first][1:])) for _ in range(size - 1)}
        doc = rng.choice(docs) if rng.random() < 0.3 else None
        for j in served:
            place = N(HHR + "place/" + codes[j])
            add(ox.Quad(s, connects, place, gaz))
            if doc is not None:
                ev = N(HHR + "evidence/synthetic-%d-%d" % (i, j))
                add(ox.Quad(s, connects, place, doc))
                add(ox.Quad(ev, a, N(HH + "Evidence"), doc))
                add(ox.Quad(ev, N(RDF + "subject"), s, doc))
                add(ox.Quad(ev, N(RDF + "predicate"), connects, doc))
                add(ox.Quad(ev, N(RDF + "object"), place, doc))
                add(ox.Quad(ev, N(PROV + "wasDerivedFrom"), doc, doc))
                add(ox.Quad(ev, N(HH + "sentence"), L("线路%d连接%s。" % (i, codes[j])), doc))
    industries = [N(HHR + "industry/synthetic-%d" % i) for i in range(40)]
    for i, ind in enumerate(industries):
        add(ox.Quad(ind, a, N(HH + "Industry"), gaz))
        add(ox.Quad(ind, label, L("产业%d" % i, language="zh"), gaz))
    for i in range(projects):
        s, d = N(HHR + "project/synthetic-%d" % i), rng.choice(docs)
        add(ox.Quad(s, a, N(HH + "Project"), d))
        add(ox.Quad(s, label, L("项目%d" % i, language="zh"), d))
        add(ox.Quad(s, N(HH + "locatedIn"), N(HHR + "place/" + rng.choice(codes)), d))
        add(ox.Quad(s, N(HH + "hasIndustry"), rng.choice(industries), d))
    for i in range(agreements):
        s, d = N(HHR + "agreement/synthetic-%d" % i), rng.choice(docs)
        add(ox.Quad(s, a, N(HH + "Agreement"), d))
        add(ox.Quad(s, label, L("协议%d" % i, language="zh"), d))
        first = rng.randrange(len(codes))
        for j in {first} | {int(rng.choice(near[first][1:])) for _ in range(rng.randrange(1, 6))}:
            add(ox.Quad(s, N(HH + "appliesTo"), N(HHR + "place/" + codes[j]), d))
    return quads


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--out", help="Folder for the graph and the report "
                        "(default: a temporary folder).")
    args = parser.parse_args(argv)

    import pyoxigraph as ox

    from kg.analyze import analyze, load_graph, write_report
    from kg.analyze.measures import EXACT_LIMIT, SAMPLES

    out = Path(args.out or tempfile.mkdtemp(prefix="bench_analyze_"))
    out.mkdir(parents=True, exist_ok=True)
    times = {}

    t = time.perf_counter()
    quads = synthetic_quads(args.places, args.links, seed=args.seed)
    store = ox.Store()
    store.bulk_extend(quads)
    trig = out / "graph.trig"
    store.dump(str(trig), format=ox.RdfFormat.TRIG)
    times["generate (not part of kg analyze)"] = (time.perf_counter() - t, None)
    print("synthetic graph: %d places, %d links, %d quads, %.0f MB of TriG"
          % (args.places, args.links, len(quads), trig.stat().st_size / 1e6))
    del store, quads

    started, cpu_started = time.perf_counter(), time.process_time()
    t, c = time.perf_counter(), time.process_time()
    kg = load_graph(trig)
    times["load TriG"] = (time.perf_counter() - t, time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    result = analyze(kg, seed=args.seed)
    times["project + measure"] = (time.perf_counter() - t, time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    files = write_report(result, out / "analysis")
    times["write report, figures, JSON, CSV"] = (time.perf_counter() - t,
                                                 time.process_time() - c)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    s = result["summary"]
    print("place network: %d places, %d edges, %d links; views: %s"
          % (s["places"], s["edges"], s["links"], ", ".join(s["views"])))
    print("betweenness: %s" % result["settings"]["betweenness"])
    print("closeness: %s" % result["settings"]["closeness"])
    print("(exact up to %d places; k=%d beyond)" % (EXACT_LIMIT, SAMPLES))
    print("  %-36s %9s %9s" % ("stage", "wall", "CPU"))
    for stage, (wall, cpu_s) in times.items():
        print("  %-36s %7.1f s %s" % (stage, wall, "" if cpu_s is None else "%7.1f s" % cpu_s))
    print("kg analyze equivalent, total: %.1f s wall, %.1f s CPU (%d files in %s)"
          % (total, cpu, len(files), out / "analysis"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
