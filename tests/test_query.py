"""kg.query and the named queries: headers, safe parameters, answers, output formats, CLI."""
from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import iri
from kg.cli import cli
from kg.errors import QueryError
from kg.query import (Param, RemoteEndpoint, bind_values, display_width, format_results,
                      format_table, list_queries, load_query, resolve_param, run_named, run_text,
                      update_keyword)

QUERIES = list_queries()
NEEDED = {"document-facts": {"doc": "xuzhou.txt"}, "search": {"text": "光伏"}}
INJECTION = '徐州" } ; DROP ALL ; #'


def labels(results, column):
    return [r.get(column) for r in results.records()]


# -- the files --------------------------------------------------------------------------------

def test_at_least_twelve_named_queries():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_header_says_what_and_which_parameters(q):
    first = q.text.splitlines()[0]
    assert first.startswith("# ") and first[2:] == q.title
    assert len(q.description) > 30, "say what the query answers"
    for p in q.params:
        assert re.search(r"\?%s\b" % p.name, q.text), "parameter %s unused" % p.name
        assert p.description


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_every_query_parses_and_runs(hand_graph, q):
    results = run_named(hand_graph, q, NEEDED.get(q.name))
    assert results.kind == "select"
    assert results.variables


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_every_query_parses_in_rdflib_too(q):
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(q.text)


# -- answers on the hand-made graph ----------------------------------------------------------

def test_projects_in_city(hand_graph):
    res = run_named(hand_graph, "projects-in-city", {"city": "徐州"})
    [row] = res.records()
    assert row["projectLabel"] == "卓曜高效光伏电池项目"
    assert float(row["investment"]) == 8e9 and float(row["yi"]) == 80
    assert row["industries"] == "光伏"
    res = run_named(hand_graph, "projects-in-city", {"city": "宿迁市"})
    assert labels(res, "projectLabel") == ["宿迁光伏组件项目"]


def test_investment_by_industry_counts_each_project_once(hand_graph):
    [row] = run_named(hand_graph, "investment-by-industry").records()
    assert (row["industryLabel"], row["projects"]) == ("光伏", "2")
    assert float(row["investment"]) == 10e9
    [row] = run_named(hand_graph, "investment-by-industry", {"city": "徐州"}).records()
    assert (row["projects"], float(row["investment"])) == ("1", 8e9)


def test_clusters(hand_graph):
    rows = {(r["relation"], r["memberLabel"]) for r in run_named(hand_graph, "clusters").records()}
    assert {("hasIndustry", "光伏"), ("locatedIn", "徐州市")} <= rows
    assert run_named(hand_graph, "clusters", {"city": "宿迁"}).rows == []


def test_agreements_covering_a_city(hand_graph):
    [row] = run_named(hand_graph, "agreements-covering-city", {"city": "连云港"}).records()
    assert row["agreementLabel"] == "徐宿产业协同发展协议"
    assert row["coversLabel"] == "淮海经济区" and row["how"] == "a region it belongs to"
    assert run_named(hand_graph, "agreements-covering-city", {"city": "南京"}).rows == []


def test_places_linked_to_a_city_by_mode(hand_graph):
    res = run_named(hand_graph, "places-linked-to-city", {"city": "宿迁", "mode": "BusLine"})
    assert [(r["lineLabel"], r["placeLabel"]) for r in res.records()] == [("宿徐城际公交", "徐州市")]
    res = run_named(hand_graph, "places-linked-to-city", {"city": "连云港", "mode": "高速铁路"})
    assert "徐州市" in labels(res, "placeLabel")


def test_cross_province_links(hand_graph):
    assert run_named(hand_graph, "cross-province-links", {"mode": "BusLine"}).rows == []
    for r in run_named(hand_graph, "cross-province-links").records():
        assert int(r["provinces"]) > 1
        names = r["provinceNames"].split("、")
        assert len(names) == int(r["provinces"]) and names == sorted(names)


def test_a_named_querys_lists_come_sorted(hand_graph, tmp_path):
    # SPARQL leaves the order of GROUP_CONCAT to the engine (Oxigraph's varies from run to
    # run): a named query's lists are sorted, so its output is the same text every time
    path = tmp_path / "lists.rq"
    path.write_text('# Lists\nSELECT ?n (GROUP_CONCAT(DISTINCT ?x; separator="、") AS ?xs) '
                    '(GROUP_CONCAT(?x; separator=" ") AS ?all) WHERE {\n'
                    '  VALUES (?n ?x) { (1 "丙") (1 "甲") (1 "乙") (2 "乙") } }\n'
                    'GROUP BY ?n ORDER BY ?n', encoding="utf-8")
    res = run_named(hand_graph, load_query(path))
    assert [(r["n"], r["xs"]) for r in res.records()] == [("1", "丙、乙、甲"), ("2", "乙")]
    # a list without DISTINCT keeps the engine's order (here the order of VALUES)
    assert res.records()[0]["all"] == "丙 甲 乙"


