"""kg.graph: the KnowledgeGraph facade, its named graphs, provenance, files and views."""
from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg import iri
from kg.errors import InputError, QueryError, StoreError
from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Extraction, Relation

HH = "https://huaihai-kg.org/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XUZHOU = iri.place("320300")


def doc_quads(graph, ref):
    g = ox.NamedNode(graph._document_iris(ref)[0])
    return set(graph.store.quads_for_pattern(None, None, None, g))


def test_import_kg_reaches_its_modules_and_the_extractor():
    """After a plain ``import kg`` (a fresh process: nothing else imported), the names the
    README uses work: kg.extract(...) and kg.extract.Extractor, kg.analyze."""
    import subprocess
    import sys

    code = ("import kg\n"
            "print(kg.extract.Extractor.__name__, kg.analyze.place_network.__name__)\n"
            "print('徐连高铁' in [e.canonical for e in kg.extract('徐连高铁开通。').entities])\n"
            "try:\n    kg.nosuch\nexcept AttributeError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["Extractor place_network", "True",
                   "module 'kg' has no attribute 'nosuch'"]


def test_in_memory_graph_has_ontology_and_gazetteer_graphs():
    g = KnowledgeGraph()
    assert g.graphs() == [iri.graph("gazetteer"), iri.graph("ontology")]
    assert len(g) > 40000
    assert g.documents() == []
    assert len(KnowledgeGraph(base=False)) == 0


def test_constructor_is_keyword_only():
    with pytest.raises(TypeError):
        KnowledgeGraph("build/store")


def test_each_document_is_a_named_graph(hand_graph, hand_extractions):
    docs = hand_graph.documents()
    assert [d["source"] for d in docs] == ["suqian.txt", "xuzhou.txt"]
    for extraction in hand_extractions:
        sha = extraction.document.sha256
        assert iri.document(sha) in hand_graph.graphs()
        assert hand_graph.has_document(sha)
    xuzhou = next(d for d in docs if d["source"] == "xuzhou.txt")
    assert xuzhou["title"] == "徐州要闻" and xuzhou["date"] == "2021-02-08"


def test_adding_the_same_content_again_changes_nothing(hand_graph, hand_extractions):
    before = set(hand_graph.store)
    assert hand_graph.add_extraction(hand_extractions[0]) is False
    assert set(hand_graph.store) == before


def test_remove_document_is_exact(hand_extractions):
    g = KnowledgeGraph()
    g.add_extraction(hand_extractions[0])
    snapshot = set(g.store)
    g.add_extraction(hand_extractions[1])
    assert len(g) > len(snapshot)
    # a longer path ending in its source is another document: removing or replacing one
    # never takes a document of another source (a query parameter may find it by its path)
    assert g.remove_document("archive/suqian.txt") == 0
    assert g.remove_document("suqian.txt") == 1
    assert set(g.store) == snapshot
    assert g.remove_document("suqian.txt") == 0


@pytest.mark.parametrize("how", ["sha256", "prefix", "iri", "source", "extraction"])
def test_remove_document_by_any_reference(hand_graph, hand_extractions, how):
    ext = hand_extractions[1]
    sha = ext.document.sha256
    ref = {"sha256": sha, "prefix": sha[:10], "iri": iri.document(sha),
           "source": "suqian.txt", "extraction": ext}[how]
    assert hand_graph.remove_document(ref) == 1
    assert [d["source"] for d in hand_graph.documents()] == ["xuzhou.txt"]


def test_replace_a_new_version_of_a_document(hand_graph, hand_extractions):
    old = hand_extractions[1]
    text = "宿徐城际公交于2023年6月开通。"
    new = Extraction(Document(id="suqian.txt", text=text, date="2023-06-01"),
                     entities=[Entity("Infrastructure", "宿徐城际公交", kind="BusLine")],
                     relations=[Relation("宿徐城际公交", "opened", "2023-06", evidence=text,
                                         start=0, end=len(text), rule="hand")])
    assert hand_graph.add_extraction(new, replace=True) is True
    sources = [d["source"] for d in hand_graph.documents()]
    assert sources.count("suqian.txt") == 1
    assert not hand_graph.has_document(old.document.sha256)
    assert hand_graph.query("ASK { ?p hh:locatedIn ?q ; rdfs:label '宿迁光伏组件项目'@zh }") is False
    assert hand_graph.replace_document("suqian.txt", old) is True
    assert hand_graph.has_document(old.document.sha256)
    assert not hand_graph.has_document(new.document.sha256)


