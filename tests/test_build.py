"""``kg build`` end to end: outputs, failures, incremental runs, determinism, interruptions."""
import os
import signal
import subprocess
import sys
import time

import pytest

from kg.build import build

SAMPLE = ["发布时间：2021-02-07\n徐连高铁将于8日开通，连接徐州和连云港。",
          "宿迁与徐州签署合作协议，共建产业园。",
          "临沂至日照的高速公路建成通车，菏泽市和商丘市加强合作。"]


def _corpus(folder, texts=SAMPLE):
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / ("%03d.txt" % i)).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    """The sample corpus built once for this module."""
    out = tmp_path_factory.mktemp("build")
    return build(None, out), out


def test_sample_corpus_build_writes_every_file(sample_build):
    report, out = sample_build
    for name in ("graph.trig", "graph.nq", "graph.html", "summary.md", "summary.json"):
        assert (out / name).stat().st_size > 0, name
    assert report.documents >= 8 and not report.failures
    assert report.counts.get("City", 0) >= 5
    assert "| City |" in (out / "summary.md").read_text(encoding="utf-8")


def test_summary_counts_equal_the_sparql_count_of_the_written_graph(sample_build):
    from kg.build import count_classes
    from kg.graph import KnowledgeGraph

    report, out = sample_build
    assert report.counts == count_classes(KnowledgeGraph.open(out / "graph.nq"))
    # and the TriG the build wrote by hand holds exactly the same quads
    import pyoxigraph as ox

    nq = set(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    trig = set(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert nq == trig and len(nq) == report.triples


def test_written_graph_reloads_with_documents_and_gazetteer(sample_build):
    import pyoxigraph as ox

    report, out = sample_build
    store = ox.Store()
    store.load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    assert len(store) == report.triples
    graphs = {g.value for g in store.named_graphs()}
    assert "https://huaihai-kg.org/id/graph/gazetteer" in graphs
    assert "https://huaihai-kg.org/id/graph/ontology" in graphs
    assert sum(g.startswith("https://huaihai-kg.org/id/doc/") for g in graphs) == report.documents


def test_bad_files_are_reported_and_good_ones_kept(tmp_path):
    corpus = _corpus(tmp_path / "in")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\xff" * 50)
    report = build([corpus], tmp_path / "out", page=False)
    assert report.documents == len(SAMPLE)
    assert sorted(os.path.basename(f.path) for f in report.failures) == ["binary.txt",
                                                                          "empty.txt"]
    assert "empty" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")


def test_second_build_reuses_unchanged_documents(tmp_path):
    corpus = _corpus(tmp_path / "in")
    first = build([corpus], tmp_path / "out", page=False)
    assert (first.extracted, first.cached) == (3, 0)
    (corpus / "001.txt").write_text("宿迁与徐州签署合作协议，共建新的产业园。", encoding="utf-8")
    second = build([corpus], tmp_path / "out", page=False)
    assert (second.extracted, second.cached) == (1, 2)
    assert len(list((tmp_path / "out" / "cache").glob("*.nq"))) == 3


def test_output_is_byte_identical_whatever_the_order_and_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = _corpus(tmp_path / "in")
    files = sorted(corpus.iterdir())
    build([corpus], tmp_path / "a", page=False, cache=False)
    build(list(reversed(files)), tmp_path / "b", page=False, cache=False, jobs=2)
    a = (tmp_path / "a" / "graph.nq").read_bytes()
    assert a == (tmp_path / "b" / "graph.nq").read_bytes()
    # grouped by named graph (graphs in order), lines sorted within each graph
    lines = a.splitlines()
    keyed = [(line.rsplit(b" ", 2)[1], line) for line in lines]
    assert keyed == sorted(keyed)
    assert len(set(lines)) == len(lines)
    trig = (tmp_path / "a" / "graph.trig").read_bytes()
    assert trig == (tmp_path / "b" / "graph.trig").read_bytes()


def test_the_cached_base_graphs_give_the_same_output_and_a_broken_cache_is_remade(
        tmp_path, monkeypatch):
    import kg.build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("HUAIHAI_KG_CACHE", str(tmp_path / "cache"))
    corpus = _corpus(tmp_path / "in")
    outputs, cached = [], lambda: list((tmp_path / "cache").glob("base-graphs-*.pickle"))

    def run():
        monkeypatch.setattr(kg.build, "_BASE", {})  # as in a new process
        build([corpus], tmp_path / "out", page=False, cache=False)
        outputs.append([(tmp_path / "out" / name).read_bytes()
                        for name in ("graph.nq", "graph.trig")])

    run()  # made, and kept
    [kept] = cached()
    stamp = kept.stat().st_mtime_ns
    run()  # read from the cache: not written again
    assert cached() == [kept] and kept.stat().st_mtime_ns == stamp
    kept.write_bytes(b"not a pickle")
    run()  # a broken cache is made again
    assert len(cached()) == 1 and cached()[0].read_bytes() != b"not a pickle"
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"/id/graph/gazetteer>" in outputs[0][0] and b"/id/graph/ontology>" in outputs[0][0]


def _kg(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def _outputs(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
            and not p.name.startswith(".")}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_build_leaves_the_previous_output(tmp_path, sig):
    texts = [t + ("（第%d篇）" % i) + "徐州、宿迁、连云港协同发展。" * 40 for i in range(150)
             for t in SAMPLE]
    corpus = _corpus(tmp_path / "in", texts)
    out = tmp_path / "out"
    small = _corpus(tmp_path / "small")
    assert _kg("build", str(small), "-o", str(out), "--no-cache").wait(timeout=120) == 0
    before = _outputs(out)
    proc = _kg("build", str(corpus), "-o", str(out))
    deadline = time.monotonic() + 60
    while len(list((out / "cache").glob("*.nq"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until extraction is under way
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert _outputs(out) == before
    if sig != signal.SIGKILL:  # a catchable signal leaves no temporary file behind
        assert not list(out.glob(".*.tmp")) and not list((out / "cache").glob(".*.tmp"))
    again = _kg("build", str(corpus), "-o", str(out))
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert b"450 documents" in stdout
    assert not list(out.glob(".*.tmp"))


def test_the_pipeline_skips_spacys_cli_at_import_and_the_cli_still_works():
    code = ("import sys\n"
            "from kg.extract import build_pipeline\n"
            "build_pipeline()\n"
            "print('spacy.cli' in sys.modules)\n"
            "import spacy, spacy.cli\n"
            "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"
            "print(spacy.cli.info.__module__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True", "spacy.cli.info"]


def _serialised(extraction):
    """A document's N-Quads and TriG both ways: whole evidence blocks, and lines."""
    from kg import rdf
    from kg.gazetteer import load_gazetteer

    w = rdf._extraction_writer(extraction, load_gazetteer(), generated_at="2024-01-01T00:00:00Z")
    graph = w.graph.encode()
    lines = sorted(set("".join(w.lines).encode().splitlines(keepends=True)))
    units = sorted(set(w.lines))
    return w, graph, lines, units


def test_whole_evidence_blocks_sort_and_write_as_their_lines_would():
    from kg.build import _trig_block, _trig_units
    from tests.conftest import make_hand_extractions

    for extraction in make_hand_extractions():  # links, figures, dates, a quantity
        w, graph, lines, units = _serialised(extraction)
        assert w.blocks_sort and len(units) < len(lines)
        assert "".join(units).encode() == b"".join(lines)
        assert _trig_units(graph, units, w) == _trig_block(graph, lines)


def test_one_statement_read_by_two_rules_is_sorted_line_by_line(tmp_path):
    import dataclasses

    import pyoxigraph as ox

    from kg.build import _trig_block, _trig_header
    from tests.conftest import make_hand_extractions

    extraction = make_hand_extractions()[0]
    twice = dataclasses.replace(extraction.relations[0], rule="another rule")
    extraction.relations.append(twice)  # same statement, same span: one evidence node
    w, graph, lines, units = _serialised(extraction)
    assert not w.blocks_sort  # its lines interleave with the first reading's
    assert "".join(units).encode() != b"".join(lines)
    trig = _trig_header() + _trig_block(graph, lines)
    quads = set(ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == quads
    rules = [q.object.value for q in quads if q.predicate.value.endswith("#rule")]
    assert "another rule" in rules and "hand" in rules
