"""kg.analyze: measures on small graphs with answers known by hand, projections that keep
relation types, and ``kg analyze`` / ``kg export`` end to end."""
import csv
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze import (AnalysisError, PlaceNotFound, analyze, articulation_points, bridges,
                        centrality, city_cooperation, communities, components,
                        cooperation_network, critical_links, cut_off, export_bytes,
                        graphml_safe, hops_from, industry_graph, industry_projection,
                        industry_similarity, load_graph, place_network, province_matrix,
                        resolve_place, shortest_path, subnetwork, write_report)
from kg.analyze.report import FIGURES, to_json
from kg.cli import cli
from kg.model import Document, Entity, Extraction, Relation

XUZHOU, SUQIAN, LYG, HUAIBEI, SUZHOU_AH = "320300", "321300", "320700", "340600", "341300"
ZONE = {"320300", "320700", "321300", "341300", "340600", "411400", "370400", "370800",
        "371300", "371700"}


def _line(G, key, places, mode="HighSpeedRail", status="Opened"):
    """Add a link serving ``places`` as every pair of them, as the projection does."""
    for i, a in enumerate(places):
        for b in places[i + 1:]:
            G.add_edge(a, b, key=key, link=key, label=key, mode=mode, status=status)


# -- measures on graphs known by hand -------------------------------------------------------

@pytest.fixture
def chain():
    G = nx.MultiGraph()
    for a, b in [("徐州", "宿迁"), ("宿迁", "淮安"), ("淮安", "盐城")]:
        _line(G, a + b, [a, b])
    return G


@pytest.fixture
def star():
    G = nx.MultiGraph()
    for leaf in ("连云港", "宿迁", "淮北", "商丘"):
        _line(G, "徐州" + leaf, ["徐州", leaf], mode="Expressway")
    return G


@pytest.fixture
def one_bridge():
    """Two triangles, 徐州–宿迁–淮北 and 临沂–日照–济宁, joined by the one link 徐州–临沂."""
    G = nx.MultiGraph()
    for a, b in [("徐州", "宿迁"), ("宿迁", "淮北"), ("淮北", "徐州"),
                 ("临沂", "日照"), ("日照", "济宁"), ("济宁", "临沂")]:
        _line(G, a + b, [a, b])
    _line(G, "徐临", ["徐州", "临沂"], mode="Expressway")
    return G


def test_chain_centrality(chain):
    c = centrality(chain)
    # 4 nodes: the inner two each lie on 2 of the 3 pairs not involving them
    assert c["宿迁"]["betweenness"] == pytest.approx(2 / 3)
    assert c["淮安"]["betweenness"] == pytest.approx(2 / 3)
    assert c["徐州"]["betweenness"] == 0
    assert c["徐州"]["degree"] == pytest.approx(1 / 3)
    assert c["宿迁"]["neighbours"] == 2 and c["宿迁"]["links"] == 2
    assert c["徐州"]["closeness"] == pytest.approx(3 / (1 + 2 + 3))
    assert c["宿迁"]["closeness"] == pytest.approx(3 / (1 + 1 + 2))


def test_chain_paths_and_hops(chain):
    p = shortest_path(chain, "徐州", "盐城")
    assert p["places"] == ["徐州", "宿迁", "淮安", "盐城"] and p["hops"] == 3
    assert [leg["links"] for leg in p["legs"]] == [["徐州宿迁"], ["宿迁淮安"], ["淮安盐城"]]
    assert hops_from(chain, "徐州") == {"徐州": 0, "宿迁": 1, "淮安": 2, "盐城": 3}
    assert shortest_path(chain, "徐州", "盐城", modes="Expressway") is None


def test_chain_every_link_is_a_bridge(chain):
    assert {(b["u"], b["v"]) for b in bridges(chain)} == {("宿迁", "淮安"), ("宿迁", "徐州"),
                                                          ("淮安", "盐城")}
    assert [a["place"] for a in articulation_points(chain)] == ["宿迁", "淮安"]
    assert {c["label"] for c in critical_links(chain)} == {"徐州宿迁", "宿迁淮安", "淮安盐城"}


