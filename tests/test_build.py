"""``kg build`` end to end: outputs, failures, incremental runs, determinism, interruptions."""
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from kg.build import build, extract_nquads

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


@pytest.mark.parametrize("inputs", ["missing file", "empty file", "no text file"])
def test_a_build_that_reads_no_document_leaves_the_previous_output(tmp_path, inputs):
    from kg.errors import InputError

    corpus, out = _corpus(tmp_path / "in"), tmp_path / "out"
    build([corpus], out, page=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "bad"
    bad.mkdir()
    if inputs == "missing file":
        bad = bad / "typo.txt"
    elif inputs == "empty file":
        (bad / "empty.txt").write_bytes(b"")
    else:
        (bad / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="nothing in %s was changed" % re.escape(str(out))) \
            as raised:
        build([bad], out, page=False)
    if inputs != "no text file":  # each failure is named, as when some files fail
        assert [os.path.basename(f.path) for f in raised.value.failures] == [
            "typo.txt" if inputs == "missing file" else "empty.txt"]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    with pytest.raises(InputError):  # a new OUT: not made (nor its cache, nor its lock)
        build([bad], tmp_path / "new", page=False)
    assert not (tmp_path / "new").exists()


def test_an_output_folder_inside_the_input_folder_is_no_input(tmp_path):
    for out in (tmp_path / "in" / "build", tmp_path / "self"):  # inside it, or the folder
        corpus = _corpus(out.parent if out.name == "build" else out)
        for _ in range(2):  # the second build finds the first one's page, cache and summary
            report = build([corpus], out)
            assert (report.documents, report.failures) == (len(SAMPLE), [])
    corpus = tmp_path / "in"
    (corpus / "build" / "view.html").write_text("<p>徐州</p>", encoding="utf-8")
    assert build([corpus], corpus / "build").documents == len(SAMPLE)
    # a file in OUT that the user names is read
    report = build([corpus, corpus / "build" / "view.html"], corpus / "build", page=False)
    assert report.documents == len(SAMPLE) + 1


def test_an_output_that_cannot_be_written_is_an_output_error(tmp_path):
    from kg.errors import OutputError

    corpus = _corpus(tmp_path / "in")
    (tmp_path / "file").write_text("previous", encoding="utf-8")
    for out in (tmp_path / "file", tmp_path / "file" / "out"):
        with pytest.raises(OutputError, match=r"cannot write %s .*choose another output path"
                           % re.escape(str(out))):
            build([corpus], out, page=False)
    assert (tmp_path / "file").read_text(encoding="utf-8") == "previous"


def test_a_user_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    from kg.io import derived

    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("HUAIHAI_KG_CACHE", str(tmp_path / "file"))  # a file: no folder there
    assert derived("demo", [], lambda: ["made"]) == ["made"]


def test_second_build_reuses_unchanged_documents(tmp_path):
    corpus = _corpus(tmp_path / "in")
    first = build([corpus], tmp_path / "out", page=False)
    assert (first.extracted, first.cached) == (3, 0)
    (corpus / "001.txt").write_text("宿迁与徐州签署合作协议，共建新的产业园。", encoding="utf-8")
    second = build([corpus], tmp_path / "out", page=False)
    assert (second.extracted, second.cached) == (1, 2)
    third = build([corpus], tmp_path / "out", page=False)
    assert (third.extracted, third.cached) == (0, 3)
    # an index and packs of documents, not a file per document
    suffixes = sorted(p.suffix for p in (tmp_path / "out" / "cache").iterdir())
    assert suffixes.count(".json") == 1 and 1 <= suffixes.count(".pack") <= 2
    assert len(suffixes) == suffixes.count(".json") + suffixes.count(".pack")


def test_a_damaged_cache_is_extracted_again(tmp_path, monkeypatch):
    # packs are written without a disk flush: what a crash leaves must read as a miss
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus, out = _corpus(tmp_path / "in"), tmp_path / "out"
    cache = out / "cache"
    build([corpus], out, page=False)
    graph = lambda: [(out / n).read_bytes() for n in ("graph.nq", "graph.trig")]
    expected = graph()

    def damage(change):
        for pack in cache.glob("*.pack"):
            pack.write_bytes(change(pack.read_bytes()))
        return build([corpus], out, page=False)

    cut = damage(lambda data: data[:len(data) // 2])           # cut short
    assert cut.extracted >= 1 and cut.extracted + cut.cached == len(SAMPLE)
    assert graph() == expected
    assert damage(lambda data: data.replace(b"<", b"(")).extracted == len(SAMPLE)  # same length
    assert graph() == expected
    assert damage(lambda data: b"").extracted == len(SAMPLE)   # emptied
    (cache / "index.json").write_text("{not json", encoding="utf-8")
    assert build([corpus], out, page=False).extracted == len(SAMPLE)
    # entries of other shapes (edited by hand): misses, and the index written while the
    # build runs (here after every document) is made of good ones
    import kg.build

    monkeypatch.setattr(kg.build, "_CHECKPOINT", 0.0)
    index = json.loads((cache / "index.json").read_text(encoding="utf-8"))
    bad = [5, None, [], ["../x.pack", 0, 1, 1, 0], ["a.pack", "0", 1, 1, 0], [7, 0, 1, 1, 0]]
    index["entries"] = {key: bad[i % len(bad)] for i, key in enumerate(index["entries"])}
    index["entries"]["another"] = bad[0]
    (cache / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert build([corpus], out, page=False).extracted == len(SAMPLE)
    assert graph() == expected
    for pack in cache.glob("*.pack"):
        pack.unlink()
    assert build([corpus], out, page=False).extracted == len(SAMPLE)
    assert build([corpus], out, page=False).cached == len(SAMPLE)
    assert graph() == expected  # N-Quads and TriG read from the cache: the same files


def test_the_cache_stays_small_over_many_builds(tmp_path, monkeypatch):
    # each build adds a pack of the documents it extracted; packs that are many or mostly
    # hold documents no input has any more are copied into one
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    texts = [t + "（%d）" % i for i, t in enumerate(SAMPLE * 4)]
    corpus, out, cache = _corpus(tmp_path / "in", texts), tmp_path / "out", tmp_path / "out" / "cache"
    graph = lambda folder: [(folder / n).read_bytes() for n in ("graph.nq", "graph.trig")]
    for i in range(len(texts)):
        (corpus / ("%03d.txt" % i)).write_text(texts[i] + "又及。", encoding="utf-8")
        report = build([corpus], out, page=False, jobs=1 + i % 2)
        assert (report.extracted, report.cached) == ((len(texts), 0) if i == 0 else
                                                     (1, len(texts) - 1))
        packs = list(cache.glob("*.pack"))
        index = json.loads((cache / "index.json").read_text(encoding="utf-8"))["entries"]
        assert len(index) == len(texts) and 1 <= len(packs) <= 8 + 2
        held = sum(p.stat().st_size for p in packs)
        assert held <= 2 * sum(e[2] + e[3] for e in index.values())
        assert {e[0] for e in index.values()} == {p.name for p in packs}
    build([corpus], tmp_path / "fresh", page=False, cache=False)
    assert graph(out) == graph(tmp_path / "fresh")


def test_a_build_that_fails_keeps_what_it_extracted_for_the_next(tmp_path, monkeypatch):
    # the cache's index is written again while a build runs (here after every document):
    # what a build killed or failed after extracting did is not lost
    import kg.build

    texts = [t + "（%d）" % i for i, t in enumerate(SAMPLE * 3)]
    corpus, out = _corpus(tmp_path / "in", texts), tmp_path / "out"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(kg.build, "_write_blocks", disk_full)
        with pytest.raises(OSError):
            build([corpus], out, page=False)
    assert not (out / "graph.nq").exists()
    report = build([corpus], out, page=False)
    assert (report.cached, report.documents) == (len(texts), len(texts))
    # and while it runs (here after every document): what a build killed midway extracted
    monkeypatch.setattr(kg.build, "_CHECKPOINT", 0.0)
    (corpus / "000.txt").write_text("宿迁与徐州共建产业园。", encoding="utf-8")
    (corpus / "001.txt").write_text("徐州与连云港共建产业园。", encoding="utf-8")
    calls = []

    def killed(*args, **kwargs):  # (after the second of the two new documents)
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("killed")
        return extract(*args, **kwargs)

    extract, real, checkpoints = kg.build._extract_prepared, kg.build._checkpoint, []
    with monkeypatch.context() as m:
        m.setattr(kg.build, "_extract_prepared", killed)
        m.setattr(kg.build, "_checkpoint", lambda *a: checkpoints.append(a) or real(*a))
        with pytest.raises(SystemExit):
            build([corpus], out, page=False)
    # one after the first new document, one on the way out (a kill -9 has only the first)
    assert len(checkpoints) == 2
    assert build([corpus], out, page=False).extracted == 1


@pytest.mark.parametrize("how", ["permissions", "no file can be made there"])
def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch, how):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus, out = _corpus(tmp_path / "in"), tmp_path / "out"
    build([corpus], out, page=False)
    graph = lambda: [(out / n).read_bytes() for n in ("graph.nq", "graph.trig")]
    expected = graph()
    (corpus / "new.txt").write_text("连云港与徐州共建产业园。", encoding="utf-8")
    build([corpus], tmp_path / "fresh", page=False, cache=False)
    cache = out / "cache"
    before = sorted((p.name, p.read_bytes()) for p in cache.iterdir())
    if how == "permissions":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder")
        cache.chmod(0o555)
    else:
        import kg.build

        monkeypatch.setattr(kg.build, "_can_write", lambda folder: False)
    try:
        report = build([corpus], out, page=False)
    finally:
        cache.chmod(0o755)
    assert (report.extracted, report.cached) == (1, len(SAMPLE))  # the cache still read
    assert graph() == [(tmp_path / "fresh" / n).read_bytes() for n in ("graph.nq", "graph.trig")]
    assert graph() != expected
    assert sorted((p.name, p.read_bytes()) for p in cache.iterdir()) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".stage")]


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


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    from kg.errors import KGError

    corpus, out = _corpus(tmp_path / "in"), tmp_path / "out"
    out.mkdir()
    (out / ".stage.x.partial").mkdir()  # what the running build is making
    with open(out / ".lock", "a") as held:  # as a running build holds it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(KGError, match="another kg build is writing .*-o"):
            build([corpus], out, page=False)
        assert (out / ".stage.x.partial").is_dir()  # not taken for a leftover
    assert build([corpus], out, page=False).documents == len(SAMPLE)
    assert not (out / ".stage.x.partial").exists()  # now it is one


def test_cache_entries_of_older_versions_are_dropped(tmp_path):
    corpus, out = _corpus(tmp_path / "in"), tmp_path / "out"
    (out / "cache").mkdir(parents=True)
    (out / "cache" / "0123456789abcdef.nq").write_bytes(b"<a> <b> <c> <d> .\n")
    (out / "cache" / "0123456789abcdef.entry").write_bytes(b"# kg build cache: crc32 0\n")
    (out / "cache" / "notes.txt").write_text("a file of the user's", encoding="utf-8")
    report = build([corpus], out, page=False)
    assert report.extracted == len(SAMPLE)
    assert sorted(p.suffix for p in (out / "cache").iterdir()) == [".json", ".pack", ".txt"]


def test_workers_cache_and_a_text_in_two_files_give_the_same_output(tmp_path, monkeypatch):
    # workers hand their graphs over in files (copied into the outputs in the kernel, or by
    # reads and writes where it cannot); the same text in two files is one graph
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    texts = SAMPLE + [SAMPLE[0]] * 3 + [t + "（%d）" % i for i, t in enumerate(SAMPLE * 3)]
    corpus = _corpus(tmp_path / "in", texts)  # one text in four files, the others in one
    graph = lambda out: [(out / n).read_bytes() for n in ("graph.nq", "graph.trig")]
    one = build([corpus], tmp_path / "one", page=False, cache=False)
    expected = graph(tmp_path / "one")
    assert one.documents == len(texts)
    nq = expected[0].decode("utf-8")
    assert nq.count("<http://purl.org/dc/terms/source>") == len(texts)
    assert len({line.rsplit(" ", 2)[1] for line in nq.splitlines()
                if "/id/doc/" in line.rsplit(" ", 2)[1]}) == len(set(texts))
    # a build spools each document's graph to a file until all are written in graph order;
    # kg extract keeps them in memory: the same document quads
    shard, failures = extract_nquads([corpus])
    assert not failures
    assert "".join(line for line in nq.splitlines(keepends=True)
                   if "/id/doc/" in line.rsplit(" ", 2)[1]).encode("utf-8") == shard
    for cache in (False, True, True):  # the last: every document from the cache
        build([corpus], tmp_path / "two", page=False, cache=cache, jobs=2)
        assert graph(tmp_path / "two") == expected, cache
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.startswith(".stage")]

    def no_copy_file_range(*args):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(os, "copy_file_range", no_copy_file_range, raising=False)
    build([corpus], tmp_path / "three", page=False, cache=False, jobs=2)
    assert graph(tmp_path / "three") == expected