def test_links_between_provinces(hand_graph, hand_extractions):
    from kg.model import Document, Entity, Extraction, Relation

    text = "徐州与宿州开通跨省公交。"
    hand_graph.add_extraction(Extraction(
        Document(id="bus.txt", text=text),
        entities=[Entity("Infrastructure", "徐宿跨省公交", kind="BusLine")],
        relations=[Relation("徐宿跨省公交", "connects", t, evidence=text, start=0, end=len(text))
                   for t in ("徐州", "宿州")]))
    res = run_named(hand_graph, "links-between-provinces", {"a": "江苏", "b": "安徽省"})
    rows = {(r["inALabel"], r["relation"], r.get("viaLabel"), r["inBLabel"])
            for r in res.records()}
    assert ("徐州市", "connects", "徐宿跨省公交", "宿州市") in rows
    assert all(r["inA"] != r["inB"] for r in res.records())


def test_member_cities_not_linked_to_the_hub(hand_graph):
    hsr = labels(run_named(hand_graph, "not-linked-by-hsr"), "cityLabel")
    assert "连云港市" not in hsr and "徐州市" not in hsr
    bus = labels(run_named(hand_graph, "not-linked-by-hsr", {"mode": "BusLine"}), "cityLabel")
    assert "宿迁市" not in bus and "连云港市" in bus


def test_evidence_behind_a_fact(hand_graph):
    res = run_named(hand_graph, "evidence", {"subject": "徐连高铁", "predicate": "connects",
                                             "object": "连云港"})
    [row] = res.records()
    assert row["sentence"] == "徐连高铁于2021年2月8日开通，连接徐州和连云港。"
    assert (row["start"], row["end"], row["rule"]) == ("0", "26", "hand")
    assert (row["title"], row["date"], row["source"]) == ("徐州要闻", "2021-02-08", "xuzhou.txt")
    res = run_named(hand_graph, "evidence", {"subject": "卓曜高效光伏电池项目"})
    assert {"12-15 GW", "8000000000"} <= set(labels(res, "objectLabel"))


def test_what_one_document_contributed(hand_graph, hand_extractions):
    sha = hand_extractions[1].document.sha256
    # (the source, the path the file was built from, its sha256's start, its IRI)
    for ref in ("suqian.txt", "news/suqian.txt", sha[:8], iri.document(sha)):
        rows = run_named(hand_graph, "document-facts", {"doc": ref}).records()
        facts = {(r["subjectLabel"], r["relation"], r["objectLabel"]) for r in rows}
        assert ("宿徐城际公交", "connects", "徐州市") in facts
        assert not any(s == "徐连高铁" for s, _, _ in facts)
    for ref in ("missing.txt", "news/xsuqian.txt"):
        with pytest.raises(QueryError, match="no document"):
            run_named(hand_graph, "document-facts", {"doc": ref})


def test_shared_industries(hand_graph):
    [row] = run_named(hand_graph, "shared-industries", {"a": "徐州", "b": "宿迁"}).records()
    assert row["industryLabel"] == "光伏"
    assert "宿迁光伏组件项目" in row["inB"]


def test_openings_timeline(hand_graph):
    res = run_named(hand_graph, "openings-timeline", {"since": "2023"})
    assert ("2023-05", "宿徐城际公交") in [(r["date"], r["thingLabel"]) for r in res.records()]
    dates = labels(run_named(hand_graph, "openings-timeline", {"until": "2021"}), "date")
    assert dates == sorted(dates) and all(d[:4] <= "2021" for d in dates)
    assert "2021-02-08" in dates
    res = run_named(hand_graph, "openings-timeline", {"city": "宿迁", "since": "2023-01"})
    assert labels(res, "thingLabel") == ["宿徐城际公交"]


def test_documents_and_search(hand_graph):
    rows = run_named(hand_graph, "documents").records()
    assert [(r["source"], r["facts"]) for r in rows] == [("xuzhou.txt", "12"), ("suqian.txt", "6")]
    found = labels(run_named(hand_graph, "search", {"text": "光伏"}), "name")
    assert "宿迁光伏组件项目" in found


# -- parameters -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["徐州", "徐州市", "彭城", "320300", "hhr:place/320300",
                                  "<https://huaihai-kg.org/id/place/320300>",
                                  "https://huaihai-kg.org/id/place/320300"])