def test_star(star):
    c = centrality(star)
    assert c["徐州"]["betweenness"] == 1.0 and c["徐州"]["degree"] == 1.0
    assert all(c[leaf]["betweenness"] == 0 for leaf in ("连云港", "宿迁", "淮北", "商丘"))
    assert articulation_points(star) == [
        {"place": "徐州", "separated": ["商丘", "宿迁", "淮北", "连云港"]}]
    assert len(bridges(star)) == 4
    assert components(star) == [["商丘", "宿迁", "徐州", "淮北", "连云港"]]


def test_one_bridge(one_bridge):
    assert bridges(one_bridge) == [{"u": "临沂", "v": "徐州", "link": "徐临", "label": "徐临",
                                    "mode": "Expressway"}]
    assert [a["place"] for a in articulation_points(one_bridge)] == ["临沂", "徐州"]
    crit = critical_links(one_bridge)
    assert [c["label"] for c in crit] == ["徐临"]
    # two halves of equal size: neither is "the network", both count as separated
    assert crit[0]["separated"] == ["临沂", "宿迁", "徐州", "日照", "济宁", "淮北"]
    assert communities(one_bridge, seed=1) == [["临沂", "日照", "济宁"], ["宿迁", "徐州", "淮北"]]
    assert len(components(one_bridge, modes="HighSpeedRail")) == 2


def test_parallel_links_are_not_bridges(one_bridge):
    _line(one_bridge, "徐临铁路", ["徐州", "临沂"], mode="Railway")
    assert bridges(one_bridge) == []
    assert critical_links(one_bridge) == []
    assert [a["place"] for a in articulation_points(one_bridge)] == ["临沂", "徐州"]


def test_a_line_is_critical_as_a_whole_even_without_bridges():
    G = nx.MultiGraph()
    _line(G, "徐宿淮盐铁路", ["徐州", "宿迁", "淮安", "盐城"])
    _line(G, "徐连高铁", ["徐州", "连云港"])
    _line(G, "连盐铁路", ["连云港", "盐城"], mode="Railway")
    assert bridges(G) == []
    crit = critical_links(G)
    assert [c["label"] for c in crit] == ["徐宿淮盐铁路"]
    assert crit[0]["separated"] == ["宿迁", "淮安"]


@pytest.fixture
def zone_modes():
    """徐州 reaches 淮北 only by expressway, 宿州 only by a planned railway."""
    G = nx.MultiGraph()
    G.add_nodes_from(["徐州", "连云港", "淮北", "宿州", "菏泽"], member=True)
    G.add_node("淮安", member=False)
    _line(G, "徐连高铁", ["徐州", "连云港"])
    _line(G, "连淮铁路", ["连云港", "淮安"], mode="Railway")
    _line(G, "徐淮高速", ["徐州", "淮北"], mode="Expressway")
    _line(G, "徐宿城际", ["徐州", "宿州"], mode="Railway", status="Planned")
    return G


def test_cut_off_by_mode_and_status(zone_modes):
    assert cut_off(zone_modes, "徐州") == ["菏泽"]
    assert cut_off(zone_modes, "徐州", modes="HighSpeedRail") == ["宿州", "淮北", "菏泽"]
    assert cut_off(zone_modes, "徐州", modes="rail") == ["淮北", "菏泽"]
    assert cut_off(zone_modes, "徐州", modes="rail", statuses=["Opened"]) == ["宿州", "淮北",
                                                                            "菏泽"]
    assert cut_off(zone_modes, "徐州", statuses=["Opened"]) == ["宿州", "菏泽"]
    assert cut_off(zone_modes, "徐州", modes="Expressway", members=["淮北", "连云港"]) == [
        "连云港"]


def test_subnetwork_filters_and_keeps_nodes(zone_modes):
    H = subnetwork(zone_modes, modes=["Expressway"])
    assert sorted(H) == ["徐州", "淮北"]
    H = subnetwork(zone_modes, modes=["Expressway"], keep_nodes=True)
    assert len(H) == len(zone_modes) and H.number_of_edges() == 1


def test_per_mode_centrality_measures_only_that_mode(zone_modes):
    c = centrality(zone_modes, modes="HighSpeedRail")
    assert sorted(c) == ["徐州", "连云港"]
    assert centrality(zone_modes, modes="BusLine") == {}
    assert centrality(zone_modes)["菏泽"]["degree"] == 0