def _spooled_bytes(out):
    """The bytes of graph a running build has written to its cache's packs so far."""
    total = 0
    for spool in out.glob("cache/*.pack"):
        with contextlib.suppress(OSError):
            total += spool.stat().st_size
    return total


def _outputs(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
            and not p.name.startswith(".")}


@pytest.mark.parametrize("sig,jobs", [(signal.SIGINT, 1), (signal.SIGTERM, 1),
                                      (signal.SIGKILL, 1), (signal.SIGINT, 2),
                                      (signal.SIGKILL, 2)])
def test_an_interrupted_build_leaves_the_previous_output(tmp_path, sig, jobs):
    corpus, out = _long_corpus(tmp_path / "in"), tmp_path / "out"
    small = _corpus(tmp_path / "small")
    assert _kg("build", str(small), "-o", str(out), "--no-cache").wait(timeout=120) == 0
    before = _outputs(out)
    proc = _kg("build", str(corpus), "-o", str(out), "--jobs", str(jobs), start_new_session=True)
    _under_way(proc, out)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert _gone(proc.pid)  # no worker is left (after SIGKILL: once it sees the build gone)
    assert _outputs(out) == before
    if sig != signal.SIGKILL:  # a catchable signal leaves no temporary file behind
        assert not list(out.glob(".*.tmp")) and not list((out / "cache").glob(".*.tmp"))
    again = _kg("build", str(corpus), "-o", str(out))
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert b"450 documents" in stdout
    if sig != signal.SIGKILL:  # what the interrupted build extracted is in the cache
        assert int(re.search(rb"(\d+) unchanged", stdout)[1]) > 0, stdout
    assert not list(out.glob(".*.tmp"))


