"""kg.view: pages that work offline, show what the graph holds, and never run its text.

The first half needs no browser. The second opens the pages in headless Chromium
(Selenium, one browser for the module) and checks what a planner would see.
"""
from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest

from kg.errors import InputError, QueryError
from kg.model import Document, Entity, Extraction, Relation
from kg.view import (aggregate, force_positions, geo_positions, graph_page, load_graph,
                     make_page, page_data, script_json, write_page)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PWN_IMG = '"><img src=x onerror="window.__pwned=1">'
PWN_SCRIPT = "<script>window.__pwned=1</script>"


# -- a small graph of our own -----------------------------------------------------------------
def _extractions():
    t1 = "徐连高铁全线通车后，徐州到连云港最快只要五十多分钟。"
    d1 = Document(id="news/xulian.txt", text=t1, title="徐连高铁通车", date="2021-02-08")
    x1 = Extraction(d1, [Entity("Infrastructure", "徐连高铁", kind="HighSpeedRail",
                                status="Opened"),
                         Entity("City", "徐州", code="320300"),
                         Entity("City", "连云港", code="320700")],
                    [Relation("徐连高铁", "connects", "徐州", evidence=t1, start=0, end=len(t1)),
                     Relation("徐连高铁", "connects", "连云港", evidence=t1, start=0,
                              end=len(t1))])
    t2 = "规划建设的徐淮阜城际铁路途经徐州、淮北、宿州，宿迁市与徐州市签约共建园区。"
    d2 = Document(id="news/plan.txt", text=t2, title="城际铁路进入规划", date="2024-01-05")
    x2 = Extraction(d2, [Entity("Infrastructure", "徐淮阜城际铁路", kind="Railway",
                                status="Planned"),
                         Entity("City", "徐州", code="320300"),
                         Entity("City", "淮北", code="340600"),
                         Entity("City", "宿州", code="341300"),
                         Entity("City", "宿迁", code="321300"),
                         Entity("ParkZone", "徐宿共建园区", aliases=["徐宿园"]),
                         Entity("Project", "储能电池项目")],
                    [Relation("徐淮阜城际铁路", "connects", c, evidence=t2)
                     for c in ("徐州", "淮北", "宿州")]
                    + [Relation("宿迁", "cooperatesWith", "徐州", evidence=t2),
                       Relation("徐宿共建园区", "locatedIn", "宿迁", evidence=t2),
                       Relation("储能电池项目", "locatedIn", "徐宿共建园区", evidence=t2),
                       Relation("储能电池项目", "investment", {"value": 3e9, "unit": "CNY"},
                                evidence=t2)])
    # text we did not write, written to hurt
    t3 = PWN_SCRIPT + "联盟在徐州成立。" + PWN_IMG
    d3 = Document(id="evil" + PWN_SCRIPT + ".html", text=t3, title=PWN_SCRIPT + "标题")
    x3 = Extraction(d3, [Entity("Organization", PWN_IMG + "联盟", kind="Alliance",
                                aliases=["<b>别名</b>"]),
                         Entity("City", "徐州", code="320300")],
                    [Relation(PWN_IMG + "联盟", "leads", "徐州", evidence=t3)])
    return [x1, x2, x3]


@pytest.fixture(scope="module")
def graph():
    from kg.graph import KnowledgeGraph

    g = KnowledgeGraph()
    for x in _extractions():
        g.add_extraction(x)
    return g


@pytest.fixture(scope="module")
def pages(graph, tmp_path_factory):
    """The pages the browser tests open, written once."""
    out = tmp_path_factory.mktemp("pages")
    return {"geo": make_page(graph, out / "geo.html"),
            "force": make_page(graph, out / "force.html", layout="force"),
            "focus": make_page(graph, out / "focus.html", focus="彭城", depth=1)}