def test_sampled_estimates_match_exact_when_every_node_is_sampled():
    G = nx.MultiGraph(nx.path_graph(12))
    G.add_edge(20, 21)                      # a second component
    exact = centrality(G)
    sampled = centrality(G, exact_limit=3, k=len(G))
    for v in G:
        assert sampled[v]["betweenness"] == pytest.approx(exact[v]["betweenness"])
        assert sampled[v]["closeness"] == pytest.approx(exact[v]["closeness"])


def test_sampled_estimates_are_reproducible():
    G = nx.MultiGraph(nx.gnm_random_graph(300, 900, seed=3))
    a = centrality(G, exact_limit=50, k=40, seed=7)
    b = centrality(G, exact_limit=50, k=40, seed=7)
    assert a == b
    assert all(0 <= m["betweenness"] <= 1 and 0 <= m["closeness"] <= 1 for m in a.values())


def test_province_matrix_counts_links_once_per_pair():
    G = nx.MultiGraph()
    for n, p in [("徐州", "320000"), ("宿迁", "320000"), ("商丘", "410000"), ("临沂", "370000")]:
        G.add_node(n, province=p, province_label={"320000": "江苏省", "410000": "河南省",
                                                  "370000": "山东省"}[p])
    _line(G, "陇海铁路", ["徐州", "宿迁", "商丘"], mode="Railway")
    _line(G, "郑徐高铁", ["徐州", "商丘"])
    m = province_matrix(G)
    assert m["provinces"] == ["320000", "370000", "410000"]
    assert m["matrix"] == [[1, 0, 2], [0, 0, 0], [2, 0, 0]]
    assert province_matrix(G, modes="HighSpeedRail")["matrix"][0][2] == 1


def test_resolve_place_by_code_name_and_error():
    G = nx.MultiGraph()
    G.add_node("320300", label="徐州市", code="320300")
    assert resolve_place(G, "徐州") == resolve_place(G, "徐州市") == "320300"
    with pytest.raises(PlaceNotFound, match="no place '苏州'"):
        resolve_place(G, "苏州")
    assert issubclass(PlaceNotFound, AnalysisError)


def test_resolve_place_by_the_gazetteers_aliases_and_abbreviations():
    G = nx.MultiGraph()
    for code, label in [(XUZHOU, "徐州市"), (LYG, "连云港市"), (SUQIAN, "宿迁市"),
                        (SUZHOU_AH, "宿州市")]:
        G.add_node(code, label=label, code=code, level="prefecture")
    _line(G, "徐连高铁", [XUZHOU, LYG])
    assert resolve_place(G, "彭城") == resolve_place(G, "徐") == XUZHOU
    assert resolve_place(G, "铜山") == resolve_place(G, "睢宁县") == XUZHOU  # counties folded
    assert hops_from(G, "港城") == {LYG: 0, XUZHOU: 1}
    with pytest.raises(AnalysisError, match="'宿' names 2 places of the network: "
                                            "321300 宿迁市, 341300 宿州市; give one of these codes"):
        resolve_place(G, "宿")


def test_industry_similarity_is_jaccard():
    B = nx.Graph()
    B.add_nodes_from(["徐州", "宿迁", "临沂"], bipartite=0)
    B.add_nodes_from(["工程机械", "白酒", "物流", "光伏"], bipartite=1)
    B.add_edges_from([("徐州", "工程机械"), ("徐州", "物流"), ("徐州", "光伏"),
                      ("宿迁", "物流"), ("宿迁", "光伏"), ("临沂", "白酒")])
    assert industry_similarity(B) == [{"u": "宿迁", "v": "徐州", "jaccard": pytest.approx(2 / 3),
                                       "shared": ["光伏", "物流"]}]
    P = industry_projection(B)
    assert P.edges["宿迁", "徐州"]["relation"] == "sharesIndustry"
    assert P.edges["宿迁", "徐州"]["weight"] == 2 and "临沂" in P and P.degree("临沂") == 0


# -- projections from a KnowledgeGraph fed with hand-made extractions -----------------------

TEXT1 = ("徐宿城际公交今日开通,连接徐州和宿迁。徐宿共建产业园位于宿迁,由徐州牵头建设,"
         "主导产业为工程机械。宿迁市发展白酒和现代物流产业。徐州与宿迁签署合作协议。")
TEXT2 = ("《淮海经济区协同发展规划》适用于淮海经济区。淮海经济区城市联盟由徐州牵头,连云港加入。"
         "徐州发展现代物流。铜山至连云港的快速路正在建设,连接铜山区和连云港。")