def _long_corpus(folder):
    return _corpus(folder, [t + ("（第%d篇）" % i) + "徐州、宿迁、连云港协同发展。" * 40
                            for i in range(150) for t in SAMPLE])


def _under_way(proc, out):
    """Wait until extraction is well under way (some 75 documents of _long_corpus)."""
    deadline = time.monotonic() + 60
    while _spooled_bytes(out) < 1_500_000 and time.monotonic() < deadline:
        assert proc.poll() is None
        time.sleep(0.05)


def _gone(pgid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
def test_ctrl_c_at_a_terminal_ends_a_build_and_its_workers_with_one_message(tmp_path):
    # a terminal's Ctrl-C reaches every process of the group: the workers leave the
    # interrupt to the build, which ends them; none prints a traceback
    corpus, out = _long_corpus(tmp_path / "in"), tmp_path / "out"
    quiet = _kg("build", str(_corpus(tmp_path / "small")), "-o", str(tmp_path / "o2"),
                "--jobs", "2", "--no-cache")
    assert quiet.communicate(timeout=120)[1] == b"" and quiet.returncode == 0
    proc = _kg("build", str(corpus), "-o", str(out), "--jobs", "3", start_new_session=True)
    _under_way(proc, out)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.decode().strip() == "kg: interrupted; the previous output is unchanged"
    assert _gone(proc.pid)


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        pytest.skip("no /proc/PID/task/PID/children here")


def test_a_killed_worker_stops_the_build_with_a_message_and_no_wait(tmp_path):
    corpus, out = _long_corpus(tmp_path / "in"), tmp_path / "out"
    proc = _kg("build", str(corpus), "-o", str(out), "--jobs", "2", start_new_session=True)
    _under_way(proc, out)
    (worker,) = _children(proc.pid)
    os.kill(worker, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=60)  # (multiprocessing.Pool waited forever)
    assert proc.returncode != 0
    assert stderr.decode().strip().startswith(
        "kg: error: a worker process ended unexpectedly (signal 9); run the command again")
    assert not (out / "graph.nq").exists()
    assert _gone(proc.pid)
    again = _kg("build", str(corpus), "-o", str(out), "--jobs", "2")
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert b"450 documents" in stdout and int(re.search(rb"(\d+) unchanged", stdout)[1]) > 0


def test_an_impossible_date_is_refused_before_anything_is_read(tmp_path):
    from kg.errors import ExtractionError

    corpus = _corpus(tmp_path / "in")
    with pytest.raises(ExtractionError, match="'2021-02-30' is not a date"):
        build([corpus], tmp_path / "out", page=False, date="2021-02-30")
    with pytest.raises(ExtractionError, match="'2021-13-01' is not a date"):
        extract_nquads([corpus], date="2021-13-01")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("where", ["spool", "outputs"])
def test_a_full_disk_is_an_output_error_naming_out(tmp_path, jobs, where):
    """A full disk (here the file-size limit, which fails writes the same way) while the
    documents are spooled or the outputs written: one line naming OUT (an OSError too), the
    previous output kept."""
    import errno
    import resource

    from kg.errors import OutputError

    corpus = _corpus(tmp_path / "in", SAMPLE * 4)
    out = tmp_path / "out"
    build([corpus], out, page=False, cache=False)
    before = (out / "graph.nq").read_bytes()
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # (then a write fails with EFBIG)
    try:  # (a document's graph is some kB: 1,000 bytes fail the spool)
        size = 1000 if where == "spool" else len(before) // 2
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, limit[1]))
        with pytest.raises(OutputError, match="cannot write %s" % re.escape(str(out))) as e:
            build([corpus], out, page=False, cache=False, jobs=jobs)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, old)
    assert isinstance(e.value, OSError) and e.value.errno == errno.EFBIG
    assert (out / "graph.nq").read_bytes() == before