def test_a_place_by_any_name(hand_graph, name):
    term = resolve_param(hand_graph, Param("city", "place"), name)
    assert term == ox.NamedNode(iri.place("320300"))


def test_an_ambiguous_or_unknown_name_is_an_error(hand_graph):
    with pytest.raises(QueryError, match="names 4 things"):
        resolve_param(hand_graph, Param("city", "place"), "鼓楼区")
    with pytest.raises(QueryError, match="nothing in the graph is called"):
        resolve_param(hand_graph, Param("city", "place"), "不存在市")


def test_a_one_character_abbreviation_names_its_places(hand_graph):
    city = Param("city", "place")
    assert resolve_param(hand_graph, city, "徐") == ox.NamedNode(iri.place("320300"))
    with pytest.raises(QueryError, match="parameter city: '宿' names 2 things: "
                                         ".*place/321300, .*place/341300; give one of"):
        resolve_param(hand_graph, city, "宿")
    # its readings are not ranked: 苏 is 江苏 as much as 苏州
    with pytest.raises(QueryError, match="'苏' names 2 things: .*place/320000, .*place/320500"):
        resolve_param(hand_graph, city, "苏")


@pytest.mark.parametrize("kind,value,expected", [
    ("class", "HighSpeedRail", "https://huaihai-kg.org/ontology#HighSpeedRail"),
    ("class", "高速铁路", "https://huaihai-kg.org/ontology#HighSpeedRail"),
    ("property", "connects", "https://huaihai-kg.org/ontology#connects"),
    ("property", "位于", "https://huaihai-kg.org/ontology#locatedIn"),
    ("entity", "徐连高铁", "https://huaihai-kg.org/id/infrastructure/徐连高铁"),
])
def test_terms_by_name(hand_graph, kind, value, expected):
    assert resolve_param(hand_graph, Param("x", kind), value) == ox.NamedNode(expected)


@pytest.mark.parametrize("kind,value,expected", [
    ("integer", "12", '"12"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("decimal", "8e9", '"8000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    ("date", "2021-02", '"2021-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
    ("string", "https://x.org/", '"https://x.org/"'),
    ("term", "hh:City", "<https://huaihai-kg.org/ontology#City>"),
])
def test_literal_parameters(hand_graph, kind, value, expected):
    assert str(resolve_param(hand_graph, Param("x", kind), value)) == expected


@pytest.mark.parametrize("kind,value,match", [
    ("integer", "12a", "not a whole number"), ("date", "2021年", "not a date"),
    ("date", "2021-13", "not a date"), ("date", "2021-02-30", "not a date"),
    ("class", "Nonsense", "no class named"), ("iri", "徐州", "not an IRI"),
    ("iri", "<http://x.org/a> } DROP ALL { <x>", "not a valid IRI"),
    ("iri", "http://x.org/a> } DROP ALL {", "not a valid IRI"),
])
def test_bad_parameter_values(hand_graph, kind, value, match):
    with pytest.raises(QueryError, match=match):
        resolve_param(hand_graph, Param("x", kind), value)


def test_missing_and_unknown_parameters(hand_graph):
    with pytest.raises(QueryError, match="needs --param doc="):
        run_named(hand_graph, "document-facts")
    with pytest.raises(QueryError, match="no parameter 'town'.*city"):
        run_named(hand_graph, "projects-in-city", {"town": "徐州"})
    with pytest.raises(QueryError, match="no named query 'projects'.*did you mean"):
        run_named(hand_graph, "projects")


def test_injection_through_a_string_parameter_changes_nothing(hand_graph):
    before = set(hand_graph.store)
    res = run_named(hand_graph, "search", {"text": INJECTION})
    assert res.rows == []
    assert set(hand_graph.store) == before
    assert '"徐州\\" } ; DROP ALL ; #"' in res.query
    # the bound query has the same shape as with a harmless value
    harmless = run_named(hand_graph, "search", {"text": "x"}).query
    assert res.query.replace('徐州\\" } ; DROP ALL ; #', "x") == harmless


def test_injection_through_a_place_parameter_is_refused(hand_graph):
    before = len(hand_graph)
    with pytest.raises(QueryError, match="nothing in the graph is called"):
        run_named(hand_graph, "projects-in-city", {"city": INJECTION})
    res = run_text(hand_graph, "SELECT ?c WHERE { ?c rdfs:label ?name }", {"name": INJECTION})
    assert res.rows == [] and len(hand_graph) == before


@pytest.mark.parametrize("query,expected,count", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES", 1),
    ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES", 1),
    ("ASK { ?s ?p ?o }", "ASK { VALUES", 1),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { VALUES", 1),
    ("# a { comment WHERE {\nSELECT * WHERE { ?s ?p '{' }", "SELECT * WHERE { VALUES", 1),
    ("PREFIX where: <http://x/where#>\nSELECT ?where WHERE { ?s where:p ?o }", "WHERE { VALUES",
     1),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "SELECT * WHERE { VALUES", 2),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?x } } }", "SELECT * WHERE { VALUES", 1),
    ('SELECT * WHERE { ?s ?p """WHERE { x""" }', "SELECT * WHERE { VALUES", 1),
])
def test_values_open_the_where_groups(query, expected, count):
    bound = bind_values(query, {"o": ox.Literal("v")})
    assert bound.count("VALUES") == count
    assert bound.startswith(expected) or expected in bound
    ox.Store().query(bound)  # still parses


