"""kg push against a real Oxigraph server (the `oxigraph` package's CLI), then kg query on it.

The test starts `oxigraph serve --location TMP --bind 127.0.0.1:PORT --union-default-graph`,
waits until it answers, and always stops it.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import ServerError
from kg.push import push
from kg.query import RemoteEndpoint, run_named

pytestmark = pytest.mark.skipif(shutil.which("oxigraph") is None,
                                reason="the oxigraph server CLI is not installed "
                                       "(pip install oxigraph, part of .[test])")

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path):
    """A fresh Oxigraph server; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(["oxigraph", "serve", "--location", str(tmp_path / "db"),
                             "--bind", "127.0.0.1:%d" % port, "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start: %s"
                                       % proc.stderr.read().decode(errors="replace"))
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        proc.stderr.close()


def remote_count(base) -> int:
    return int(RemoteEndpoint(base + "/query").results(COUNT).records()[0]["n"])


@pytest.mark.parametrize("how", ["update", "graph-store"])
def test_push_is_idempotent(hand_graph, oxigraph, how):
    target = {"endpoint": oxigraph + "/update"} if how == "update" else \
        {"graph_store": oxigraph + "/store"}
    report = push(hand_graph, **target)
    assert report.graphs == len(hand_graph.graphs()) == 4
    assert report.triples == len(hand_graph)
    assert remote_count(oxigraph) == len(hand_graph)
    push(hand_graph, **target)
    assert remote_count(oxigraph) == len(hand_graph)
    graphs = RemoteEndpoint(oxigraph + "/query").results(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").records()
    assert [r["g"] for r in graphs] == hand_graph.graphs()


def test_a_replaced_document_replaces_its_graph_remotely(hand_graph, hand_extractions, oxigraph):
    def docs():
        return [d["iri"] for d in hand_graph.documents()]

    def size():
        return sum(len(list(hand_graph.store.quads_for_pattern(None, None, None, ox.NamedNode(d))))
                   for d in docs())

    store = oxigraph + "/store"
    push(hand_graph, graph_store=store, graphs=docs())
    assert remote_count(oxigraph) == size()
    hand_graph.remove_document("suqian.txt")
    push(hand_graph, graph_store=store, graphs=docs())  # the removed graph stays: not ours
    assert remote_count(oxigraph) > size()
    hand_graph.add_extraction(hand_extractions[1])
    push(hand_graph, graph_store=store, graphs=docs())
    assert remote_count(oxigraph) == size()


def test_the_server_answers_named_queries_as_locally(hand_graph, oxigraph):
    push(hand_graph, graph_store=oxigraph + "/store")
    remote = RemoteEndpoint(oxigraph + "/query")
    for name, params in [("places-linked-to-city", {"city": "宿迁", "mode": "BusLine"}),
                         ("investment-by-industry", {}),
                         ("evidence", {"subject": "徐连高铁", "predicate": "connects"}),
                         ("agreements-covering-city", {"city": "徐州"}),
                         ("document-facts", {"doc": "suqian.txt"})]:
        there = sorted(map(sorted, (r.items() for r in run_named(remote, name, params).records())))
        here = sorted(map(sorted, (r.items() for r in run_named(hand_graph, name, params)
                                   .records())))
        assert there == here and here, name


def test_kg_push_and_kg_query_endpoint(hand_graph_files, oxigraph):
    result = CliRunner().invoke(cli, ["push", "--endpoint", oxigraph + "/update", "--graph",
                                      str(hand_graph_files / "store")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pushed 4 graphs")
    args = ["query", "projects-in-city", "-p", "city=徐州", "--format", "json"]
    local = CliRunner().invoke(cli, args + ["--graph", str(hand_graph_files / "graph.trig")])
    remote = CliRunner().invoke(cli, args + ["--endpoint", oxigraph + "/query"])
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)
    assert json.loads(remote.output)[0]["projectLabel"] == "卓曜高效光伏电池项目"
    adhoc = CliRunner().invoke(cli, ["query", "-q", "ASK { ?p a hh:Project }",
                                     "--endpoint", oxigraph + "/query"])
    assert adhoc.output.strip() == "true"


def test_errors_are_one_line(hand_graph_files):
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(cli, ["push", "--endpoint", "http://127.0.0.1:%d/update" % port,
                                      "--graph", str(hand_graph_files / "store")])
    assert result.exit_code == 2 and "cannot reach" in result.output
    result = CliRunner().invoke(cli, ["push", "--graph", str(hand_graph_files / "store")])
    assert result.exit_code == 2 and "--endpoint" in result.output
    with pytest.raises(ServerError, match="not an http"):
        push(None, endpoint="ftp://example.org")


def test_a_refusal_carries_the_servers_message(hand_graph, oxigraph):
    with pytest.raises(ServerError, match=r"answered 4\d\d"):
        push(hand_graph, endpoint=oxigraph + "/query")


def test_two_shards_extracted_apart_load_into_one_server(tmp_path, oxigraph, monkeypatch):
    """The README's path past one machine: `kg extract` over two halves of a corpus, each
    shard pushed to the server, gives the documents' graphs a local build gives."""
    from kg.build import build
    from kg.resources import data_dir

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = sorted((data_dir() / "corpus").glob("*.txt"))
    assert len(files) >= 4
    halves = [files[0::2], files[1::2]]
    runner = CliRunner()
    for i, half in enumerate(halves):
        result = runner.invoke(cli, ["extract", *map(str, half), "--format", "nq",
                                     "-o", str(tmp_path / ("shard%d.nq" % i))])
        assert result.exit_code == 0, result.output
    for i in range(2):
        result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/update", "--graph",
                                     str(tmp_path / ("shard%d.nq" % i))])
        assert result.exit_code == 0, result.output
    build(files, tmp_path / "local", page=False, cache=False)
    local = ox.Store()  # a store, as the server is: numbers in their canonical form
    local.load(path=str(tmp_path / "local" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    documents = {q.graph_name.value for q in local.quads_for_pattern(None, None, None)
                 if q.graph_name.value.startswith("https://huaihai-kg.org/id/doc/")}
    assert len(documents) == len(files)
    expected = {(q.graph_name, q.subject, q.predicate, q.object)
                for q in local.quads_for_pattern(None, None, None)
                if q.graph_name.value in documents}
    remote = RemoteEndpoint(oxigraph + "/query").results(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert set(remote.rows) == expected  # the same quads (one clock: SOURCE_DATE_EPOCH)
    expected = len(expected)
    assert remote_count(oxigraph) == expected
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/update", "--graph",
                                 str(tmp_path / "shard0.nq")])
    assert result.exit_code == 0, result.output
    assert remote_count(oxigraph) == expected  # pushing a shard again changes nothing