def test_an_error_in_a_worker_is_raised_by_the_build(tmp_path, monkeypatch):
    # a full disk in a worker is the build's error, as it is in one process
    import errno

    import kg.build

    this, spooled = os.getpid(), kg.build._spooled

    def worker_disk_full(prepared):
        if os.getpid() != this:
            raise OSError(errno.ENOSPC, "No space left on device")
        time.sleep(0.05)  # (the worker takes documents too)
        return spooled(prepared)

    monkeypatch.setattr(kg.build, "_spooled", worker_disk_full)
    corpus = _corpus(tmp_path / "in", [t + "（%d）" % i for i, t in enumerate(SAMPLE * 8)])
    with pytest.raises(OSError) as raised:
        build([corpus], tmp_path / "out", page=False, jobs=2)
    assert raised.value.errno == errno.ENOSPC
    assert not (tmp_path / "out" / "graph.nq").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_again_from_the_cache_imports_no_spacy(tmp_path, jobs):
    corpus = _corpus(tmp_path / "in", [t + "（%d）" % i for i, t in enumerate(SAMPLE * 4)])
    out = tmp_path / "out"
    code = ("import sys\n"
            "from kg.build import build\n"
            "r = build([sys.argv[1]], sys.argv[2], page=False, jobs=%d)\n"
            "print(r.extracted, r.cached, 'spacy' in sys.modules)\n" % jobs)
    run = lambda: subprocess.run([sys.executable, "-c", code, str(corpus), str(out)],
                                 capture_output=True, text=True, check=True).stdout.split()
    assert run() == ["12", "0", "True"]
    assert run() == ["0", "12", "False"]
    (corpus / "000.txt").write_text(SAMPLE[0] + "（改）", encoding="utf-8")
    assert run()[:2] == ["1", "11"]  # (a worker, or this process, builds the pipeline)