def synthetic(n_nodes=5000, n_edges=20000, places=400, seed=7):
    """A graph of ``n_nodes`` (``places`` of them with coordinates) and ``n_edges`` links."""
    rnd = random.Random(seed)
    kinds = {"Project": "locatedIn", "Company": "locatedIn", "Organization": "cooperatesWith",
             "Industry": "hasIndustry", "Agreement": "appliesTo", "HighSpeedRail": "connects",
             "Expressway": "connects", "BusLine": "connects"}
    nodes = [{"id": "p%d" % i, "label": "地点%d" % i, "group": "City" if i < 40 else "County",
              "lat": 32.5 + rnd.random() * 3.5, "lon": 115 + rnd.random() * 4.5,
              "city": "p%d" % (i % 40), "province": "p%d" % (i % 4)} for i in range(places)]
    for i in range(places, n_nodes):
        kind = rnd.choice(sorted(kinds))
        nodes.append({"id": "e%d" % i, "label": "实体%d号" % i, "group": kind,
                      "aliases": ["别名%d" % i], "docs": [i % 20],
                      "status": rnd.choice(["Opened", "Planned", "UnderConstruction"])})
    edges, seen = [], set()
    while len(edges) < n_edges:
        a = rnd.randrange(places, n_nodes)
        b = rnd.randrange(places) if rnd.random() < 0.6 else rnd.randrange(places, n_nodes)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        rel = kinds[nodes[a]["group"]]
        edges.append({"from": nodes[a]["id"], "to": nodes[b]["id"], "rel": rel,
                      "type": nodes[a]["group"] if rel == "connects" else rel,
                      "status": nodes[a]["status"],
                      "evidence": [("第%d句：两地合作。" % len(edges), len(edges) % 20)]})
    docs = [{"source": "doc%02d.txt" % i, "title": "文档%d" % i} for i in range(20)]
    return nodes, edges, docs


