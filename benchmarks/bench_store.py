"""Store benchmark: Oxigraph (our KnowledgeGraph) against rdflib's memory store, same run.

    python benchmarks/bench_store.py                 # ~1M triples (a few minutes)
    python benchmarks/bench_store.py --triples 50000 # a quick look

It makes a synthetic dataset shaped like ours: the real ontology and gazetteer graphs,
plus generated documents turned into RDF by the project's own ``kg.rdf`` (one named graph
per document, a fact and an ``hh:Evidence`` node per relation, entities typed and labelled
in each document that mentions them). The N-Quads file is cached in ``benchmarks/out/``.

Then it loads the same file into both stores and runs three representative queries with
the same SPARQL text, checks that both stores give the same answers, and prints the times
and the ratios (rdflib time / Oxigraph time):

- join: the evidence sentences and document dates of lines connecting places of a province;
- group-by: the named query ``investment-by-industry`` (a sub-select, SUM and COUNT);
- path+filter: facts about places under Xuzhou (``hh:parentUnit*``) whose sentence
  mentions 高铁, the path first, anchored at Xuzhou, as the named queries are written
  (written after the evidence patterns, the same path costs Oxigraph tens of seconds at
  1M triples: it is then walked once per evidence row).

No timing is asserted anywhere; this prints numbers for people to read.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PREFIXES = """PREFIX hh: <https://huaihai-kg.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
JOIN = PREFIXES + """
SELECT ?line ?place ?sentence ?date WHERE {
  ?ev a hh:Evidence ; rdf:predicate hh:connects ; rdf:subject ?line ; rdf:object ?place ;
      hh:sentence ?sentence ; prov:wasDerivedFrom ?doc .
  ?doc dcterms:date ?date .
  ?place hh:inProvince <https://huaihai-kg.org/id/place/320000> .
}"""
# The path comes first: Oxigraph joins patterns in the order written, and starting from the
# bound end of the path (the hub) is ~300x faster than testing it for every evidence row.
PATH_FILTER = PREFIXES + """
SELECT ?s ?p ?o ?sentence WHERE {
  ?o hh:parentUnit* <https://huaihai-kg.org/id/place/320300> .
  ?ev rdf:object ?o ; rdf:subject ?s ; rdf:predicate ?p ; hh:sentence ?sentence .
  FILTER(CONTAINS(?sentence, "高铁"))
}"""

KINDS = [("HighSpeedRail", "高铁"), ("Railway", "铁路"), ("Expressway", "高速"),
         ("BusLine", "公交")]
PUBLISHERS = ["徐州日报", "连云港发布", "宿迁日报", "淮北日报", "商丘日报", "济宁新闻",
              "枣庄日报", "临沂日报", "菏泽日报", "宿州新闻"]
ZONE_PROVINCES = ("320000", "340000", "370000", "410000")