def test_workers_started_by_spawn_give_the_same_output(tmp_path, monkeypatch):
    # where there is no fork (Windows; macOS by default), workers are spawned and build
    # their own pipeline
    import multiprocessing

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = _corpus(tmp_path / "in", [t + "（%d）" % i for i, t in enumerate(SAMPLE * 4)])
    build([corpus], tmp_path / "one", page=False, cache=False)
    shard, failures = extract_nquads([corpus])
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    build([corpus], tmp_path / "two", page=False, jobs=3)
    for name in ("graph.nq", "graph.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert extract_nquads([corpus], jobs=2) == (shard, failures)


def test_the_pipeline_skips_spacys_cli_at_import_and_the_cli_still_works():
    code = ("import sys\n"
            "from kg.extract import build_pipeline\n"
            "build_pipeline()\n"
            "print('spacy.cli' in sys.modules)\n"
            "import spacy\n"
            "print(callable(spacy.cli.download))\n"  # the usual idiom, without importing it
            "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"
            "import spacy.cli\n"
            "print(spacy.cli.info.__module__, type(spacy.cli).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True", "True", "spacy.cli.info", "module"]


def test_the_pipeline_is_built_with_its_patterns_compiled():
    # compiled with the pipeline, before kg build --jobs forks: the workers share them,
    # where each compiled its own on its first document
    from kg.extract import build_pipeline
    from kg.gazetteer import Gazetteer
    from kg.resources import data_dir

    nlp = build_pipeline(Gazetteer(data_dir()))  # resources of its own, compiled by no test
    made = []
    for name, key in (("hh_names", "names"), ("hh_relations", "relations")):
        nlp.get_pipe(name).res.derived(key, made.append)
    assert made == []


@pytest.mark.parametrize("read_twice", [False, True])
def test_a_documents_quads_and_trig_equal_those_made_line_by_line(monkeypatch, read_twice):
    """The build writes an evidence node's lines as one sorted block, and its TriG from a
    template; a statement read twice (two rules) makes the build sort line by line."""
    import dataclasses
    import types

    import kg.build
    from kg import rdf
    from kg.build import _extract_prepared, _prepare
    from kg.gazetteer import load_gazetteer
    from tests.conftest import make_hand_extractions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    extraction = make_hand_extractions()[0]  # links, figures, dates, a quantity
    if read_twice:
        extraction.relations.append(
            dataclasses.replace(extraction.relations[0], rule="another rule"))
    writer = rdf._extraction_writer(extraction, load_gazetteer())
    assert writer.blocks_sort is not read_twice
    monkeypatch.setitem(kg.build._WORKER, "extractor",
                        types.SimpleNamespace(extract_document=lambda doc: extraction))
    made = _extract_prepared(extraction.document)
    by_lines = _prepare(rdf.extraction_nquads(extraction, load_gazetteer()).encode())
    assert made.blocks == by_lines.blocks and made.quads == by_lines.quads
    if read_twice:
        assert b'"another rule"' in made.blocks[0][1] and b'"hand"' in made.blocks[0][1]
