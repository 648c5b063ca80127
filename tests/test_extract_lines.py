"""Lines and other infrastructure: names built from one-character forms, X至Y forms,
coordinated forms, places passed through, sections, stations and ports."""
import pytest


def connects(result, line=None):
    return {(r.head, r.tail) for r in result.relations
            if r.relation == "connects" and (line is None or r.head == line)}


def infra(result):
    return {e.canonical: e for e in result.entities if e.type == "Infrastructure"}


@pytest.mark.parametrize("text, line, places", [
    # unambiguous one-character forms
    ("新建的郑徐高铁全长三百多公里。", "郑徐高铁", {"郑州", "徐州"}),
    # 宿 and 淮 between two Jiangsu cities: 宿迁 and 淮安
    ("盐城市民乘坐徐宿淮盐铁路到徐州。", "徐宿淮盐铁路", {"徐州", "宿迁", "淮安", "盐城"}),
    # 济 with 临沂, 枣庄 and 菏泽: 济宁, on the way, not 济南
    ("规划中的临枣济菏城际铁路备受关注。", "临枣济菏城际铁路", {"临沂", "枣庄", "济宁", "菏泽"}),
    # 淮 next to 徐 and 阜: the shortest path goes through 淮北
    ("徐淮阜城际铁路前期工作有序推进。", "徐淮阜城际铁路", {"徐州", "淮北", "阜阳"}),
])
def test_lines_named_by_one_character_forms(run, text, line, places):
    result = run(text)
    assert connects(result, line) == {(line, p) for p in places}


def test_ambiguous_character_left_unresolved_without_context(run):
    # 宿淮: 宿迁–淮安 or 宿州–淮北? Nothing in the text decides, so no place is guessed
    result = run("宿淮铁路建设稳步推进。")
    assert not connects(result)
    assert "宿淮铁路" in infra(result)


def test_context_resolves_an_ambiguous_character(run):
    result = run("宿州与徐州之间的徐宿快速路今年通车，宿州市民到徐州只需半小时。")
    assert ("徐宿快速路", "宿州") in connects(result)


def test_common_word_before_a_line_name_is_not_part_of_it(run):
    # 开通 ends in 通 (南通's one-character form), which is not part of 徐连高铁
    result = run("开通徐连高铁让两市居民出行更方便。")
    assert connects(result) == {("徐连高铁", "徐州"), ("徐连高铁", "连云港")}


@pytest.mark.parametrize("text, line, kind, places", [
    ("淮北至宿州高速公路正在加紧建设。", "淮北至宿州高速公路", "Expressway", {"淮北", "宿州"}),
    ("商丘至亳州快速路明年通车。", "商丘至亳州快速路", "Expressway", {"商丘", "亳州"}),
    ("日照至临沂城际铁路开工建设。", "日照至临沂城际铁路", "Railway", {"日照", "临沂"}),
    ("菏泽至商丘毗邻公交开通运营。", "菏泽至商丘毗邻公交", "BusLine", {"菏泽", "商丘"}),
])
def test_x_to_y_lines(run, text, line, kind, places):
    result = run(text)
    assert infra(result)[line].kind == kind
    assert connects(result, line) == {(line, p) for p in places}


def test_coordinated_x_to_y_lines(run):
    result = run("枣庄至徐州、临沂至连云港两条高速公路同步开工。")
    assert set(infra(result)) == {"枣庄至徐州高速公路", "临沂至连云港高速公路"}
    assert connects(result) == {("枣庄至徐州高速公路", "枣庄"), ("枣庄至徐州高速公路", "徐州"),
                                ("临沂至连云港高速公路", "临沂"),
                                ("临沂至连云港高速公路", "连云港")}


def test_places_a_line_passes_through(run):
    text = "济菏高铁西起济宁，途经嘉祥县、巨野县，东至菏泽。"
    result = run(text)
    assert {"嘉祥县", "巨野县"} <= {t for h, t in connects(result, "济菏高铁")}


def test_a_section_gives_the_line_its_places(run):
    result = run("2019年11月，鲁南高铁日照至临沂段开通运营。", date="2023-01-05")
    assert {("鲁南高铁", "日照"), ("鲁南高铁", "临沂")} <= connects(result)
    assert ("鲁南高铁", "opened", "2019-11") in {(r.head, r.relation, r.tail)
                                                for r in result.relations}