def _ex(text, doc_id, entities, relations):
    def rel(h, r, t):
        start = text.index(h if h in text else t)
        return Relation(h, r, t, evidence=text, start=start, end=start + 5, rule="hand")

    return Extraction(Document(id=doc_id, text=text), entities=entities,
                      relations=[rel(*r) for r in relations])


@pytest.fixture(scope="module")
def hand_kg():
    from kg import KnowledgeGraph

    kg = KnowledgeGraph()
    cities = [Entity("City", "徐州", code=XUZHOU), Entity("City", "宿迁", code=SUQIAN),
              Entity("City", "连云港", code=LYG)]
    kg.add_extraction(_ex(TEXT1, "one.txt", cities + [
        Entity("Infrastructure", "徐宿城际公交", kind="BusLine", status="Opened"),
        Entity("ParkZone", "徐宿共建产业园"), Entity("Industry", "工程机械"),
        Entity("Industry", "白酒"), Entity("Industry", "现代物流"),
    ], [("徐宿城际公交", "connects", "徐州"), ("徐宿城际公交", "connects", "宿迁"),
        ("徐宿共建产业园", "locatedIn", "宿迁"), ("徐州", "leads", "徐宿共建产业园"),
        ("徐宿共建产业园", "hasIndustry", "工程机械"), ("宿迁", "hasIndustry", "白酒"),
        ("宿迁", "hasIndustry", "现代物流"), ("徐州", "cooperatesWith", "宿迁")]))
    kg.add_extraction(_ex(TEXT2, "two.txt", cities + [
        Entity("City", "铜山区", code="320312"),
        Entity("Region", "淮海经济区"), Entity("Agreement", "淮海经济区协同发展规划", kind="Plan"),
        Entity("Organization", "淮海经济区城市联盟", kind="Alliance"),
        Entity("Industry", "现代物流"),
        Entity("Infrastructure", "铜连快速路", kind="Road", status="UnderConstruction"),
    ], [("淮海经济区协同发展规划", "appliesTo", "淮海经济区"),
        ("徐州", "leads", "淮海经济区城市联盟"), ("连云港", "memberOf", "淮海经济区城市联盟"),
        ("徐州", "hasIndustry", "现代物流"),
        ("铜连快速路", "connects", "铜山区"), ("铜连快速路", "connects", "连云港")]))
    return kg


def test_place_network_keeps_modes_statuses_and_evidence(hand_kg):
    G = place_network(hand_kg)
    assert ZONE <= set(G)
    bus = G.get_edge_data(XUZHOU, SUQIAN)
    bus_key = next(k for k, d in bus.items() if d["label"] == "徐宿城际公交")
    d = bus[bus_key]
    assert (d["mode"], d["relation"], d["status"]) == ("BusLine", "connects", "Opened")
    assert d["weight"] == 1 and d["documents"] == 1 and d["gazetteer"] is False
    known = G.edges[XUZHOU, LYG, "https://huaihai-kg.org/id/infrastructure/徐连高铁"]
    assert known["gazetteer"] and known["weight"] == 0 and known["opened"] == "2021-02-08"
    road = [d for _u, _v, d in G.edges(data=True) if d["label"] == "铜连快速路"]
    assert len(road) == 1 and road[0]["status"] == "UnderConstruction"
    assert road[0]["mode"] == "Road"
    assert all(d["relation"] in ("connects", "passesThrough") and d["mode"]
               for _u, _v, d in G.edges(data=True))
    node = G.nodes[XUZHOU]
    assert (node["label"], node["province"], node["member"]) == ("徐州市", "320000", True)
    assert "徐州观音国际机场" in node["facilities"]


def test_counties_fold_into_their_city_unless_asked(hand_kg):
    assert "320312" not in place_network(hand_kg)
    G = place_network(hand_kg, fold_counties=False)
    assert G.nodes["320312"]["label"] == "铜山区"
    assert any(d["label"] == "铜连快速路" for d in G.get_edge_data("320312", LYG).values())