def test_iris_are_deterministic(hand_extractions, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one, two = KnowledgeGraph(), KnowledgeGraph()
    for ext in hand_extractions:
        one.add_extraction(ext)
    for ext in reversed(hand_extractions):
        two.add_extraction(ext)
    for ext in hand_extractions:
        assert doc_quads(one, ext) == doc_quads(two, ext)


def test_every_fact_has_evidence_with_its_sentence(hand_graph, hand_extractions):
    text = hand_extractions[0].document.text
    rows = hand_graph.query("""
        SELECT ?s ?p ?o ?sentence ?start ?end ?rule ?doc ?time WHERE {
          GRAPH ?doc {
            ?ev a hh:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                hh:sentence ?sentence ; hh:startOffset ?start ; hh:endOffset ?end ;
                hh:rule ?rule ; prov:wasDerivedFrom ?doc ;
                prov:wasGeneratedBy [ prov:endedAtTime ?time ] .
            ?s ?p ?o .                        # the fact itself is asserted too
          }
        }""", {"doc": ox.NamedNode(iri.document(hand_extractions[0].document.sha256))})
    assert len(rows) == len(hand_extractions[0].relations)
    for r in rows:
        assert text[int(r["start"]):int(r["end"])] == r["sentence"]
        assert r["rule"] == "hand" and r["time"].endswith("Z")
    connects = {r["o"] for r in rows if r["p"] == HH + "connects"}
    assert connects == {XUZHOU, iri.place("320700")}


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
def test_dataset_formats_keep_the_documents(hand_graph, tmp_path, suffix):
    path = hand_graph.save(tmp_path / ("g" + suffix))
    loaded = KnowledgeGraph(base=False).load(path)
    assert len(loaded) == len(hand_graph)
    assert [d["source"] for d in loaded.documents()] == ["suqian.txt", "xuzhou.txt"]
    assert loaded.graphs() == hand_graph.graphs()


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_triple_formats_hold_the_union(hand_graph, tmp_path, suffix):
    path = hand_graph.save(tmp_path / ("g" + suffix))
    distinct = {(q.subject, q.predicate, q.object) for q in hand_graph.store}
    loaded = KnowledgeGraph(base=False).load(path, graph="https://example.org/g")
    assert len(loaded) == len(distinct)


def test_save_is_atomic(hand_graph, tmp_path, monkeypatch):
    target = tmp_path / "g.trig"
    target.write_text("previous", encoding="utf-8")

    class Broken:
        def dump(self, *args, **kwargs):
            raise OSError("disk full")

    monkeypatch.setattr(hand_graph, "store", Broken())
    with pytest.raises(OSError):
        hand_graph.save(target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["g.trig"]


def test_unknown_format_and_missing_file_say_what_to_do(tmp_path):
    g = KnowledgeGraph(base=False)
    with pytest.raises(StoreError, match="unknown RDF format"):
        g.save(tmp_path / "g.xyz")
    with pytest.raises(InputError, match="does not exist"):
        g.load(tmp_path / "missing.trig")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match="not valid Turtle"):
        g.load(bad)


def test_on_disk_store_and_read_only_open(hand_extractions, tmp_path):
    with KnowledgeGraph(path=tmp_path / "store") as g:
        g.add_extraction(hand_extractions[0])
        count = len(g)
    reader = KnowledgeGraph.open(tmp_path / "store")
    assert reader.read_only and len(reader) == count
    assert [d["source"] for d in reader.documents()] == ["xuzhou.txt"]
    with pytest.raises(StoreError, match="read-only"):
        reader.add_extraction(hand_extractions[1])
    with pytest.raises(StoreError, match="kg build"):
        KnowledgeGraph.open(tmp_path / "nothing")


def test_open_a_build_folder_reads_what_the_build_wrote(hand_graph_files, tmp_path):
    # `kg build -o out` then KnowledgeGraph.open("out"): the store if built, else the files
    assert KnowledgeGraph.open(hand_graph_files).path == hand_graph_files / "store"
    shutil.copy(hand_graph_files / "graph.trig", tmp_path / "graph.trig")
    (tmp_path / "summary.md").write_text("# summary", encoding="utf-8")
    graph = KnowledgeGraph.open(tmp_path)
    assert graph.path is None and len(graph.documents()) == 2
    assert not (tmp_path / "CURRENT").exists()


def test_save_store_replaces_the_folder_whole(hand_graph, tmp_path):
    target = tmp_path / "store"
    hand_graph.save_store(target)
    hand_graph.remove_document("suqian.txt")
    hand_graph.save_store(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    reader = KnowledgeGraph.open(target)
    assert [d["source"] for d in reader.documents()] == ["xuzhou.txt"]


def test_query_returns_rows_booleans_and_graphs(hand_graph):
    rows = hand_graph.query("SELECT ?label WHERE { ?c hh:adminCode ?code ; rdfs:label ?label }",
                            {"code": "321300"})
    assert rows == [{"label": "宿迁市"}]
    assert hand_graph.query("ASK { ?x a hh:Project }") is True
    g = hand_graph.query("CONSTRUCT { ?p hh:investment ?v } WHERE { ?p hh:investment ?v }")
    assert len(g) == 2
    with pytest.raises(QueryError, match="bad SPARQL"):
        hand_graph.query("SELECT * WHERE { ?s ?p }")


def test_query_parameters_are_data_not_text(hand_graph):
    before = len(hand_graph)
    rows = hand_graph.query("SELECT ?c WHERE { ?c rdfs:label ?name }",
                            {"name": '徐州市" } ; DROP ALL ; #'})
    assert rows == [] and len(hand_graph) == before


def test_named_query_from_python(hand_graph):
    rows = hand_graph.query_named("projects-in-city", city="宿迁")
    assert [r["projectLabel"] for r in rows] == ["宿迁光伏组件项目"]


def test_to_networkx(hand_graph):
    g = hand_graph.to_networkx()
    line = iri.entity("Infrastructure", "徐连高铁")
    assert g.nodes[line]["label"] == "徐连高铁"
    assert g.nodes[line]["class"] == "HighSpeedRail"
    assert g.nodes[XUZHOU]["class"] == "City"
    edge = g.get_edge_data(line, XUZHOU)["connects"]
    assert edge["relation"] == "connects"
    assert edge["documents"] == [iri.document(
        next(d["sha256"] for d in hand_graph.documents() if d["source"] == "xuzhou.txt"))]
    docs_only = hand_graph.to_networkx(documents_only=True)
    assert docs_only.number_of_nodes() < g.number_of_nodes()
    assert all(data["documents"] for _, _, data in docs_only.edges(data=True))
    bus = iri.entity("Infrastructure", "宿徐城际公交")
    assert docs_only.nodes[bus]["class"] == "BusLine"


def test_rdflib_escape_hatch(hand_graph):
    ds = hand_graph.rdflib()
    names = {str(c.identifier) for c in ds.graphs() if len(c)}
    assert set(hand_graph.graphs()) <= names
    rows = list(ds.query("PREFIX hh: <https://huaihai-kg.org/ontology#> "
                         "SELECT ?p WHERE { ?p a hh:Project }"))
    assert len(rows) == 2
    union = hand_graph.rdflib(union=True)
    assert len(union) == len({(q.subject, q.predicate, q.object) for q in hand_graph.store})


def test_view_writes_a_page(hand_graph, tmp_path):
    path = hand_graph.view(tmp_path / "g.html")
    assert path.exists() and "<html" in path.read_text(encoding="utf-8").lower()


def test_add_text_and_files(tmp_path):
    g = KnowledgeGraph()
    assert g.add_text("徐州与连云港加强合作。", source="note.txt", date="2024-01-02") is True
    assert g.query("ASK { ?x hh:mentionedIn ?doc . ?doc dcterms:source 'note.txt' }",
                   {"x": ox.NamedNode(XUZHOU)}) is True
    (tmp_path / "a.txt").write_text("宿迁新闻。宿迁与徐州合作。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    report = g.add_files([tmp_path])
    assert (report.added, report.unchanged, len(report.failures)) == (1, 0, 1)
    assert g.add_file(tmp_path / "a.txt") is False
    with pytest.raises(InputError):
        g.add_file(tmp_path / "missing.txt")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads parser
def test_the_store_benchmark_runs_small(tmp_path):
    """benchmarks/bench_store.py end to end on a small dataset: both stores, same answers."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_store.py"
    spec = importlib.util.spec_from_file_location("bench_store", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines = []
    results, same = bench.run(50000, 7, 1, False, True, out=lines.append, folder=tmp_path)
    assert set(results) == {"load", "join", "group-by", "path+filter"}
    assert same and all(ok for ok, _, _ in same.values())
    assert any(line.startswith("join") for line in lines)


def test_each_fact_keeps_its_own_sentence_when_none_was_given():
    """A relation with no evidence and no span is described by its own three parts: two
    such facts never share the first one's sentence."""
    from kg.gazetteer import load_gazetteer
    from kg.rdf import extraction_quads

    doc = Document(id="d", text="徐连高铁开通。")
    ext = Extraction(document=doc, entities=[Entity("Infrastructure", "徐连高铁", "徐连高铁")],
                     relations=[Relation("徐连高铁", "connects", "徐州"),
                                Relation("徐连高铁", "connects", "连云港")])
    sentences = {q.object.value for q in extraction_quads(ext, load_gazetteer())
                 if q.predicate.value == "https://huaihai-kg.org/ontology#sentence"}
    assert sentences == {"徐连高铁 connects 徐州", "徐连高铁 connects 连云港"}
