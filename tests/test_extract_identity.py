"""One thing, one node: the same thing named differently resolves to one entity (also across
documents, through its key), and different things that share a name stay apart."""
import pytest

from kg import rdf


def entity(result, canonical):
    found = [e for e in result.entities if e.canonical == canonical]
    assert found, "no entity %s in %s" % (canonical, [e.canonical for e in result.entities])
    return found[0]


def test_line_named_two_ways_in_one_document(run):
    result = run("徐连高铁即徐州至连云港高速铁路，全长180公里。徐连高铁运营平稳。")
    lines = [e for e in result.entities if e.type == "Infrastructure"]
    assert len(lines) == 1 and lines[0].canonical == "徐连高铁"
    assert "徐州至连云港高速铁路" in lines[0].aliases


@pytest.mark.parametrize("first, second", [
    ("徐州至淮北快速路建成。", "徐淮快速路通车，淮北与徐州往来更便捷。"),
    ("商丘至亳州快速路开工。", "商亳快速路开工。"),
])
def test_unknown_line_has_one_iri_across_documents(run, first, second):
    a = [e for e in run(first).entities if e.type == "Infrastructure"][0]
    b = [e for e in run(second).entities if e.type == "Infrastructure"][0]
    assert rdf.entity_iri(a) == rdf.entity_iri(b)


def test_project_named_two_ways(run):
    result = run("恒达高效光伏电池项目开工。恒达光伏电池项目总投资20亿元。")
    projects = [e for e in result.entities if e.type == "Project"]
    assert len(projects) == 1
    assert {(r.head, r.tail["value"]) for r in result.relations if r.relation == "investment"} \
        == {(projects[0].canonical, 2e9)}


def test_project_key_is_shared_across_documents(run):
    a = entity(run("恒达高效光伏电池项目开工。"), "恒达高效光伏电池项目")
    b = entity(run("恒达光伏电池项目投产。"), "恒达光伏电池项目")
    assert rdf.entity_iri(a) == rdf.entity_iri(b)


def test_park_named_two_ways(run):
    result = run("宿迁高新区全称宿迁高新技术产业开发区。")
    parks = [e for e in result.entities if e.type == "ParkZone"]
    assert len(parks) == 1 and parks[0].canonical == "宿迁高新区"


def test_also_called(run):
    result = run("宿马园区全称宿州马鞍山现代产业园区，由两市合作共建。")
    parks = [e for e in result.entities if e.type == "ParkZone"]
    assert len(parks) == 1
    assert "宿州马鞍山现代产业园区" in parks[0].aliases


def test_nicknames_are_alternative_labels(run):
    result = run("彭城徐州，古称徐州府。")
    xz = entity(result, "徐州")
    assert "彭城" in xz.aliases or xz.text == "彭城"


def test_same_name_different_things_stay_apart(run):
    result = run("淮北大地上，淮北市正加快转型。")
    assert {(e.type, e.canonical) for e in result.entities} >= {("City", "淮北"),
                                                                ("Region", "淮北大地")}
    iris = {rdf.entity_iri(e) for e in result.entities}
    assert len(iris) == len(result.entities)


def test_suzhou_of_anhui_is_not_suzhou_of_jiangsu(run):
    result = run("宿州与苏州开展结对帮扶。")
    assert {e.code for e in result.entities if e.type == "City"} == {"341300", "320500"}