def test_a_line_known_to_the_gazetteer_keeps_its_name(run):
    result = run("郑州至徐州高速铁路运营平稳。")
    assert "郑徐高铁" in infra(result)
    assert "郑州至徐州高速铁路" in infra(result)["郑徐高铁"].aliases


def test_stations_ports_and_airports(run):
    result = run("货物从日照港转运，旅客在临沂北站换乘后前往临沂启阳国际机场。")
    kinds = {e.canonical: e.kind for e in result.entities if e.type == "Infrastructure"}
    assert kinds["日照港"] == "Port"
    assert kinds["临沂北站"] == "Station"
    assert kinds["临沂启阳国际机场"] == "Airport"


def test_a_fast_road_is_not_the_expressway_between_the_same_cities(run):
    # 徐明高速 (in the gazetteer) also joins 徐州 and 宿州, but 快速路 is another family
    result = run("徐州至宿州快速路建成通车。")
    assert "徐州至宿州快速路" in infra(result)
    assert "徐明高速" not in infra(result)


def test_a_bridge_named_after_the_water_it_crosses(run):
    result = run("连接灌云县与灌南县的新沂河特大桥于5月1日建成通车。", date="2024-05-06")
    bridge = infra(result)["新沂河特大桥"]
    assert bridge.kind == "Bridge"
    assert connects(result, "新沂河特大桥") == {("新沂河特大桥", "灌云县"),
                                               ("新沂河特大桥", "灌南县")}
    assert ("新沂河特大桥", "opened", "2024-05-01") in {
        (r.head, r.relation, r.tail) for r in result.relations}
    assert "新沂河" in {e.canonical for e in result.entities if e.type == "WaterBody"}


def test_a_sentence_that_begins_with_this_project_speaks_of_the_line_named_before(run):
    # 该项目 refers to the new expressway; 连霍高速 is the line it meets on its way
    result = run("连接豫皖两省的永城至砀山高速公路建成通车。该项目西起商丘永城市，向东经安徽"
                 "宿州市砀山县，在砀山东与连霍高速相接，全长56.8公里，总投资约58亿元。")
    line = "永城至砀山县高速公路"
    figures = {(r.head, r.tail["value"]) for r in result.relations if r.relation == "investment"}
    assert figures == {(line, 5.8e9)}
    assert not connects(result, "连霍高速") - {("连霍高速", "连云港")}
    assert {"永城", "砀山县"} <= {t for _, t in connects(result, line)}


@pytest.mark.parametrize("text, line, places", [
    # 兰 reads as 兰考 or 兰州: the known link's own place decides
    ("徐兰高铁开通。", "徐兰高铁", {"徐州", "兰州"}),
    # a road's code before its name (G30, G2513) keeps the places its name spells out
    ("G30连霍高速在徐州交汇。", "连霍高速", {"连云港"}),
    ("G2513淮徐高速在徐州交汇。", "淮徐高速", {"淮安", "徐州"}),
])
def test_a_known_link_reads_its_name_with_its_own_places(run, text, line, places):
    assert {t for _, t in connects(run(text), line)} == places


def test_a_municipality_a_line_implies_is_a_city(run):
    # 京 of 京雄商高铁 implies 北京, a province by level and a city to a reader
    result = run("推进京雄商高铁菏泽段建设。")
    assert {e.canonical: e.type for e in result.entities}.get("北京") == "City"


def test_a_line_named_through_three_places(run):
    result = run("徐州至淮北至阜阳高铁开工建设。")
    assert set(infra(result)) == {"徐州至淮北至阜阳高铁"}
    assert {t for _, t in connects(result)} == {"徐州", "淮北", "阜阳"}


@pytest.mark.parametrize("text, expected", [
    ("连云港港徐圩港区、赣榆港区建设加快。", {"连云港港徐圩港区", "赣榆港区"}),
    ("徐州港双楼作业区三期工程开工。", {"徐州港双楼作业区"}),
])
def test_a_ports_areas(run, text, expected):
    # named after no place (徐圩, 双楼), or after a county of the port's city (赣榆)
    found = infra(run(text))
    assert set(found) == expected
    assert all(e.kind == "Port" for e in found.values())