# -- no browser -------------------------------------------------------------------------------
def test_script_json_cannot_close_the_script_element():
    text = script_json({"s": "</script><!-- & <img>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"s": "</script><!-- & <img>"}


def test_page_is_self_contained(pages):
    html = pages["geo"].path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html and "cdn" not in html.split("<script>")[0].lower()
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html and "sha256-" in html
    assert "WenQuanYi Micro Hei" in html and "Noto Sans CJK SC" in html


def test_text_from_documents_never_appears_as_markup(pages):
    html = pages["geo"].path.read_text(encoding="utf-8")
    assert PWN_SCRIPT not in html and "<img" not in html
    data = "".join(re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html,
                              re.S))
    assert "<" not in data and "\\u003cimg src=x onerror=" in data and "\\u003cb\\u003e" in data


def test_a_title_is_text_too(tmp_path):
    report = write_page([{"id": "a", "label": "徐州"}], [], tmp_path / "t.html", title=PWN_IMG)
    html = report.path.read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=" in html


def test_default_page_shows_documents_entities_and_the_places_they_touch(graph):
    data = page_data(graph)
    labels = {n["label"] for n in data.nodes}
    assert {"徐连高铁", "徐淮阜城际铁路", "徐州市", "连云港市", "宿迁市", "储能电池项目"} <= labels
    assert "阜阳市" in labels          # the gazetteer says the planned line reaches it
    assert len(data.nodes) < 30        # not the 3,213 places of the gazetteer
    kinds = {(e["type"], e.get("status")) for e in data.edges}
    assert ("HighSpeedRail", "Opened") in kinds and ("Railway", "Planned") in kinds
    assert ("cooperatesWith", None) in kinds
    line = next(e for e in data.edges if e["type"] == "HighSpeedRail")
    assert line["evidence"][0][0].startswith("徐连高铁全线通车")
    assert data.docs[line["evidence"][0][1]]["title"] == "徐连高铁通车"
    project = next(n for n in data.nodes if n["label"] == "储能电池项目")
    assert ("投资额 investment", "30 亿元") in project["info"]


def test_focus_and_depth(graph):
    one = page_data(graph, focus="宿迁", depth=1)
    labels = {n["label"] for n in one.nodes}
    assert {"宿迁市", "徐州市", "徐宿共建园区"} <= labels and "储能电池项目" not in labels
    two = page_data(graph, focus="宿迁", depth=2)
    assert "储能电池项目" in {n["label"] for n in two.nodes}
    assert one.focus.endswith("/place/321300")


def test_focus_on_an_unknown_name_says_what_exists(graph):
    with pytest.raises(QueryError, match="no entity named '徐洲'.*徐州市"):
        page_data(graph, focus="徐洲")


@pytest.mark.parametrize("name, match", [
    ("宿", "'宿' names 2 things: .*place/321300, .*place/341300; give one of these IRIs"),
    ("鼓楼区", "'鼓楼区' names 4 things: .*place/320106, .*place/320302"),
])
def test_focus_on_a_name_several_places_share_lists_them(graph, name, match):
    with pytest.raises(QueryError, match="--focus: " + match):
        page_data(graph, focus=name)


def test_focus_prefers_what_the_documents_mention():
    """运河 is an alias of the canal a document mentions and of 运河区 (a county in Hebei):
    the page is the canal's, as a planner reading these documents means it."""
    from kg.graph import KnowledgeGraph

    text = "大运河徐州段航道整治工程开工。"
    g = KnowledgeGraph()
    g.add_extraction(Extraction(Document(id="canal.txt", text=text, date="2024-01-01"),
                                [Entity("WaterBody", "大运河", aliases=["运河"])], []))
    assert page_data(g, focus="运河").focus.endswith("/waterbody/大运河")
    assert page_data(g, focus="运河区").focus.endswith("/place/130903")


def test_focus_reads_names_as_kg_query_does(graph):
    assert page_data(graph, focus="徐").focus.endswith("/place/320300")
    county = page_data(graph, focus="hhr:place/320302")
    assert county.focus.endswith("/place/320302")
    assert [n["label"] for n in county.nodes] == ["鼓楼区"]


@pytest.mark.parametrize("only, expected", [
    (["City"], {"City"}),
    (["Infrastructure"], {"HighSpeedRail", "Railway"}),
    (["铁路,Project"], {"HighSpeedRail", "Railway", "Project"}),
])
def test_only_keeps_classes_and_their_subclasses(graph, only, expected):
    assert {n["group"] for n in page_data(graph, only=only).nodes} == expected


def test_only_an_unknown_class_lists_the_classes(graph):
    with pytest.raises(QueryError, match="'Cty' is not a class; use one of: .*City"):
        page_data(graph, only=["Cty"])


def test_geo_layout_fixes_places_and_puts_the_rest_near_what_they_relate_to():
    nodes = [{"id": "xz", "label": "徐州", "lat": 34.2, "lon": 117.3},
             {"id": "lyg", "label": "连云港", "lat": 34.6, "lon": 119.2},
             {"id": "line", "label": "徐连高铁"}, {"id": "x", "label": "孤立"}]
    edges = [{"from": "line", "to": "xz"}, {"from": "line", "to": "lyg"}]
    pos = geo_positions(nodes, edges)
    assert pos["xz"][0] < pos["line"][0] < pos["lyg"][0]         # between its cities
    assert pos["xz"][1] > pos["lyg"][1]                          # north is up
    assert pos["x"][1] > max(pos["xz"][1], pos["lyg"][1])        # unplaced: under the map
    assert geo_positions(nodes, edges) == pos                    # deterministic


def test_the_map_ends_above_the_entities_with_no_place(tmp_path):
    """Nodes with no coordinates and no placed neighbour go in a grid under the map; the
    page is told where it begins (it draws no graticule there, which would give them
    coordinates), and there is no such line when every node is placed."""
    from kg.view import _geo_layout

    nodes = [{"id": "xz", "label": "徐州", "lat": 34.2, "lon": 117.3},
             {"id": "line", "label": "徐连高铁"}, {"id": "x", "label": "孤立"}]
    edges = [{"from": "line", "to": "xz"}]
    pos, top = _geo_layout(nodes, edges)
    assert max(pos["xz"][1], pos["line"][1]) + 100 < top <= pos["x"][1]
    assert _geo_layout(nodes[:2], edges)[1] is None
    for subset, grid in ((nodes, True), (nodes[:2], False)):
        page = write_page(subset, edges, tmp_path / "p.html").path.read_text(encoding="utf-8")
        assert bool(re.search(r'"gridTop":\d', page)) is grid and ('"gridTop":null' in page) \
            is not grid


def test_force_layout_is_deterministic_and_fast():
    nodes, edges, _ = synthetic()
    started = time.perf_counter()
    pos = force_positions(nodes, edges)
    assert time.perf_counter() - started < 15
    assert len(pos) == len(nodes) and pos == force_positions(nodes, edges)


def test_five_thousand_nodes_are_written_in_seconds(tmp_path):
    nodes, edges, docs = synthetic()
    started = time.perf_counter()
    report = write_page(nodes, edges, tmp_path / "big.html", docs=docs)
    assert time.perf_counter() - started < 15
    assert (report.nodes, report.edges, report.aggregated_by) == (5000, 20000, None)


def test_too_many_nodes_are_aggregated_and_the_page_says_so(tmp_path):
    nodes, edges, docs = synthetic(n_nodes=600, n_edges=1500, places=100)
    report = write_page(nodes, edges, tmp_path / "agg.html", docs=docs, max_nodes=200)
    assert report.aggregated_by == "city" and report.nodes <= 41 and report.total_nodes == 600
    html = report.path.read_text(encoding="utf-8")
    assert "已按城市聚合" in html and "aggregated by city" in html
    groups, links = aggregate(nodes, edges, by="province")
    assert len(groups) <= 5 and sum(g["count"] for g in groups) == 600


def test_graph_page_keeps_its_signature(graph, tmp_path):
    path = graph_page(graph, tmp_path / "graph.html")
    assert path == tmp_path / "graph.html" and path.stat().st_size > 100_000


def test_load_graph_errors(tmp_path):
    with pytest.raises(InputError, match="run `kg build` first"):
        load_graph(tmp_path / "missing.trig")
    bad = tmp_path / "bad.trig"
    bad.write_text("this is not trig", encoding="utf-8")
    with pytest.raises(InputError, match="bad.trig is not valid"):
        load_graph(bad)


def test_cli_view(graph, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    graph.save(tmp_path / "graph.trig")
    out = tmp_path / "xz.html"
    result = CliRunner().invoke(cli, ["view", "--graph", str(tmp_path / "graph.trig"),
                                      "-o", str(out), "--focus", "徐州", "--layout", "force",
                                      "--only", "City", "--only", "Infrastructure"])
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote .*xz\.html: \d+ nodes, \d+ edges, force layout", result.output)
    result = CliRunner().invoke(cli, ["view", "--graph", str(tmp_path / "nope.trig")])
    assert result.exit_code == 2 and "run `kg build` first" in result.output
    result = CliRunner().invoke(cli, ["view", "--graph", str(tmp_path / "graph.trig"),
                                      "-o", str(tmp_path / "su.html"), "--focus", "宿"])
    assert result.exit_code == 2 and not (tmp_path / "su.html").exists()
    assert result.output.startswith("kg: error: --focus: '宿' names 2 things")


# -- in a real browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                    "/usr/bin/chromedriver); .ci/run installs them")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1400,900",
                 "--user-data-dir=%s" % tmp_path_factory.mktemp("chromium-profile")):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def _open(browser, path: Path, timeout: float = 60.0) -> dict:
    """Load a page, wait for its first drawing; its console errors and network requests."""
    browser.get("about:blank")
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(path.resolve().as_uri())
    deadline = time.time() + timeout
    while not browser.execute_script(
            "return !!(window.kgPage && kgPage.firstDraw !== null && kgPage.stabilized !== null)"):
        assert time.time() < deadline, "the page did not draw within %ss" % timeout
        time.sleep(0.05)
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return {"errors": errors, "requests": requests}


def _pwned(browser):
    return browser.execute_script("return window.__pwned")


@pytest.mark.parametrize("name", ["geo", "force", "focus"])
def test_page_loads_offline_without_errors(browser, pages, name):
    seen = _open(browser, pages[name].path)
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').filter("
        "e => !/^(file|data):/.test(e.name)).length") == 0
    drawn = browser.execute_script(
        "return [network.body.data.nodes.length, network.body.nodeIndices.length]")
    assert drawn == [pages[name].nodes, pages[name].nodes]
    assert _pwned(browser) is None


