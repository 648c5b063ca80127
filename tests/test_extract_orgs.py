"""Organisations and who leads, hosts, operates or founded what."""
import pytest


def rels(result, relation):
    return {(r.head, r.tail) for r in result.relations if r.relation == relation}


def orgs(result):
    return {e.canonical: e.kind for e in result.entities if e.type == "Organization"}


@pytest.mark.parametrize("text, name, kind", [
    ("江苏师范大学与地方共建研究院。", "江苏师范大学", "University"),
    ("徐工集团发布新一代起重机。", "徐工集团", "Company"),
    ("淮海经济区物流产业联盟正式揭牌。", "淮海经济区物流产业联盟", "Alliance"),
    ("第三届淮海经济区市长联席会议召开。", "淮海经济区市长联席会议", "Meeting"),
])
def test_organisations_by_their_endings(run, text, name, kind):
    assert orgs(run(text)).get(name) == kind


@pytest.mark.parametrize("text", [
    "济宁市与枣庄市、徐州市还共同发起成立了京杭运河航运发展联盟。",
    "济宁、枣庄、徐州三市共同发起成立了京杭运河航运发展联盟。",
    "三市发起京杭运河航运发展联盟。",
])
def test_a_name_begins_after_the_verb_that_founds_it(run, text):
    # 发展 inside the name lets it reach back to a place (安徽省发展和改革委员会), but not
    # past 成立了 or 发起: the cities founded the alliance, they are not in its name
    assert orgs(run(text)) == {"京杭运河航运发展联盟": "Alliance"}


@pytest.mark.parametrize("text, name", [
    ("新华社南京4月22日电（记者王蕾）江苏省政府日前印发通知。", "江苏省政府"),
    ("本报济南讯（记者 张伟）山东省政府近日召开会议。", "山东省政府"),
])
def test_a_name_after_a_byline_begins_after_it(run, text, name):
    assert set(orgs(run(text))) == {name}


def test_places_inside_organisation_names_are_not_mentions(run):
    result = run("徐州医科大学附属医院扩建。")
    assert not [e for e in result.entities if e.type == "City"]


@pytest.mark.parametrize("text", [
    "市交通运输局有关负责人表示，将加快建设。",
    "全市2024年工作推进会召开。",
    "下一届联席会议将在枣庄举行。",  # the next of a series named before, not a name
])
def test_unnamed_offices_and_internal_meetings_are_left_out(run, text):
    assert not orgs(run(text))


@pytest.mark.parametrize("text, head, tail", [
    ("江南大学牵头成立长三角食品产业联盟。", "江南大学", "长三角食品产业联盟"),
    ("由山东大学牵头组建的鲁南创新研究院今年揭牌。", "山东大学", "鲁南创新研究院"),
    ("在商丘的牵头下，豫东地区深化合作。", "商丘", "豫东"),
])
def test_who_leads_what(run, text, head, tail):
    assert (head, tail) in rels(run(text), "leads")


def test_host_city_of_a_meeting(run):
    result = run("第五届淮海经济区合作峰会在枣庄举行。")
    assert ("枣庄", "淮海经济区合作峰会") in rels(result, "leads")


def test_membership_of_the_zone(run):
    result = run("作为淮海经济区成员城市，菏泽正加快融入区域发展。")
    assert ("菏泽", "淮海经济区") in rels(result, "memberOf")
    # a city named right before the zone it is the centre of
    result = run("这些项目将巩固徐州淮海经济区中心城市地位。")
    assert rels(result, "memberOf") == {("徐州", "淮海经济区")}


@pytest.mark.parametrize("text, relation, expected", [
    ("作为河南唯一的淮海经济区成员城市，我市加快融入。", "memberOf", {("临沂", "淮海经济区")}),
    ("我市与菏泽市一道被正式纳入淮海经济区范围。", "memberOf",
     {("临沂", "淮海经济区"), ("菏泽", "淮海经济区")}),
    ("作为鲁南经济圈的重要一员，我市积极对接。", "memberOf", {("临沂", "鲁南经济圈")}),
    ("我市还加入了淮海经济区旅游城市联盟。", "memberOf", {("临沂", "淮海经济区旅游城市联盟")}),
    ("我市还牵头成立了淮海经济区文旅联盟。", "leads", {("临沂", "淮海经济区文旅联盟")}),
])
def test_membership_and_leading_in_the_words_of_the_news(run, text, relation, expected):
    assert rels(run(text, publisher="临沂日报"), relation) == expected


def test_a_list_that_forms_a_region(run):
    result = run("临沂、日照两市共同组成鲁东南城市群。")
    assert rels(result, "memberOf") == {("临沂", "鲁东南城市群"), ("日照", "鲁东南城市群")}


def test_cooperation_only_between_the_parties_named(run):
    result = run("宿迁与淮安在文旅、物流等领域深化合作。")
    assert rels(result, "cooperatesWith") == {("宿迁", "淮安")}


def test_universities_in_a_city_named_by_its_one_character_form(run):
    result = run("中国矿业大学、江苏师范大学等在徐高校参与共建。")
    assert rels(result, "locatedIn") == {("中国矿业大学", "徐州"), ("江苏师范大学", "徐州")} or \
        not [e for e in result.entities if e.canonical == "徐州"]


def test_the_host_named_before_its_meeting(run):
    result = run("8市在徐州举行首届淮海经济区核心区城市市长会议。")
    assert orgs(result) == {"淮海经济区核心区城市市长会议": "Meeting"}
    assert rels(result, "leads") == {("徐州", "淮海经济区核心区城市市长会议")}