def test_industry_graph_direct_and_via_parks(hand_kg):
    B = industry_graph(hand_kg)
    label = {n: B.nodes[n]["label"] for n in B}
    edges = {(label[u], label[v]) if B.nodes[u]["bipartite"] == 0 else (label[v], label[u]): d
             for u, v, d in B.edges(data=True)}
    assert edges[("宿迁市", "工程机械")]["via"] == ["徐宿共建产业园"]
    assert edges[("宿迁市", "工程机械")]["direct"] is False
    assert edges[("宿迁市", "白酒")]["direct"] is True
    assert all(d["relation"] == "hasIndustry" for d in edges.values())
    sim = industry_similarity(B)
    assert [(B.nodes[s["u"]]["label"], B.nodes[s["v"]]["label"]) for s in sim] == [
        ("徐州市", "宿迁市")]
    assert sim[0]["jaccard"] == pytest.approx(1 / 3)


def test_cooperation_network_keeps_relations(hand_kg):
    C = cooperation_network(hand_kg)
    rels = {(C.nodes[u]["label"], r, C.nodes[v]["label"]) for u, v, r in C.edges(keys=True)}
    assert ("徐州市", "cooperatesWith", "宿迁市") in rels
    assert ("淮海经济区协同发展规划", "appliesTo", "淮海经济区") in rels
    assert ("徐州市", "leads", "淮海经济区城市联盟") in rels
    assert ("连云港市", "memberOf", "淮海经济区城市联盟") in rels
    assert ("徐宿共建产业园", "locatedIn", "宿迁市") in rels
    assert not any(r == "memberOf" and C.nodes[v]["kind"] == "region"
                   for _u, v, r in C.edges(keys=True))
    P = city_cooperation(C)
    via = {(u, v): {d["via_label"] for d in P.get_edge_data(u, v).values()}
           for u, v in P.edges()}
    pair = tuple(sorted((XUZHOU, SUQIAN)))
    assert via[pair] >= {None, "徐宿共建产业园", "淮海经济区协同发展规划"}
    assert "淮海经济区城市联盟" in via[tuple(sorted((XUZHOU, LYG)))]
    # the plan applies to the zone: it binds the ten member cities pairwise
    plan = [(u, v) for u, v, d in P.edges(data=True) if d["via_label"] == "淮海经济区协同发展规划"]
    assert len(plan) == 45


def test_analyze_on_hand_graph(hand_kg, tmp_path):
    result = analyze(hand_kg)
    assert json.loads(to_json(result)) == json.loads(json.dumps(result))
    top = result["centrality"]["all"][0]
    assert top["place"] == XUZHOU
    assert "BusLine" in result["summary"]["views"]
    co = result["cooperation"]
    assert [b["label"] for b in co["joint_parks"]] == ["徐宿共建产业园"]
    assert co["city_pairs"][0]["bindings"] >= 2
    files = write_report(result, tmp_path)
    names = {p.name for p in files}
    assert {"report.md", "analysis.json", "centrality.csv", "province_matrix.csv",
            "cooperation.csv", "industries.csv"} <= names
    for fig in FIGURES:
        assert (tmp_path / fig).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "![Centrality](centrality.png)" in report and "| 徐州市 |" in report
    with open(tmp_path / "centrality.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(v) for v in result["centrality"].values())


def test_analyze_a_graph_without_links(tmp_path):
    import copy

    from kg import KnowledgeGraph, rdf
    from kg.gazetteer import load_gazetteer

    gaz = copy.copy(load_gazetteer())
    gaz.links = []
    kg = KnowledgeGraph(base=False)
    kg.add_quads(rdf.gazetteer_quads(gaz))
    result = analyze(kg)
    assert result["summary"]["places"] == 10 and result["summary"]["links"] == 0
    assert len(result["cut_off"]) == 2 * 9          # every other member, either status
    assert (tmp_path / "report.md") in write_report(result, tmp_path)


def test_figures_without_a_cjk_font_use_codes(hand_kg, tmp_path, monkeypatch):
    from kg.analyze import report

    monkeypatch.setattr(report, "_CJK_FONTS", ())
    write_report(analyze(hand_kg), tmp_path)
    assert (tmp_path / "centrality.png").stat().st_size > 1000


def test_graphml_safe_and_round_trip(hand_kg, tmp_path):
    G = graphml_safe(place_network(hand_kg))
    nx.write_graphml(G, tmp_path / "p.graphml")
    H = nx.read_graphml(tmp_path / "p.graphml", force_multigraph=True)
    modes = {d["mode"] for _u, _v, d in H.edges(data=True)}
    assert {"BusLine", "Road", "HighSpeedRail"} <= modes
    assert H.nodes[XUZHOU]["label"] == "徐州市"
    C = graphml_safe(cooperation_network(hand_kg))
    nx.write_gexf(C, tmp_path / "c.gexf")
    assert {d["relation"] for _u, _v, d in nx.read_gexf(tmp_path / "c.gexf").edges(data=True)} \
        >= {"appliesTo", "leads", "memberOf", "cooperatesWith", "locatedIn"}


# -- the command line -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hand_trig(hand_kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("graph") / "graph.trig"
    hand_kg.save(path)
    return path


def test_cli_analyze_writes_report_json_csv(hand_trig, tmp_path):
    out = tmp_path / "analysis"
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(hand_trig), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote %s" % (out / "report.md") in res.output
    for name in ("report.md", "analysis.json", "centrality.csv", "cut_off.csv") + FIGURES:
        assert (out / name).stat().st_size > 0, name
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(hand_trig), "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.output) == json.loads((out / "analysis.json").read_text("utf-8"))


def test_cli_analyze_errors(hand_trig, tmp_path):
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(tmp_path / "none.trig")])
    assert res.exit_code == 2 and "run `kg build` first" in res.output
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(hand_trig), "--hub", "不存在",
                                   "--format", "json"])
    assert res.exit_code == 2 and "no place '不存在'" in res.output


