"""Page benchmarks: file size, time to write, and time to first draw in headless Chromium.

Pages measured:

1. the sample corpus (``kg build`` of ``data/corpus``; its ``graph.html``);
2. a synthetic graph of 5,000 nodes and 20,000 edges, geo and force layouts.

Time to first draw is read in the page: ``performance.now()`` at vis-network's first
``afterDrawing`` event, i.e. from navigation start, parsing of the inlined script and data
included. Chromium runs headless with software rendering, so a desktop browser is faster.

    python benchmarks/bench_view.py [--nodes 5000 --edges 20000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def synthetic_graph(n_nodes: int, n_edges: int, places: int = 400, seed: int = 7):
    """Places with coordinates and entities linked to them and to each other at random
    (a tenth of the nodes places, at most ``places``)."""
    places = max(1, min(places, n_nodes // 10))
    rnd = random.Random(seed)
    kinds = {"Project": "locatedIn", "Company": "locatedIn", "Organization": "cooperatesWith",
             "Industry": "hasIndustry", "Agreement": "appliesTo", "HighSpeedRail": "connects",
             "Expressway": "connects", "BusLine": "connects"}
    nodes = [{"id": "p%d" % i, "label": "地点%d" % i, "group": "City" if i < 40 else "County",
              "lat": 32.5 + rnd.random() * 3.5, "lon": 115 + rnd.random() * 4.5,
              "city": "p%d" % (i % 40)} for i in range(places)]
    for i in range(places, n_nodes):
        kind = rnd.choice(sorted(kinds))
        nodes.append({"id": "e%d" % i, "label": "实体%d号" % i, "group": kind,
                      "aliases": ["别名%d" % i], "docs": [i % 50]})
    edges, seen = [], set()
    while len(edges) < n_edges:
        a = rnd.randrange(places, n_nodes)
        b = rnd.randrange(places) if rnd.random() < 0.6 else rnd.randrange(places, n_nodes)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        rel = kinds[nodes[a]["group"]]
        edges.append({"from": nodes[a]["id"], "to": nodes[b]["id"], "rel": rel,
                      "type": nodes[a]["group"] if rel == "connects" else rel,
                      "evidence": [("第%d句：两地合作。" % len(edges), len(edges) % 50)]})
    docs = [{"source": "doc%02d.txt" % i, "title": "文档%d" % i} for i in range(50)]
    return nodes, edges, docs


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1600,1000",
                 "--user-data-dir=%s" % tempfile.mkdtemp(prefix="kg-bench-chromium-")):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def first_draw(driver, path: Path, runs: int) -> dict:
    """Median milliseconds from navigation to the first drawing (and to stabilisation)."""
    draws, stable = [], []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(path.resolve().as_uri())
        deadline = time.time() + 300
        while not driver.execute_script("return !!(window.kgPage && kgPage.firstDraw !== null"
                                        " && kgPage.stabilized !== null)"):
            if time.time() > deadline:
                raise TimeoutError("%s did not draw in 300 s" % path)
            time.sleep(0.02)
        d, s = driver.execute_script("return [kgPage.firstDraw, kgPage.stabilized]")
        draws.append(d)
        stable.append(max(d, s))
    return {"first_draw_ms": round(statistics.median(draws)),
            "stabilized_ms": round(statistics.median(stable))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-corpus", action="store_true", help="skip the sample corpus")
    args = parser.parse_args(argv)

    from kg.view import write_page

    out = Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    pages = []
    if not args.no_corpus:
        from kg.build import build

        started = time.perf_counter()
        report = build(None, out / "corpus")
        pages.append(("sample corpus (%d documents)" % report.documents,
                      out / "corpus" / "graph.html", time.perf_counter() - started, "build"))
    nodes, edges, docs = synthetic_graph(args.nodes, args.edges)
    for layout in ("geo", "force"):
        started = time.perf_counter()
        r = write_page(nodes, edges, out / ("synthetic_%s.html" % layout), docs=docs,
                       layout=layout)
        pages.append(("%d nodes / %d edges, %s" % (r.nodes, r.edges, layout), r.path,
                      time.perf_counter() - started, "write"))
    driver = browser()
    try:
        results = []
        for name, path, seconds, what in pages:
            row = {"page": name, "bytes": path.stat().st_size, what + "_s": round(seconds, 2)}
            row.update(first_draw(driver, path, args.runs))
            results.append(row)
            print(json.dumps(row, ensure_ascii=False))
    finally:
        driver.quit()
    return results


if __name__ == "__main__":
    main()