def synthetic_extractions(n_docs: int, seed: int = 7):
    """Documents' extractions shaped like the extractor's, drawn from shared pools."""
    from kg.gazetteer import load_gazetteer
    from kg.model import Document, Entity, Extraction, Relation

    rng = random.Random(seed)
    gaz = load_gazetteer()
    places = [p for p in gaz.places.values()
              if p.level != "province" and p.province in ZONE_PROVINCES]
    members = [p for p in gaz.places.values() if p.zone == "member"]
    industries = [t.label_zh for t in gaz.industries]
    lines = []
    for i in range(600):
        kind, word = rng.choice(KINDS)
        ends = [rng.choice(members)] + rng.sample(places, rng.randint(1, 3))
        lines.append(("%s%s%s%d号线" % (ends[0].short, ends[-1].short, word, i), kind, word, ends))
    projects = [("淮海%s项目%d" % (rng.choice(industries), i), rng.choice(places),
                 rng.sample(industries, rng.randint(1, 2)), rng.randint(1, 2000) * 10**7)
                for i in range(8000)]
    stated = set()

    for d in range(n_docs):
        entities, relations, parts, seen = [], [], [], set()
        pos = 0

        def ent(type_, name, **kw):
            if (type_, name) not in seen:
                seen.add((type_, name))
                entities.append(Entity(type_, name, name, **kw))
            return name

        def place(p):
            return ent("City", p.name, code=p.code)

        def fact(head, rel, tail, sentence):
            nonlocal pos
            parts.append(sentence)
            relations.append(Relation(head, rel, tail, evidence=sentence, start=pos,
                                      end=pos + len(sentence), rule="synthetic"))
            pos += len(sentence)

        for _ in range(rng.randint(20, 40)):
            roll = rng.random()
            if roll < 0.4:
                name, kind, word, ends = rng.choice(lines)
                ent("Infrastructure", name, kind=kind)
                for p in ends:
                    fact(name, "connects", place(p), "%s%s建成后连接%s，沿线群众出行更便捷。"
                         % (name, word, p.name))
                if rng.random() < 0.3:
                    fact(name, "opened", "%d-%02d-%02d" % (rng.randint(2010, 2024),
                                                           rng.randint(1, 12), rng.randint(1, 28)),
                         "%s于今日正式开通运营。" % name)
            elif roll < 0.8:
                name, p, inds, money = rng.choice(projects)
                ent("Project", name)
                fact(name, "locatedIn", place(p), "%s落户%s，签约仪式在当地举行。" % (name, p.name))
                for ind in inds:
                    fact(name, "hasIndustry", ent("Industry", ind), "%s主攻%s产业。" % (name, ind))
                if name not in stated:
                    stated.add(name)
                    fact(name, "investment", {"value": money, "unit": "CNY"},
                         "%s总投资%d亿元。" % (name, money // 10**8))
            else:
                a, b = rng.sample(members, 2)
                fact(place(a), "cooperatesWith", place(b),
                     "%s与%s签署合作协议，推动区域协同发展。" % (a.name, b.name))
        text = "".join(parts)
        yield Extraction(Document(id="news/%05d.txt" % d, text=text, title="新闻%05d" % d,
                                  date="%d-%02d-%02d" % (rng.randint(2015, 2024),
                                                         rng.randint(1, 12), rng.randint(1, 28)),
                                  publisher=rng.choice(PUBLISHERS)),
                         entities=entities, relations=relations)


def make_dataset(path: Path, triples: int, seed: int) -> int:
    """Write base + synthetic documents as N-Quads until about ``triples`` quads."""
    import pyoxigraph as ox

    from kg.gazetteer import load_gazetteer
    from kg.graph import KnowledgeGraph
    from kg.rdf import extraction_quads

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    graph = KnowledgeGraph()
    gaz = load_gazetteer()
    count = len(graph.store)
    for n, ext in enumerate(synthetic_extractions(10**7, seed)):
        # (two documents at least, whatever the size: the queries name news/00001.txt, and a
        # --triples below the ontology and gazetteer's 50,000 quads would leave none)
        if count >= triples and n >= 2:
            break
        quads = extraction_quads(ext, gaz)
        graph.store.bulk_extend(quads)
        count += len(quads)  # len(store) counts every time: too slow to ask per document
    path.parent.mkdir(parents=True, exist_ok=True)
    graph.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return len(graph.store)


def timed(fn, repeat: int):
    best, value = None, None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, value


def _canon(value) -> str:
    """A term's value, numbers normalised, so both stores' answers compare."""
    text = str(value)
    try:
        number = float(text)
        return repr(round(number, 6))
    except ValueError:
        return text


def run(triples: int, seed: int, repeat: int, skip_rdflib: bool, fresh: bool, out=print,
        folder: Path = HERE / "out"):
    import pyoxigraph
    import rdflib

    from kg.graph import KnowledgeGraph
    from kg.query import bind_values, load_query

    path = Path(folder) / ("bench-%d-%d.nq" % (triples, seed))
    if fresh or not path.exists():
        out("generating %s ..." % path.name)
        start = time.perf_counter()
        make_dataset(path, triples, seed)
        out("  generated in %.1fs" % (time.perf_counter() - start))
    # the text `kg query investment-by-industry` runs (no city: its "# if city" lines go)
    group_by = bind_values(load_query("investment-by-industry").text, {})
    queries = [("join", JOIN), ("group-by", group_by), ("path+filter", PATH_FILTER)]

    load_ox, graph = timed(lambda: KnowledgeGraph(base=False).load(path), 1)
    n = len(graph)
    results = {"load": [load_ox, None]}
    answers = {}
    for name, text in queries:
        t, res = timed(lambda: graph.results(text), repeat)
        results[name] = [t, None]
        answers[name] = sorted(tuple(_canon(x.value) if x is not None else "" for x in row)
                               for row in res.rows)
    del graph
    gc.collect()
    same = {}
    if not skip_rdflib:
        def load_rdflib():
            ds = rdflib.Dataset(default_union=True)
            ds.parse(str(path), format="nquads")
            return ds

        load_rd, ds = timed(load_rdflib, 1)
        results["load"][1] = load_rd
        for name, text in queries:
            t, res = timed(lambda: list(ds.query(text)), repeat)
            results[name][1] = t
            mine = sorted(tuple(_canon(x) if x is not None else "" for x in row) for row in res)
            same[name] = (mine == answers[name], len(mine), len(answers[name]))
    out("")
    out("Huaihai KG store benchmark: %s quads (%s), Python %s, pyoxigraph %s, rdflib %s, "
        "%d cores" % (format(n, ","), path.name, platform.python_version(),
                      pyoxigraph.__version__, rdflib.__version__, os.cpu_count() or 0))
    out("")
    out("%-12s %12s %12s %10s  %s" % ("step", "oxigraph", "rdflib", "ratio", "rows (same answers)"))
    for name, (t_ox, t_rd) in results.items():
        ratio = "%9.1fx" % (t_rd / t_ox) if t_rd else "%10s" % "-"
        rows = ""
        if name in same:
            ok, n_rd, n_ox = same[name]
            rows = "%d %s" % (n_ox, "yes" if ok else "NO (rdflib %d)" % n_rd)
        elif name in answers:
            rows = "%d" % len(answers[name])
        out("%-12s %11.3fs %12s %10s  %s" % (name, t_ox, "%11.3fs" % t_rd if t_rd else "-",
                                             ratio, rows))
    return results, same


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000,
                        help="size of the dataset in quads (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query; the best "
                        "time counts (default 1)")
    parser.add_argument("--skip-rdflib", action="store_true", help="time Oxigraph only")
    parser.add_argument("--fresh", action="store_true", help="generate the data again")
    args = parser.parse_args(argv)
    _, same = run(args.triples, args.seed, args.repeat, args.skip_rdflib, args.fresh)
    if same and not all(ok for ok, _, _ in same.values()):
        sys.exit("the two stores disagree on some answers")


if __name__ == "__main__":
    main()