def test_labels_are_chinese_and_fonts_fall_back_to_system_cjk(browser, pages):
    _open(browser, pages["geo"].path)
    face = browser.execute_script("return network.body.nodes[0].options.font.face")
    assert "WenQuanYi Micro Hei" in face
    labels = browser.execute_script(
        "return network.body.data.nodes.get().map(n => n.label)")
    assert "徐州市" in labels and "徐连高铁" in labels


def test_search_finds_a_node_by_alias_and_focuses_it(browser, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages["geo"].path)
    box = browser.find_element(By.ID, "kg-search")
    box.send_keys("彭城")
    suggestions = browser.find_elements(By.CSS_SELECTOR, "#kg-suggest li")
    assert suggestions and "徐州市" in suggestions[0].text
    box.send_keys(Keys.ENTER)
    focused = browser.execute_script(
        "return kgPage.data && network.body.data.nodes.get(kgPage.focused).label")
    assert focused == "徐州市"
    assert browser.execute_script("return network.getSelectedNodes().includes(kgPage.focused)")
    details = browser.find_element(By.ID, "kg-details")
    assert details.is_displayed() and "徐州市" in details.text and "徐连高铁" in details.text


def test_class_filter_hides_nodes_of_a_class(browser, pages):
    from selenium.webdriver.common.by import By

    _open(browser, pages["geo"].path)
    total = pages["geo"].nodes
    cities = browser.execute_script(
        "return network.body.data.nodes.get().filter(n => n.group === 'City').length")
    assert cities >= 5
    browser.find_element(By.CSS_SELECTOR, 'input[data-kind="classes"][data-key="City"]').click()
    assert browser.execute_script("return network.body.data.nodes.length") == total - cities
    assert browser.execute_script("return network.body.nodeIndices.length") == total - cities
    assert "%d / %d" % (total - cities, total) in browser.find_element(By.ID, "kg-stats").text
    browser.find_element(By.CSS_SELECTOR, 'input[data-kind="classes"][data-key="City"]').click()
    assert browser.execute_script("return network.body.data.nodes.length") == total


