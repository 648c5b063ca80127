"""Places: full names, short names, nicknames, names inside longer names, provinces by their
one-character forms, and the publisher's own place (我市)."""
import pytest


def cities(result):
    return {e.canonical for e in result.entities if e.type == "City"}


def provinces(result):
    return {e.canonical for e in result.entities if e.type == "Province"}


@pytest.mark.parametrize("text, expected", [
    ("宿迁市和连云港市今年加强合作。", {"宿迁", "连云港"}),
    ("商丘与菏泽两地往来频繁。", {"商丘", "菏泽"}),
    ("游客纷纷来到彭城观光。", {"徐州"}),
    ("港城的集装箱吞吐量再创新高。", {"连云港"}),
    ("“中国酒都”宿迁的白酒远销海外。", {"宿迁"}),
    ("记者在枣庄市台儿庄区看到，古城游人如织。", {"枣庄", "台儿庄区"}),
    ("徐州沛县和丰县的农产品销往上海。", {"徐州", "沛县", "丰县", "上海"}),
])
def test_cities_by_name_and_nickname(run, text, expected):
    assert cities(run(text)) == expected


@pytest.mark.parametrize("text, absent", [
    ("双方在资源共享方面深化合作，推动新兴产业发展。", {"资源县", "合作", "新兴县"}),
    ("货物将通过出海口运往日韩。", {"海口"}),
    ("河道东至铁路桥，西至公路桥。", {"东至县"}),
    # a scenic spot named after a county (芒砀山 is in 永城, not 砀山县; a garden, not 牡丹区)
    ("商丘芒砀山旅游区游客如织。", {"砀山县"}),
    ("菏泽曹州牡丹园迎来花期。", {"牡丹区"}),
])
def test_common_words_are_not_places(run, text, absent):
    found = {e.canonical for e in run(text).entities}
    assert not found & absent


@pytest.mark.parametrize("text, county, prefecture", [
    ("徐州邳州市的银杏闻名全国。", "邳州", "徐州"),
    ("淮北市濉溪县的白酒产业加快发展。", "濉溪县", "淮北"),
])
def test_county_in_its_prefecture(run, text, county, prefecture):
    rels = {(r.head, r.relation, r.tail) for r in run(text).relations}
    assert (county, "locatedIn", prefecture) in rels


def test_county_short_name_needs_its_prefecture_in_context(run):
    # 睢宁 is a county of 徐州: alone it is not trusted, beside 徐州 it is
    assert "睢宁" not in cities(run("睢宁的蔬菜大棚连片成方。"))
    assert "睢宁县" in cities(run("徐州下辖的睢宁的蔬菜大棚连片成方。"))


@pytest.mark.parametrize("text, expected", [
    # news of the zone writes the short names of its counties without their city: 微山 is
    # 济宁's, and the text names 徐州; 邳州 in a text that names the zone
    ("徐州公交：沛县至微山的跨省公交将于年内开行。", {"徐州", "沛县", "微山县"}),
    ("今年以来，邳州积极融入淮海经济区建设。", {"邳州"}),
    ("商丘民权县与永城、宿州砀山签约。", {"商丘", "民权县", "永城", "宿州", "砀山县"}),
    # not in a text that names neither the zone nor one of its cities
    ("今年以来，邳州积极融入长三角一体化。", set()),
    # not a short name other places share (鼓楼区: 徐州's, 南京's, 福州's...), nor one that
    # is also a common word (东海: 连云港's 东海县, and the sea)
    ("鼓楼与淮海经济区各地合作。", set()),
    ("东海水晶远销海外，淮海经济区客商云集。", set()),
    ("连云港东海的水晶远销海外。", {"连云港", "东海县"}),
])
def test_the_zones_counties_by_short_name_in_news_of_the_zone(run, text, expected):
    assert cities(run(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("微山湖地处苏鲁两省交界。", {"江苏", "山东"}),
    ("豫鲁苏皖四省交界地区协同发展。", {"河南", "山东", "江苏", "安徽"}),
    ("铁路连通苏皖两省。", {"江苏", "安徽"}),
])
def test_provinces_by_one_character_forms(run, text, expected):
    assert provinces(run(text)) == expected


def test_province_characters_in_common_words_are_not_provinces(run):
    assert not provinces(run("公共服务再上新台阶，国家出台新政策。"))


@pytest.mark.parametrize("publisher, expected", [
    ("徐州日报", "徐州"),
    ("连云港发布", "连云港"),
    ("宿州市人民政府网", "宿州"),
])
def test_my_city_is_the_publishers_city(run, publisher, expected):
    result = run("我市今年新开工重大项目120个。", publisher=publisher)
    e = [e for e in result.entities if e.type == "City"]
    assert [x.canonical for x in e] == [expected]
    assert e[0].text == "我市"


@pytest.mark.parametrize("lead, expected", [("丰县融媒体中心讯", "徐州"),
                                           ("新沂日报讯", "徐州"), ("兰陵发布消息", "临沂")])
def test_the_paper_a_lead_names_is_the_publisher(lead, expected):
    from kg.extract import extract  # (reads the publisher from the text, as kg build does)

    result = extract(lead + " 我市今年新开工重大项目120个。")
    assert [e.canonical for e in result.entities if e.text == "我市"] == [expected]


def test_my_city_is_nothing_without_a_publisher(run):
    assert not cities(run("我市今年新开工重大项目120个。"))


def test_place_inside_a_park_name_is_a_place_and_the_park_is_located_there(run):
    result = run("枣庄高新区今年引进锂电企业20家。")
    types = {(e.type, e.canonical) for e in result.entities}
    assert ("ParkZone", "枣庄高新区") in types and ("City", "枣庄") in types
    assert ("枣庄高新区", "locatedIn", "枣庄") in {(r.head, r.relation, r.tail)
                                                 for r in result.relations}


def test_stations_are_not_cities(run):
    result = run("旅客在菏泽东站换乘高铁。")
    assert "菏泽" not in cities(result)
    assert [(e.type, e.kind) for e in result.entities] == [("Infrastructure", "Station")]


def test_places_carry_their_administrative_codes(run):
    result = run("宿州与宿迁是两座不同的城市。")
    codes = {e.canonical: e.code for e in result.entities}
    assert codes == {"宿州": "341300", "宿迁": "321300"}


def test_the_land_north_of_the_huai_is_not_the_city(run):
    result = run("淮北大地麦浪翻滚，淮北市的煤矿正在转型。")
    types = {(e.type, e.canonical) for e in result.entities}
    assert ("City", "淮北") in types
    assert ("Region", "淮北大地") in types


def test_a_city_written_after_its_province_is_located_in_it_whatever_follows(run):
    # the patterns that read 山东郯城县 as 郯城县 keep the chain as written here
    rels = {(r.head, r.tail) for r in run("合新高铁进入江苏宿迁市泗洪县。").relations
            if r.relation == "locatedIn"}
    assert ("宿迁", "江苏") in rels and ("泗洪县", "江苏") not in rels
