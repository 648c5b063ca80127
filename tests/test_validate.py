"""kg.validate: SHACL over the graph, readable results, warnings that do not fail, kg validate."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Extraction, Relation
from kg.validate import validate


def _one_place_line():
    text = "徐连高铁今日开通，连接徐州。"
    return Extraction(Document(id="line.txt", text=text),
                      entities=[Entity("Infrastructure", "某新高铁", kind="HighSpeedRail")],
                      relations=[Relation("某新高铁", "connects", "徐州", evidence=text, start=0,
                                          end=len(text), rule="hand")])


def _bad_project():
    text = "某项目总投资10亿元，一期投资5亿元。"
    return Extraction(Document(id="bad.txt", text=text),
                      entities=[Entity("Project", "某项目")],
                      relations=[Relation("某项目", "investment", {"value": v, "unit": "CNY"},
                                          evidence=text, start=0, end=len(text), rule="hand")
                                 for v in (1e9, 5e8)]
                      + [Relation("某项目", "opened", "2024", evidence="某项目", start=3, end=1,
                                  rule="hand")])


@pytest.fixture(scope="module")
def good_report(hand_extractions):
    graph = KnowledgeGraph()
    for ext in hand_extractions + [_one_place_line()]:
        graph.add_extraction(ext)
    return validate(graph)


@pytest.fixture(scope="module")
def bad_graph():
    graph = KnowledgeGraph(base=False)
    graph.add_extraction(_bad_project())
    return graph


def test_the_hand_made_graph_conforms(good_report):
    assert good_report.conforms
    assert good_report.violations == []
    assert good_report.triples > 40000


def test_a_line_with_one_place_is_a_warning_only(good_report):
    [warning] = [w for w in good_report.warnings if w.label == "某新高铁"]
    assert warning.severity == "Warning"
    assert "at least two places" in warning.message
    assert str(warning).startswith("Warning: 某新高铁 (hhr:infrastructure/")


def test_violations_are_readable(bad_graph):
    report = validate(bad_graph)
    assert not report.conforms
    messages = [str(v) for v in report.violations]
    assert any(m.startswith("Violation: 某项目 (hhr:project/某项目) hh:investment")
               and "at most one hh:investment" in m for m in messages)
    assert any("hh:startOffset" in m for m in messages)
    text = report.text(limit=1)
    assert text.splitlines()[0].startswith("does NOT conform: %d violations"
                                           % len(report.violations))
    assert "more violations" in text
    assert all(r.to_json()["severity"] == "Violation" for r in report.violations)


def test_rdfs_inference_is_an_option(bad_graph):
    report = validate(bad_graph, inference="rdfs")
    assert any("at most one hh:investment" in v.message for v in report.violations)
    with pytest.raises(StoreError, match="inference"):
        validate(bad_graph, inference="owl")


def test_validate_an_rdflib_graph_or_a_file(bad_graph, tmp_path):
    path = bad_graph.save(tmp_path / "bad.trig")
    assert not validate(path).conforms
    assert not validate(bad_graph.rdflib(union=True)).conforms


def test_kg_validate_exit_codes(hand_graph_files, bad_graph, tmp_path):
    ok = CliRunner().invoke(cli, ["validate", "--graph", str(hand_graph_files / "store")])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("conforms: 0 violations")
    bad = bad_graph.save(tmp_path / "bad.nq")
    result = CliRunner().invoke(cli, ["validate", "--graph", str(bad)])
    assert result.exit_code == 1
    assert "Violation: 某项目 (hhr:project/某项目)" in result.output
    result = CliRunner().invoke(cli, ["validate", "--graph", str(bad), "--format", "json"])
    data = json.loads(result.output)
    assert data["conforms"] is False and data["results"]


BAD_VALUES = """\
@prefix hh: <https://huaihai-kg.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://huaihai-kg.org/id/doc/hand> {
  <https://huaihai-kg.org/id/project/坏项目> a hh:Project ; rdfs:label "坏项目"@zh ;
    hh:investment "八十亿" .
  <https://huaihai-kg.org/id/infrastructure/坏线> a hh:Railway ; rdfs:label "坏线"@zh ;
    hh:connects <https://huaihai-kg.org/id/org/某公司> .
  <https://huaihai-kg.org/id/org/某公司> a hh:Company ; rdfs:label "某公司"@zh .
}
"""


def test_dates_off_the_calendar_are_violations_without_tracebacks(tmp_path, capsys):
    """2021-13-01 as a document's date and 2021-02-30 as an opening: two violations; rdflib's
    tracebacks for literals it cannot convert are not shown (the violations say it)."""
    path = tmp_path / "bad-dates.trig"
    path.write_text(BAD_VALUES.replace(
        'hh:investment "八十亿" .',
        'hh:investment 8000000000.0 .\n  <https://huaihai-kg.org/id/doc/hand> a hh:Document ; '
        'hh:sha256 "%s" ; <http://purl.org/dc/terms/date> '
        '"2021-13-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        '  <https://huaihai-kg.org/id/infrastructure/坏线> hh:opened '
        '"2021-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .' % ("0" * 64)),
        encoding="utf-8")
    values = {r.value for r in validate(path).violations}
    assert {"2021-13-01", "2021-02-30"} <= values
    assert "Traceback" not in capsys.readouterr().err


def test_each_violation_is_said_once_and_names_its_value(tmp_path):
    path = tmp_path / "bad-values.trig"
    path.write_text(BAD_VALUES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--graph", str(path), "--no-warnings"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # "八十亿" is neither an xsd:decimal nor >= 0: two constraints, one message, one line
    assert lines[0].startswith("does NOT conform: 2 violations")
    investment = [line for line in lines if "hh:investment = '八十亿'" in line]
    assert len(investment) == 1 and "坏项目 (hhr:project/坏项目)" in investment[0]
    [connects] = [line for line in lines if "坏线" in line]
    assert "hh:connects|hh:passesThrough = hhr:org/某公司: " in connects
    report = validate(path)
    assert [(r.label, r.value) for r in report.violations] == [
        ("坏线", "https://huaihai-kg.org/id/org/某公司"), ("坏项目", "八十亿")]
    # one text, two datatypes: two values, two lines
    path.write_text(BAD_VALUES.replace('hh:investment "八十亿"', 'hh:investment "八十亿", '
                                       '"八十亿"^^<http://www.w3.org/2001/XMLSchema#token>'),
                    encoding="utf-8")
    assert [r.value for r in validate(path).violations].count("八十亿") == 2