def test_lines_for_an_optional_parameter():
    q = "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?q ?city .   # if city\n}"
    assert "?city" not in bind_values(q, {})
    assert "?s ?q ?city" in bind_values(q, {"city": ox.NamedNode("http://x.org/c")})


def test_python_values_become_typed_terms(hand_graph):
    from decimal import Decimal

    res = run_text(hand_graph, "SELECT ?p WHERE { ?p hh:investment ?v }",
                   {"v": ox.Literal("2000000000", datatype=ox.NamedNode(
                       "http://www.w3.org/2001/XMLSchema#decimal"))})
    assert len(res.rows) == 1
    rows = hand_graph.query("SELECT ?p WHERE { ?p hh:investment ?v }",
                            {"v": Decimal("2000000000")})
    assert len(rows) == 1


# -- output -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,width", [("徐州", 4), ("abc", 3), ("连云港 Port", 11),
                                        ("ＡＢ", 4), ("é", 1), ("e\u0301", 1), ("", 0)])
def test_display_width(text, width):
    assert display_width(text) == width


def test_table_columns_line_up_with_chinese(hand_graph):
    res = run_named(hand_graph, "documents")
    lines = format_results(res, "table").splitlines()
    header, rule = lines[0], lines[1]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    for line in lines[2:-1]:
        # every column starts at the same display column as in the rule line
        cols = [display_width(line[:i]) for i in range(len(line) + 1)]
        for s in starts[1:]:
            assert s in cols
    assert lines[-1] == "(2 rows)"
    assert display_width(header) <= display_width(rule)


def test_format_table_right_aligns_numbers():
    text = format_table(["城市", "n"], [["徐州", "12"], ["连云港", "3"]], [False, True])
    assert text.splitlines()[3] == "连云港   3"


def test_csv_tsv_and_json(hand_graph):
    res = run_named(hand_graph, "projects-in-city", {"city": "徐州"})
    rows = list(csv.DictReader(io.StringIO(format_results(res, "csv"))))
    assert rows[0]["projectLabel"] == "卓曜高效光伏电池项目"
    assert rows[0]["project"] == iri.entity("Project", "卓曜高效光伏电池项目")
    rows = list(csv.DictReader(io.StringIO(format_results(res, "tsv")), dialect="excel-tab"))
    assert rows[0]["investment"] == "8000000000"
    data = json.loads(format_results(res, "json"))
    assert data[0]["investment"] == 8000000000 and data[0]["yi"] == 80
    assert format_results(run_text(hand_graph, "ASK { ?x a hh:Project }"), "table") == "true"
    turtle = format_results(run_text(hand_graph, "CONSTRUCT WHERE { ?p hh:investment ?v }"))
    assert "hh:investment" in turtle
    with pytest.raises(QueryError, match="unknown format"):
        format_results(res, "xml")


# -- the command line -------------------------------------------------------------------------

@pytest.fixture
def in_build(hand_graph_files, monkeypatch):
    """Run in a folder whose build/ holds what `kg build` writes."""
    monkeypatch.chdir(hand_graph_files.parent)
    return hand_graph_files


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_kg_query_named_with_params(in_build):
    result = run("query", "places-linked-to-city", "--param", "city=宿迁", "-p", "mode=BusLine")
    assert result.exit_code == 0, result.output
    assert "宿徐城际公交" in result.output and "(1 row)" in result.output


