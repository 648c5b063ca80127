"""kg serve: a real SPARQL 1.1 endpoint, queried with SPARQLWrapper, rdflib and plain HTTP.

Each server runs as `python -m kg serve --port 0` in a subprocess (the port it got is read
from its first line) and is always stopped by the fixture's finaliser.
"""
from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from kg.query import RemoteEndpoint, run_named
from kg.serve import negotiate, serialize_boolean, serialize_solutions

MEMBERS = ("SELECT ?name WHERE { ?c hh:memberOf ?zone ; a hh:City ; rdfs:label ?name } "
           "ORDER BY ?name")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


def start_server(*args, timeout=90):
    """Start `kg serve` on a free port; return (process, endpoint URL)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--quiet",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            m = re.search(r"http://\S+/sparql", proc.stdout.readline())
            if m:
                return proc, m.group(0)
    stop_server(proc)
    raise RuntimeError("kg serve did not start: %s" % proc.stderr.read())


def stop_server(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    for stream in (proc.stdout, proc.stderr):
        stream.close()


@pytest.fixture(scope="module")
def endpoint(hand_graph_files):
    proc, url = start_server("--graph", str(hand_graph_files / "store"), "--timeout", "2",
                             "--max-results", "50")
    yield url
    stop_server(proc)
    assert proc.returncode == 0


@pytest.fixture(scope="module")
def update_endpoint(hand_graph_files, tmp_path_factory):
    trig = tmp_path_factory.mktemp("serve") / "graph.trig"
    shutil.copy(hand_graph_files / "graph.trig", trig)
    proc, url = start_server("--graph", str(trig), "--allow-update", "--workers", "1")
    yield url
    stop_server(proc)


def http(url, *, data=None, headers=None, method=None, timeout=30):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(url, query, accept=None, **params):
    qs = urllib.parse.urlencode(dict(query=query, **params), doseq=True)
    return http(url + "?" + qs, headers={"Accept": accept} if accept else {})


def post_form(url, **fields):
    return http(url, data=urllib.parse.urlencode(fields).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})


# -- plain HTTP -------------------------------------------------------------------------------

def test_listens_on_loopback(endpoint):
    assert endpoint.startswith("http://127.0.0.1:")
    status, headers, body = http(endpoint)
    assert status == 200 and b"SPARQL" in body


def test_get_select_as_json(endpoint):
    status, headers, body = get(endpoint, MEMBERS)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    names = [b["name"]["value"] for b in data["results"]["bindings"]]
    assert "徐州市" in names and len(names) == 10
    assert data["results"]["bindings"][0]["name"]["xml:lang"] == "zh"


@pytest.mark.parametrize("accept,fmt", [
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_select_formats_by_accept(endpoint, accept, fmt):
    status, headers, body = get(endpoint, MEMBERS, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    rows = list(ox.parse_query_results(body, format=fmt))
    assert ox.Literal("徐州市", language="zh") in [r["name"] for r in rows]


def test_select_as_csv(endpoint):
    status, headers, body = get(endpoint, MEMBERS, "text/csv")
    assert headers["Content-Type"].startswith("text/csv")
    lines = body.decode("utf-8").split("\r\n")
    assert lines[0] == "name" and "徐州市" in lines


def test_post_form_and_direct(endpoint):
    status, _, body = post_form(endpoint, query="ASK { ?p a hh:Project }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = http(endpoint, data="ASK { ?p a hh:Nothing }".encode(),
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": "application/sparql-results+xml"})
    assert status == 200 and b"<boolean>false</boolean>" in body


@pytest.mark.parametrize("accept,rdf_format", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
])
def test_construct_and_describe(endpoint, accept, rdf_format):
    import rdflib

    q = "CONSTRUCT { ?p hh:investment ?v } WHERE { ?p hh:investment ?v }"
    status, headers, body = get(endpoint, q, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    g = rdflib.Graph().parse(data=body, format=rdf_format)
    assert len(g) == 2
    status, _, body = get(endpoint, "DESCRIBE <https://huaihai-kg.org/id/place/320300>", accept)
    assert len(rdflib.Graph().parse(data=body, format=rdf_format)) > 5


def test_updates_are_refused_when_read_only(endpoint):
    status, _, body = post_form(endpoint, update="INSERT DATA { <x:a> <x:b> <x:c> }")
    assert status == 403 and b"--allow-update" in body
    status, _, _ = http(endpoint, data=b"DROP ALL",
                        headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = get(endpoint, "DROP ALL")  # an update as a query: say so, not "expected"
    assert status == 400 and body.decode().startswith("a query request runs read-only queries")
    assert b"SPARQL Update (DROP); POST it as update=" in body and b"expected" not in body
    assert json.loads(get(endpoint, "ASK { ?p a hh:Project }")[2])["boolean"] is True


@pytest.mark.parametrize("request_args,status,message", [
    ((), 400, b"bad SPARQL query"),
    ((("Accept", "image/png"),), 406, b"cannot answer"),
])
def test_bad_requests_get_a_message(endpoint, request_args, status, message):
    query = "SELECT * WHERE { ?s ?p }" if status == 400 else "ASK {}"
    code, _, body = get(endpoint, query, dict(request_args).get("Accept"))
    assert code == status and message in body


def test_wrong_path_and_content_type(endpoint):
    base = endpoint.rsplit("/", 1)[0]
    assert http(base + "/elsewhere")[0] == 404
    assert http(endpoint, data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_results_are_capped(endpoint):
    status, headers, body = get(endpoint, "SELECT ?s WHERE { ?s a hh:County }")
    assert status == 200 and headers["X-SPARQL-MaxRows"] == "50"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_a_heavy_query_times_out_and_the_server_goes_on(endpoint):
    status, _, body = get(endpoint, HEAVY)
    assert status == 503 and b"limit" in body
    status, _, body = get(endpoint, "ASK { ?p a hh:Project }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_concurrent_clients(endpoint):
    answers, errors = [], []

    def client():
        try:
            for _ in range(3):
                status, _, body = get(endpoint, MEMBERS)
                answers.append((status, len(json.loads(body)["results"]["bindings"])))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert answers == [(200, 10)] * 24


def test_dataset_by_protocol_parameters(endpoint, hand_extractions):
    from kg import iri

    doc = iri.document(hand_extractions[1].document.sha256)
    q = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a hh:Document }"
    assert json.loads(get(endpoint, q)[2])["results"]["bindings"][0]["n"]["value"] == "2"
    body = get(endpoint, q, **{"default-graph-uri": doc})[2]
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"


# -- real clients -----------------------------------------------------------------------------

def test_sparqlwrapper(endpoint):
    from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, XML, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery("PREFIX hh: <https://huaihai-kg.org/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + MEMBERS)
    sw.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in sw.queryAndConvert()["results"]["bindings"]]
    assert "连云港市" in names
    sw.setMethod(POST)
    sw.setRequestMethod(POSTDIRECTLY)
    sw.setReturnFormat(XML)
    doc = sw.queryAndConvert()
    assert "徐州市" in [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    sw.setReturnFormat(CSV)
    assert "徐州市" in sw.queryAndConvert().decode("utf-8")


def test_sparqlwrapper_construct(endpoint):
    from SPARQLWrapper import JSONLD, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery("CONSTRUCT WHERE { ?p <https://huaihai-kg.org/ontology#investment> ?v }")
    sw.setReturnFormat(JSONLD)
    assert len(sw.queryAndConvert()) == 2
    sw.setReturnFormat(TURTLE)
    assert b"investment" in sw.queryAndConvert()


def test_rdflib_sparqlstore(endpoint):
    from rdflib import Graph, Literal
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(endpoint))
    rows = list(g.query("PREFIX hh: <https://huaihai-kg.org/ontology#> "
                        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + MEMBERS))
    assert Literal("徐州市", lang="zh") in [r[0] for r in rows]
    result = g.query("CONSTRUCT WHERE { ?p <https://huaihai-kg.org/ontology#investment> ?v }")
    assert len(result.graph) == 2


def test_named_queries_answer_as_locally(endpoint, hand_graph):
    remote = RemoteEndpoint(endpoint)
    for name, params in [("projects-in-city", {"city": "徐州"}),
                         ("evidence", {"subject": "徐连高铁"}),
                         ("not-linked-by-hsr", {"mode": "BusLine"})]:
        there = run_named(remote, name, params).records()
        here = run_named(hand_graph, name, params).records()
        for row in there + here:
            row.pop("extracted", None)  # the two graphs were extracted at different times
        assert there == here


# -- with updates allowed ---------------------------------------------------------------------

def test_updates_to_a_temporary_copy_are_announced(hand_graph_files):
    """--allow-update over a graph file serves a temporary store: the user is told that the
    updates go when the server does (a store folder keeps them: no such line)."""
    from kg.serve import _startup_lines, make_server

    for graph, warned in ((hand_graph_files / "graph.trig", True),
                          (hand_graph_files / "store", False)):
        server = make_server(graph, port=0, allow_update=True, workers=1, quiet=True)
        try:
            lines = _startup_lines(server, "127.0.0.1", True, 30.0, 10000)
        finally:
            server.close()
        assert lines[0].startswith("kg serve: %s at %s (updates allowed" % (graph, server.url))
        assert any("temporary copy: updates are lost when the server stops" in line
                   for line in lines) is warned, lines


def test_updates_when_allowed(update_endpoint):
    q = "ASK { <https://example.org/a> <https://example.org/p> 'v' }"
    assert json.loads(get(update_endpoint, q)[2])["boolean"] is False
    status, _, _ = post_form(update_endpoint, update="INSERT DATA { GRAPH <https://example.org/g> "
                             "{ <https://example.org/a> <https://example.org/p> 'v' } }")
    assert status == 204
    assert json.loads(get(update_endpoint, q)[2])["boolean"] is True
    status, _, _ = http(update_endpoint, data=b"DROP GRAPH <https://example.org/g>",
                        headers={"Content-Type": "application/sparql-update"})
    assert status == 204
    assert json.loads(get(update_endpoint, q)[2])["boolean"] is False
    status, _, body = post_form(update_endpoint, update="INSERT NONSENSE")
    assert status == 400 and b"bad SPARQL Update" in body


# -- the pieces, without a server -------------------------------------------------------------

@pytest.mark.parametrize("host,port,message", [
    ("256.1.1.1", 0, "--host 256.1.1.1 (Name or service not known): it is neither an IP"),
    ("192.0.2.1", 0, "--host 192.0.2.1 (Cannot assign requested address): it is not an "
                     "address of this machine"),
    ("127.0.0.1", None, "(Address already in use); choose another --port"),
])
def test_a_bad_host_is_told_from_a_busy_port(hand_graph_files, host, port, message):
    import socket

    from kg.errors import ServerError
    from kg.serve import make_server

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(ServerError) as err:
            make_server(hand_graph_files / "store", host=host, workers=1,
                        port=busy.getsockname()[1] if port is None else port)
    assert message in str(err.value)
    assert ("--port" in str(err.value)) == (port is None)


def test_a_build_folder_serves_its_store(hand_graph_files):
    from kg.serve import make_server

    server = make_server(hand_graph_files, port=0, workers=1)
    try:
        assert server.label == str(hand_graph_files / "store")
    finally:
        server.close()


@pytest.mark.parametrize("kind,accept,expected", [
    ("select", None, "json"), ("select", "*/*", "json"), ("select", "text/csv", "csv"),
    ("select", "application/json", "json"), ("select", "text/csv;q=0.5, application/"
                                             "sparql-results+xml", "xml"),
    ("ask", "application/sparql-results+xml", "xml"), ("graph", None, "ttl"),
    ("graph", "application/rdf+xml", "rdfxml"), ("graph", "text/*", "ttl"),
    ("graph", "application/sparql-results+json", None), ("select", "text/turtle", None),
])
def test_negotiate(kind, accept, expected):
    assert negotiate(kind, accept) == expected


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_serialised_results_round_trip(fmt):
    rows = [(ox.NamedNode("https://huaihai-kg.org/id/place/320300"),
             ox.Literal("徐州 \"彭城\"\n<&>", language="zh")),
            (ox.BlankNode("b0"), ox.Literal("8000000000", datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#decimal"))),
            (None, ox.Literal("a,b"))]
    body = serialize_solutions(["s", "o"], rows, fmt)
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    back = [tuple(r[i] for i in range(2)) for r in parsed]
    assert [r[1] for r in back] == [r[1] for r in rows]
    assert back[0][0] == rows[0][0] and back[2][0] is None
    assert bool(ox.parse_query_results(serialize_boolean(True, fmt if fmt != "tsv" else "json"),
                                       format=ox.QueryResultsFormat.JSON
                                       if fmt == "tsv" else getattr(ox.QueryResultsFormat,
                                                                    fmt.upper())))