def test_header_counts_the_edges_drawn_as_filters_change(browser, pages):
    from selenium.webdriver.common.by import By

    _open(browser, pages["geo"].path)
    total = browser.execute_script("return network.body.data.edges.getDataSet().length")

    def header_and_drawn():
        text = browser.find_element(By.ID, "kg-stats").text
        shown = re.search(r"edges (\d+)(?: / (\d+))?", text)
        drawn = browser.execute_script("return network.body.edgeIndices.length")
        return int(shown.group(1)), int(shown.group(2) or shown.group(1)), drawn

    shown, of, drawn = header_and_drawn()              # memberships start unticked
    assert (shown, of) == (drawn, total) and 0 < drawn < total
    browser.find_element(By.CSS_SELECTOR, 'input[data-kind="classes"][data-key="City"]').click()
    shown, of, drawn = header_and_drawn()              # links to hidden cities are not drawn
    assert (shown, of) == (drawn, total) and drawn < browser.execute_script(
        "return network.body.data.edges.length")
    browser.find_element(By.CSS_SELECTOR, 'button[data-all="classes"][data-on="0"]').click()
    assert header_and_drawn() == (0, total, 0)
    browser.find_element(By.CSS_SELECTOR, 'button[data-all="classes"][data-on="1"]').click()
    browser.find_element(By.CSS_SELECTOR, 'button[data-all="links"][data-on="1"]').click()
    assert header_and_drawn() == (total, total, total)