@pytest.mark.parametrize("graph", ["store", "graph.trig", "."])  # ".": the build folder itself
def test_kg_query_text_and_file(in_build, tmp_path, graph):
    q = "SELECT ?name WHERE { ?p a hh:Project ; rdfs:label ?name } ORDER BY ?name"
    result = run("query", "-q", q, "--format", "json", "--graph", str(in_build / graph))
    assert json.loads(result.output) == [{"name": "卓曜高效光伏电池项目"}, {"name": "宿迁光伏组件项目"}]
    rq = tmp_path / "mine.rq"
    rq.write_text("# Mine\n# Projects named by a city.\n# param: city (place) — a city\n"
                  "PREFIX hh: <https://huaihai-kg.org/ontology#>\n"
                  "SELECT ?p WHERE { ?p hh:locatedIn ?city }", encoding="utf-8")
    result = run("query", "-f", str(rq), "-p", "city=宿迁", "--format", "csv")
    assert result.output.splitlines() == ["p", iri.entity("Project", "宿迁光伏组件项目")]


def test_kg_query_show_prints_the_bound_query(in_build):
    result = run("query", "search", "-p", "text=" + INJECTION, "--show")
    assert 'VALUES (?text) { ("徐州\\" } ; DROP ALL ; #") }' in result.output


@pytest.mark.parametrize("args,message", [
    (["query", "nope"], "no named query 'nope'"),
    (["query", "projects-in-city", "-p", "city=不存在"], "nothing in the graph is called"),
    (["query", "-q", "SELECT * {"], "bad SPARQL"),
    (["query", "--graph", "missing.trig", "documents"], "does not exist"),
    (["query", "-f", "missing/mine.rq"], "missing/mine.rq does not exist; check the path"),
    (["query", "mine.sparql"], "mine.sparql does not exist"),
    (["query", "-q", "INSERT DATA { <a:b> <a:c> <a:d> }"], "kg query runs read-only queries"),
    (["query", "-q", "PREFIX a: <x:> # all of it\nDROP ALL"], "SPARQL Update (DROP); run it"),
    (["query", "--endpoint", "http://127.0.0.1:9/query", "-q", "CLEAR ALL"],
     "SPARQL Update (CLEAR); POST it to the server's update URL"),
])
def test_kg_query_errors_are_one_line(in_build, args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_kg_query_file_must_be_utf8(in_build, tmp_path):
    query = '# 徐州\nSELECT DISTINCT ?c WHERE { ?c rdfs:label "徐州市"@zh }'
    (tmp_path / "gbk.rq").write_bytes(query.encode("gbk"))
    (tmp_path / "binary.rq").write_bytes(bytes(range(256)))
    for name in ("gbk.rq", "binary.rq"):
        result = CliRunner().invoke(cli, ["query", "-f", str(tmp_path / name)])
        assert result.exit_code == 2
        assert result.output.strip() == ("kg: error: %s is not UTF-8 text (byte %d); save the "
                                         "query as UTF-8" % (tmp_path / name, 2 if name[0] == "g"
                                                             else 128))
    # saved "as UTF-8" by an editor that puts a byte-order mark first: that works
    (tmp_path / "bom.rq").write_bytes(b"\xef\xbb\xbf" + query.encode("utf-8"))
    assert run("query", "-f", str(tmp_path / "bom.rq"), "--format", "csv").output.splitlines() \
        == ["c", "https://huaihai-kg.org/id/place/320300"]


@pytest.mark.parametrize("text,word", [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
    ("\ufeff# a comment\nBASE <x:>\nPREFIX : <y:> prefix hh: <z:>\nwith <g:> delete { ?s ?p ?o } "
     "WHERE { ?s ?p ?o }", "WITH"),
    ("drop all", "DROP"), ("LOAD <http://x/y.ttl>", "LOAD"),
    ("SELECT * { ?s ?p 'DELETE' }", None), ("# INSERT\nASK {}", None),
    ("PREFIX insert: <x:> SELECT * {}", None), ("DESCRIBE <a:b>", None),
])
def test_an_update_is_told_from_a_query(text, word):
    assert update_keyword(text) == word


def test_the_api_says_where_updates_go(hand_graph):
    with pytest.raises(QueryError, match=r"read-only queries.*\(DELETE\).*KnowledgeGraph.update"):
        hand_graph.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match=r"\(DROP\); send it with update\(\)"):
        RemoteEndpoint("http://127.0.0.1:9/query").results("DROP ALL")
    with pytest.raises(QueryError, match="bad SPARQL: error at"):  # a broken query stays one
        hand_graph.query("SELECT * { ?s ?p 'DELETE' ")


def test_kg_query_needs_exactly_one_query(in_build):
    result = CliRunner().invoke(cli, ["query", "documents", "-q", "ASK {}"])
    assert result.exit_code != 0 and "give one of" in result.output


def test_kg_queries_lists_them_all():
    result = run("queries")
    for q in QUERIES:
        assert q.name in result.output and q.title in result.output
    assert "--param city=...  (place, default 徐州)" in result.output