def test_cli_analyze_hub_by_alias(hand_trig):
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(hand_trig), "--hub", "彭城",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["settings"]["hub_label"] == "徐州市"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "nt", "ttl", "jsonld"])
def test_cli_export(hand_trig, tmp_path, fmt):
    out = tmp_path / ("g." + fmt)
    res = CliRunner().invoke(cli, ["export", "--graph", str(hand_trig), "--format", fmt,
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "graphml":
        G = nx.read_graphml(out, force_multigraph=True)
        assert "BusLine" in {d["mode"] for _u, _v, d in G.edges(data=True)}
    elif fmt == "gexf":
        assert XUZHOU in nx.read_gexf(out)
    else:
        import pyoxigraph as ox

        fmts = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                "jsonld": ox.RdfFormat.JSON_LD}
        triples = list(ox.parse(path=str(out), format=fmts[fmt]))
        assert any(t.object.value == "徐宿城际公交" for t in triples)


def test_export_to_stdout_matches_bytes(hand_trig, hand_kg):
    res = CliRunner().invoke(cli, ["export", "--graph", str(hand_trig), "--format", "graphml",
                                   "--network", "industry"])
    assert res.exit_code == 0
    assert res.stdout_bytes == export_bytes(load_graph(hand_trig), "graphml",
                                            network="industry")


# -- the sample corpus ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory):
    from kg.build import build, default_inputs

    if not default_inputs()[0].is_dir():
        pytest.skip("the sample corpus (data/corpus) is not there")
    out = tmp_path_factory.mktemp("sample")
    build(None, out, page=False)
    return out / "graph.trig"


def test_the_readmes_analysis_session_prints_what_it_shows(sample_graph, tmp_path,
                                                            monkeypatch):
    """The README's ``>>>`` session (kg.analyze on the sample corpus) run as a doctest: its
    figures stay those the code prints."""
    import doctest
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(>>> .*?)```", readme, re.S)
    assert blocks, "the README has no >>> session"
    (tmp_path / "build").mkdir()  # the session reads "build/graph.trig": this graph
    (tmp_path / "build" / "graph.trig").write_bytes(sample_graph.read_bytes())
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert runner.failures == 0, "a README example printed something else (see above)"


def test_kg_analyze_on_the_sample_corpus(sample_graph, tmp_path):
    out = tmp_path / "analysis"
    res = CliRunner().invoke(cli, ["analyze", "--graph", str(sample_graph), "-o", str(out)])
    assert res.exit_code == 0, res.output
    for name in ("report.md", "analysis.json", "centrality.csv", "province_matrix.csv",
                 "links.csv") + FIGURES:
        assert (out / name).stat().st_size > 0, name
    result = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert result["settings"]["hub_label"] == "徐州市"
    assert result["summary"]["places"] >= 10 and result["summary"]["links"] >= 10
    assert result["centrality"]["all"][0]["betweenness"] > 0
    assert "## Who is cut off from 徐州市" in (out / "report.md").read_text(encoding="utf-8")
