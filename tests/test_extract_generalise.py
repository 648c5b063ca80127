"""The language of regional news beyond the seed: one table per mechanism, on sentences we wrote."""
import pytest


def rels(result, relation=None):
    return {(r.head, r.relation, r.tail if isinstance(r.tail, str) else str(r.tail))
            if relation is None else (r.head, r.tail)
            for r in result.relations if relation is None or r.relation == relation}


def names(result, type_=None):
    return {e.canonical for e in result.entities if type_ is None or e.type == type_}


# A. names with 和/发展/服务 inside, new endings, names that start after the verb
@pytest.mark.parametrize("text, publisher, name", [
    ("江苏省工业和信息化厅近日发布通知。", None, "江苏省工业和信息化厅"),
    ("临沂市住房和城乡建设局召开会议。", None, "临沂市住房和城乡建设局"),
    ("淮海经济区物流服务产业联盟今天揭牌。", None, "淮海经济区物流服务产业联盟"),
    ("各地积极参与淮海经济区协同发展座谈会的筹备。", None, "淮海经济区协同发展座谈会"),
    ("省自然资源厅将加强指导。", "江苏省人民政府", "江苏省自然资源厅"),
    ("第三届徐州汉文化旅游节开幕。", None, "徐州汉文化旅游节"),
])
def test_names_of_offices_meetings_and_events(run, text, publisher, name):
    assert name in names(run(text, publisher=publisher), "Organization")


@pytest.mark.parametrize("text", [
    "优化产业布局，形成新格局。",
    "全市上下要顾全大局。",
    "两地政府联合成立工作专班。",
])
def test_words_that_only_look_like_names(run, text):
    assert not names(run(text), "Organization")


def test_a_meeting_session_is_not_a_new_meeting(run):
    result = run("淮海经济区文化和旅游协同发展联席会议第二次会议在枣庄召开。")
    assert names(result, "Organization") == {"淮海经济区文化和旅游协同发展联席会议"}
    assert ("枣庄", "淮海经济区文化和旅游协同发展联席会议") in rels(result, "leads")


@pytest.mark.parametrize("text, agreement, parties", [
    ("临沂、日照两市上月签署港航物流合作协议。", "港航物流合作协议", {"临沂", "日照"}),
    ("商丘与周口也于今年签署文旅合作协议。", "文旅合作协议", {"商丘", "周口"}),
])
def test_agreement_names_start_after_the_verb(run, text, agreement, parties):
    result = run(text)
    assert agreement in names(result, "Agreement")
    assert {t for h, t in rels(result, "appliesTo") if h == agreement} == parties


def test_short_and_full_names_of_one_agreement(run):
    result = run("十市签署文旅协同发展框架协议。会上签署《淮海经济区文化和旅游协同发展框架协议》。")
    assert names(result, "Agreement") == {"淮海经济区文化和旅游协同发展框架协议"}


def test_a_list_of_cities_signing_applies_to_each(run):
    result = run("徐州、宿迁、淮安三市共同签署《苏北运河航运合作协议》。")
    assert {t for h, t in rels(result, "appliesTo")} >= {"徐州", "宿迁", "淮安"}


@pytest.mark.parametrize("text, name", [
    ("（二）徐州北站综合客运枢纽改造工程。计划今年开工。", "徐州北站综合客运枢纽改造工程"),
    ("推进京杭运河邳州段航道整治工程建设。", "京杭运河邳州段航道整治工程"),
])
def test_works_are_projects_and_headings_are_not(run, text, name):
    assert name in names(run(text), "Project")


def test_a_heading_is_not_a_project(run):
    assert not names(run("三、水运项目\n（一）某航道。"), "Project")


@pytest.mark.parametrize("text, name", [
    ("推进医保异地直接结算和社保卡“一卡通”。", "社保卡一卡通"),
    ("实现住房公积金跨省互认互贷。", "住房公积金跨省互认互贷"),
    ("推动职称互认。", "职称互认"),
])
def test_mechanisms_with_their_topic(run, text, name):
    assert name in names(run(text), "Agreement")


# B. names inside longer names
def test_park_and_company_inside_a_project_name(run):
    result = run("临沂高新区某某集团年产5GW电池项目开工。")
    assert "临沂高新区" in names(result, "ParkZone")
    assert "某某集团" in names(result, "Organization")
    project = next(iter(names(result, "Project")))
    assert (project, "临沂高新区") in rels(result, "locatedIn")
    assert ("临沂高新区", "临沂") in rels(result, "locatedIn")


def test_a_park_between_two_places(run):
    result = run("徐州、宿迁两市共建的睢宁—宿豫跨省产业合作园开园。")
    park = "睢宁—宿豫跨省产业合作园"
    assert park in names(result, "ParkZone")
    assert {(park, "睢宁县"), (park, "宿豫区")} <= rels(result, "locatedIn")


