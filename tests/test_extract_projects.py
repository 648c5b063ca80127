"""Projects, parks, clusters and industries: names, locations, investment, capacity, output."""
import pytest


def rels(result, relation=None):
    return {(r.head, r.relation, r.tail if isinstance(r.tail, str) else
             tuple(sorted(r.tail.items()))) for r in result.relations
            if relation is None or r.relation == relation}


def of_type(result, t):
    return {e.canonical for e in result.entities if e.type == t}


@pytest.mark.parametrize("text, project, value", [
    ("位于宿迁经开区的华睿智能装备项目总投资30亿元。", "华睿智能装备项目", 3e9),
    ("菏泽高新区的鼎盛生物医药产业园项目计划投资约15.5亿元。", "鼎盛生物医药产业园项目", 1.55e9),
    ("占地500亩的恒信新材料项目总投资逾8000万元。", "恒信新材料项目", 8e7),
    ("总投资超120亿元的泰和光伏组件项目在淮北高新区开工。", "泰和光伏组件项目", 1.2e10),
])
def test_investment_in_yuan(run, text, project, value):
    result = run(text)
    assert project in of_type(result, "Project")
    assert (project, "investment", (("unit", "CNY"), ("value", value))) in rels(result)


def test_phase_investment_is_qualified(run):
    result = run("临沂经开区的远航新能源电池项目总投资60亿元，一期投资25亿元。")
    inv = {(r.tail["value"], r.qualifier) for r in result.relations if r.relation == "investment"}
    assert inv == {(6e9, None), (2.5e9, "phase 1")}


def test_this_project_refers_to_the_last_one_named(run):
    result = run("商丘经开区迎来了宏远冷链物流园项目。该项目总投资12亿元，建成后年产值可达30亿元。")
    assert ("宏远冷链物流园项目", "investment", (("unit", "CNY"), ("value", 1.2e9))) in rels(result)
    out = [r for r in result.relations if r.relation == "outputValue"]
    assert [(r.head, r.tail["value"]) for r in out] == [("宏远冷链物流园项目", 3e9)]
    assert "outputValue" not in {r["relation"] for r in result.to_json()["relations"]}


@pytest.mark.parametrize("text, capacity", [
    ("枣庄高新区的聚能储能电池项目规划产能8GWh至12GWh。", {"min": 8, "max": 12, "unit": "GWh"}),
    ("淮北的润泽光伏组件项目投产后可年产高效组件5GW。", {"value": 5, "unit": "GW"}),
    ("徐州经开区的领航商用车项目达产后可年产新能源重卡2万辆。", {"value": 2, "unit": "万辆"}),
    ("连云港的宏达码头项目建成后新增年吞吐能力500万吨。", {"value": 500, "unit": "万吨"}),
])
def test_capacity_with_units_and_ranges(run, text, capacity):
    result = run(text)
    caps = [r.tail for r in result.relations if r.relation == "capacity"]
    assert caps == [capacity]


@pytest.mark.parametrize("text", [
    "今年全市计划实施重大项目200个。",
    "我们要牢固树立项目为王理念，扩大有效投资。",
    "一季度落地10亿元以上项目15个。",
])
def test_generic_projects_are_not_named_projects(run, text):
    assert not of_type(run(text), "Project")


def test_project_located_in_park_and_park_in_city(run):
    result = run("位于连云港经开区的海川石化项目进展顺利。")
    assert ("海川石化项目", "locatedIn", "连云港经开区") in rels(result)
    assert ("连云港经开区", "locatedIn", "连云港") in rels(result)


def test_park_names_are_canonicalised(run):
    result = run("济宁高新技术产业开发区获评先进园区。")
    parks = [e for e in result.entities if e.type == "ParkZone"]
    assert [p.canonical for p in parks] == ["济宁高新区"]
    assert "济宁高新技术产业开发区" in parks[0].aliases


def test_cluster_enumeration_and_system(run):
    result = run("我市“2+4”先进制造业集群中，高端装备、现代纺织、绿色化工等集群发展迅速。",
                 publisher="宿迁日报")
    clusters = of_type(result, "Cluster")
    assert {"高端装备集群", "现代纺织集群", "绿色化工集群"} <= clusters
    system = [c for c in clusters if c.startswith("2+4")]
    assert system
    assert ("现代纺织集群", "partOf", system[0]) in rels(result)
    assert (system[0], "locatedIn", "宿迁") in rels(result)