def test_link_type_filter_hides_edges(browser, pages):
    from selenium.webdriver.common.by import By

    _open(browser, pages["geo"].path)
    before = browser.execute_script("return network.body.data.edges.length")
    browser.find_element(By.CSS_SELECTOR,
                         'input[data-kind="links"][data-key="HighSpeedRail"]').click()
    assert browser.execute_script("return network.body.data.edges.length") == before - 2


def test_click_shows_details_and_hover_shows_evidence(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open(browser, pages["force"].path)
    canvas = browser.find_element(By.CSS_SELECTOR, "#kg-network canvas")

    def point(label):
        return browser.execute_script("""
            const n = network.body.data.nodes.get().find(n => n.label === arguments[0]);
            const p = network.canvasToDOM(network.getPosition(n.id));
            const c = document.querySelector('#kg-network canvas').getBoundingClientRect();
            return [p.x - c.width / 2, p.y - c.height / 2];""", label)

    x, y = point("徐连高铁")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).perform()
    tip = browser.find_element(By.ID, "kg-tip")
    deadline = time.time() + 5
    while not tip.is_displayed() and time.time() < deadline:
        time.sleep(0.05)
    assert "徐连高铁全线通车" in tip.text and "徐连高铁通车" in tip.text   # sentence, source
    ActionChains(browser).click().perform()
    details = browser.find_element(By.ID, "kg-details")
    assert details.is_displayed() and "高速铁路 High-speed railway" in details.text
    assert "news/xulian.txt" in details.text
    dimmed = browser.execute_script(
        "return network.body.data.nodes.get().filter(n => n.opacity < 1).length")
    assert dimmed > 0                                # the rest of the graph steps back


def test_injected_markup_shows_as_text_and_never_runs(browser, pages):
    from selenium.webdriver.common.by import By

    _open(browser, pages["geo"].path)
    evil = browser.execute_script(
        "return network.body.data.nodes.get().find(n => n.label.includes('onerror')).id")
    browser.execute_script("kgPage.focusNode(arguments[0])", evil)
    details = browser.find_element(By.ID, "kg-details")
    assert PWN_IMG + "联盟" in details.text
    assert PWN_SCRIPT in details.text and "<b>别名</b>" in details.text
    assert browser.execute_script("return document.querySelectorAll("
                                  "'img, #kg-details script, #kg-tip script').length") == 0
    box = browser.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys("<b>")
    assert "<b>别名</b>" in browser.find_element(By.ID, "kg-suggest").text
    time.sleep(0.3)
    assert _pwned(browser) is None


def test_five_thousand_node_page_loads(browser, tmp_path):
    nodes, edges, docs = synthetic()
    report = write_page(nodes, edges, tmp_path / "big.html", docs=docs)
    seen = _open(browser, report.path, timeout=120)
    assert seen["errors"] == []
    assert browser.execute_script("return network.body.data.nodes.length") == 5000
    assert browser.execute_script("return network.body.data.edges.length") == 20000
    assert browser.execute_script("return kgPage.data.physics") is False
    assert browser.execute_script("return kgPage.focusNode(4321) && kgPage.focused") == 4321


def test_aggregated_page_loads_and_says_so(browser, tmp_path):
    from selenium.webdriver.common.by import By

    nodes, edges, docs = synthetic(n_nodes=600, n_edges=1500, places=100)
    report = write_page(nodes, edges, tmp_path / "agg.html", docs=docs, max_nodes=200)
    seen = _open(browser, report.path)
    assert seen["errors"] == []
    assert browser.execute_script("return network.body.data.nodes.length") == report.nodes
    notes = browser.find_element(By.ID, "kg-notes")
    assert notes.is_displayed() and "aggregated by city" in notes.text