def test_a_port_area_is_not_a_park(run):
    result = run("货物经微山湖畔的济宁港区转运，济宁港区吞吐量大增。")
    assert not names(result, "ParkZone")


def test_each_government_in_a_list(run):
    result = run("徐州、连云港、宿迁市人民政府：")
    assert {"徐州", "连云港", "宿迁"} <= names(result, "City")


# C. sections, planned openings, precision of dates
SECTIONS = ("新华社徐州2023年5月6日电 6日，徐宿淮盐铁路淮安至盐城段正式开通运营。"
            "该段由江苏省铁路集团有限公司负责建设，总投资约120亿元。"
            "2020年12月，徐州至宿迁段已率先开通。目前，宿迁至淮安段正在加紧建设。")


def test_a_section_of_an_unfinished_line_is_its_own_line(run):
    result = run(SECTIONS)
    section = "徐宿淮盐铁路淮安至盐城段"
    got = rels(result)
    assert (section, "opened", "2023-05-06") in got
    assert (section, "partOf", "徐宿淮盐铁路") in got
    assert {(section, "connects", "淮安"), (section, "connects", "盐城")} <= got
    assert ("江苏省铁路集团有限公司", "leads", section) in got
    assert ("徐宿淮盐铁路", "opened", "2023-05-06") not in got
    assert ("徐宿淮盐铁路徐州至宿迁段", "opened", "2020-12") in got


@pytest.mark.parametrize("text, date", [
    ("力争2027年徐淮阜铁路建成通车。", "2024-03-01"),
    ("确保宿迁至徐州城际公交三号线年内开通。", "2024-03-01"),
    ("徐州至淮北快速路将于2026年5月开通。", "2024-03-01"),
])
def test_planned_openings_are_not_openings(run, text, date):
    assert not [r for r in run(text, date=date).relations if r.relation == "opened"]


def test_a_near_opening_still_counts(run):
    result = run("徐连高铁将于8日开通。", date="2021-02-07")
    assert ("徐连高铁", "2021-02-08") in rels(result, "opened")


# D. abbreviations
def test_the_dateline_decides_an_ambiguous_character(run):
    result = run("新华社济南2022年3月1日电 济青高速车流量创新高。")
    assert ("济青高速", "济南") in rels(result, "connects")


def test_a_known_line_connects_its_resolvable_part(run):
    result = run("货车沿连霍高速西行。")
    assert ("连霍高速", "连云港") in rels(result, "connects")


# E. coordination and attachment
def test_cooperation_with_two_cities_is_not_between_them(run):
    result = run("我市将深化与淮安、盐城两市的产业合作。", publisher="宿迁日报")
    got = rels(result, "cooperatesWith")
    assert {("宿迁", "淮安"), ("宿迁", "盐城")} <= got
    assert ("淮安", "盐城") not in got


@pytest.mark.parametrize("text, pairs", [
    ("园区横跨宿迁市宿豫区和徐州市睢宁县。", {("宿豫区", "宿迁"), ("睢宁县", "徐州")}),
    ("线路终至安徽砀山。", {("砀山县", "安徽")}),
])
def test_places_in_their_places(run, text, pairs):
    assert pairs <= rels(run(text), "locatedIn")


def test_a_line_of_the_paragraph_connects_what_the_next_sentence_names(run):
    result = run("（五）徐丰快速通道。连接徐州市铜山区与徐州市丰县，总投资约20亿元。")
    got = rels(result)
    assert {("徐丰快速通道", "connects", "铜山区"), ("徐丰快速通道", "connects", "丰县")} <= got


@pytest.mark.parametrize("text, head, tail", [
    ("（一）徐宿城际铁路。项目由江苏省铁路集团有限公司负责建设。", "江苏省铁路集团有限公司", "徐宿城际铁路"),
    ("徐州市人民政府牵头负责徐宿城际铁路沿线征迁工作。", "徐州市人民政府", "徐宿城际铁路"),
    ("江苏省发展和改革委员会关于印发《苏北交通发展实施方案》的通知",
     "江苏省发展和改革委员会", "苏北交通发展实施方案"),
    ("江苏师范大学与园区共建的新材料研究院揭牌。", "江苏师范大学", "新材料研究院"),
])
def test_who_builds_runs_or_issues_what(run, text, head, tail):
    assert (head, tail) in rels(run(text), "leads")


def test_place_and_industry_items(run):
    result = run("做强新沂纺织、邳州板材等特色产业。", publisher="徐州日报")
    owners = {h for h, t in rels(result, "hasIndustry")}
    assert {"新沂", "邳州"} <= owners  # the industry words map to the vocabulary's concepts


def test_station_day_is_not_a_line_number(run):
    result = run("宿迁至徐州城际公交二号线年内开通。", date="2024-01-25")
    assert not [r for r in result.relations if r.relation == "opened"]