@pytest.mark.parametrize("text, expected", [
    ("壮大我市工程机械和绿色低碳能源两大千亿级产业集群。", {"工程机械集群", "绿色低碳能源集群"}),
    ("打造工程机械、新能源两大产业集群。", {"工程机械集群", "新能源集群"}),
    ("推动高端装备和新材料两大产业集群发展。", {"高端装备集群", "新材料集群"}),
])
def test_a_counted_list_of_clusters(run, text, expected):
    # (我市 is no part of a name, whether or not the publisher is known)
    assert of_type(run(text), "Cluster") == expected
    result = run(text, publisher="徐州日报")
    assert of_type(result, "Cluster") == expected
    if "我市" in text:
        assert {h for h, r, t in rels(result, "locatedIn") if t == "徐州"} == expected


def test_designations_are_not_clusters(run):
    result = run("工程机械集群成功入选国家先进制造业集群。")
    assert of_type(result, "Cluster") == {"工程机械集群"}


def test_industries_listed_as_such_belong_to_the_place(run):
    result = run("近年来，我市大力发展新能源、生物医药、冷链物流等产业。", publisher="商丘日报")
    got = {t for h, r, t in rels(result, "hasIndustry") if h == "商丘"}
    assert {"医药健康", "现代物流"} <= got or {"生物医药", "冷链物流"} & {
        e.text for e in result.entities}


@pytest.mark.parametrize("text", [
    "园区重点发展工程机械、新能源电池产业。",
    "园区重点发展工程机械和现代物流行业。",
])
def test_an_industry_in_a_list_of_industries_is_one(run, text):
    # an industry word counts where it is spoken of as an industry: before 产业, or as
    # an item of a list that ends so
    assert "工程机械" in of_type(run(text), "Industry")


def test_an_industry_word_alone_is_no_industry(run):
    assert "工程机械" not in of_type(run("工程机械、建设新城产业园。"), "Industry")


def test_a_counted_list_of_industries_belongs_to_the_place(run):
    result = run("我市已形成鞋服、云计算、新型建材、绿色食品四大主导产业。", publisher="宿州日报")
    assert {t for h, r, t in rels(result, "hasIndustry") if h == "宿州"} >= {
        "鞋服", "云计算", "新型建材"}


@pytest.mark.parametrize("text, project, place", [
    ("沂南县的新能源电池项目总投资20亿元。", "新能源电池项目", "沂南县"),
    ("徐州高新区的鑫华半导体项目总投资30亿元。", "鑫华半导体项目", "徐州高新区"),
    ("位于莱芜钢城区的氢能装备项目总投资15亿元。", "氢能装备项目", "钢城区"),
])
def test_a_project_of_a_place(run, text, project, place):
    assert (project, "locatedIn", place) in rels(run(text))


def test_a_project_shared_with_a_place_is_not_located_there(run):
    assert not rels(run("宿迁与徐州的合作共建项目进展顺利。"), "locatedIn")


def test_industry_of_each_county(run):
    result = run("商丘的民权的冷链物流、虞城的钢卷尺等特色产业加快发展。")
    assert ("虞城县", "hasIndustry", "钢卷尺") in rels(result)


def test_project_industry_from_its_name(run):
    result = run("蓝海光伏电池项目投产后，光伏电池产能将大幅提升。")
    assert ("蓝海光伏电池项目", "hasIndustry", "光伏") in rels(result)


@pytest.mark.parametrize("text", [
    "宿州市二季度重大项目集中开工，总投资312.6亿元。",  # a batch, not a project's name
    "宿州市2024年第二季度重大项目集中开工。",
    "市委书记在主会场宣布项目开工。",
])
def test_no_project_of_generic_words(run, text):
    assert not of_type(run(text), "Project")


def test_a_district_named_after_the_canal_is_not_the_canal(run):
    assert not of_type(run("泗县运河新城智慧产业园项目开工。"), "WaterBody")
