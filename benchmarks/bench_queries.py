"""Named queries against raw pyoxigraph and rdflib, on the same 1M-quad data, same run.

    python benchmarks/bench_queries.py                  # ~1M quads (a few minutes)
    python benchmarks/bench_queries.py --triples 60000  # a quick look

For every named query in ``kg/queries`` (with parameters that fit the synthetic data of
``bench_store.py``), three times are taken, best of ``--repeat``:

- ``kg``: ``KnowledgeGraph.query_named(name, **params)``, everything a user pays for:
  reading the ``.rq`` file, resolving names such as 徐州 to IRIs, binding them with a
  ``VALUES`` block, running the query and turning the rows into dicts;
- ``raw``: the same final SPARQL text run by ``pyoxigraph.Store.query`` on a store holding
  the same quads, every solution read (``tuple(row)``);
- ``rdflib``: the same text on ``rdflib.Dataset`` (memory store), rows listed.

It prints ``kg/raw`` (target: at most 2.0) and ``rdflib/kg`` (target: at least 10), and
checks that the three give the same number of rows. rdflib runs in a child process: a query
still running after ``--limit`` seconds is stopped, and its ratio printed as a lower bound.
No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_store import make_dataset  # noqa: E402

# parameters that select something in the synthetic data (places of the zone, a document)
PARAMS = {
    "agreements-covering-city": {"city": "徐州"},
    "clusters": {},
    "cross-province-links": {"mode": "HighSpeedRail"},
    "document-facts": {"doc": "news/00001.txt"},
    "documents": {},
    "evidence": {"predicate": "connects", "object": "连云港"},
    "investment-by-industry": {},
    "links-between-provinces": {"a": "江苏", "b": "安徽"},
    "not-linked-by-hsr": {"hub": "徐州"},
    "openings-timeline": {"since": "2020"},
    "places-linked-to-city": {"city": "徐州"},
    "projects-in-city": {"city": "徐州"},
    "search": {"text": "高铁"},
    "shared-industries": {"a": "徐州", "b": "宿迁"},
}


class _Recorder:
    """The graph, noting the last query text it ran (the named query, parameters bound)."""

    def __init__(self, graph):
        self._graph = graph
        self.last = None

    def __getattr__(self, name):
        return getattr(self._graph, name)

    def results(self, sparql, params=None):
        self.last = sparql
        return self._graph.results(sparql, params)


def best(fn, repeat):
    times, value = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def _rdflib_child(path, texts, start, queue):
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    ds.parse(str(path), format="nquads")
    queue.put(("loaded",))
    for i in range(start, len(texts)):
        t0 = time.perf_counter()
        n = len(list(ds.query(texts[i])))
        queue.put((i, time.perf_counter() - t0, n))


def rdflib_times(path, texts, limit):
    """``(seconds, rows)`` per query on rdflib's memory store, run in a child process; a query
    still running after ``limit`` seconds is stopped and counted as ``limit`` (so its ratio
    is a lower bound), and the child starts again from the next query."""
    import multiprocessing as mp
    import queue as queues

    ctx = mp.get_context("fork")
    outcomes, start = [None] * len(texts), 0
    while start < len(texts):
        q = ctx.Queue()
        child = ctx.Process(target=_rdflib_child, args=(path, texts, start, q), daemon=True)
        child.start()
        q.get(timeout=3600)  # loading 1M quads takes rdflib a minute or two
        while start < len(texts):
            try:
                i, seconds, n = q.get(timeout=limit)
            except queues.Empty:
                outcomes[start] = (float(limit), None)
                child.kill()
                child.join()
                start += 1
                break
            outcomes[i] = (seconds, n)
            start = i + 1
        else:
            child.join()
    return outcomes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--limit", type=float, default=120.0,
                        help="stop an rdflib query after this many seconds (default 120)")
    args = parser.parse_args(argv)

    import pyoxigraph as ox

    from kg.graph import KnowledgeGraph, _prefixes
    from kg.query import list_queries, run_named

    path = HERE / "out" / ("bench-%d-%d.nq" % (args.triples, args.seed))
    if not path.exists():
        print("generating %s ..." % path.name)
        make_dataset(path, args.triples, args.seed)
    graph = KnowledgeGraph(base=False).load(path)
    raw = ox.Store()
    raw.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    prefixes = _prefixes()
    print("%s quads in both stores (%s)" % (format(len(raw), ","), path.name))
    names = [q.name for q in list_queries()]
    missing = sorted(set(names) - set(PARAMS))
    if missing:
        sys.exit("no benchmark parameters for: %s" % ", ".join(missing))

    rows = []
    for name in names:
        rec = _Recorder(graph)
        t_kg, mine = best(lambda: run_named(rec, name, PARAMS[name]).records(), args.repeat)
        text = rec.last
        t_raw, theirs = best(lambda: [tuple(r) for r in raw.query(
            text, use_default_graph_as_union=True, prefixes=prefixes)], args.repeat)
        rows.append([name, t_kg, t_raw, None, len(mine), len(theirs), None])
    del raw
    gc.collect()
    if not args.skip_rdflib:
        texts = []
        for row in rows:
            rec = _Recorder(graph)
            run_named(rec, row[0], PARAMS[row[0]])
            texts.append(rec.last)
        del graph
        gc.collect()
        for i, outcome in enumerate(rdflib_times(path, texts, args.limit)):
            rows[i][3], rows[i][6] = outcome

    print()
    print("%-26s %9s %9s %9s %8s %9s  %s" % ("named query", "kg", "raw ox", "rdflib",
                                            "kg/raw", "rdflib/kg", "rows"))
    for name, t_kg, t_raw, t_rd, n_kg, n_raw, n_rd in rows:
        stopped = t_rd is not None and n_rd is None
        same = n_kg == n_raw and (n_rd is None or n_rd == n_kg)
        print("%-26s %8.3fs %8.3fs %9s %7.2fx %9s  %d%s" % (
            name, t_kg, t_raw, ("%8.2fs" % t_rd if not stopped else ">%.0fs" % t_rd)
            if t_rd is not None else "-", t_kg / t_raw,
            ("%8.1fx" % (t_rd / t_kg) if not stopped else ">%.0fx" % (t_rd / t_kg))
            if t_rd is not None else "-", n_kg,
            "" if same else " (raw %d, rdflib %s: DIFFERENT)" % (n_raw, n_rd)))
    ratios = [r[1] / r[2] for r in rows]
    print()
    print("kg/raw pyoxigraph: median %.2fx, worst %.2fx (%s); target <= 2.0"
          % (statistics.median(ratios), max(ratios), rows[ratios.index(max(ratios))][0]))
    if not args.skip_rdflib:
        speed = [r[3] / r[1] for r in rows]
        print("rdflib/kg: median %.1fx, least %.1fx (%s); target >= 10"
              % (statistics.median(speed), min(speed), rows[speed.index(min(speed))][0]))


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    main()
