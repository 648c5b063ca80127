"""Agreements, plans and mechanisms, and the region or cities they apply to."""
import pytest


def rels(result, relation):
    return {(r.head, r.tail) for r in result.relations if r.relation == relation}


def agreements(result):
    return {e.canonical for e in result.entities if e.type == "Agreement"}


@pytest.mark.parametrize("text, name", [
    ("两市签署了《文旅融合发展合作协议》。", "文旅融合发展合作协议"),
    ("省政府印发《关于支持皖北振兴的若干措施》。", "关于支持皖北振兴的若干措施"),
    ("国家发展改革委发布《淮河生态经济带发展规划》。", "淮河生态经济带发展规划"),
])
def test_titled_agreements_and_plans(run, text, name):
    assert name in agreements(run(text))


def test_titles_that_are_not_agreements(run):
    assert not agreements(run("会议审议了《政府工作报告》。"))


def test_a_bare_plan_starts_with_the_region_it_applies_to(run):
    result = run("国家层面编制淮海经济区协同发展规划纲要。")
    assert agreements(result) == {"淮海经济区协同发展规划纲要"}
    assert rels(result, "appliesTo") == {("淮海经济区协同发展规划纲要", "淮海经济区")}


@pytest.mark.parametrize("text, name", [
    ("十城之间实现“跨省通办”。", "跨省通办"),
    ("两市推进住房公积金互认互贷。", "住房公积金互认互贷"),
    ("各地建立健全社保业务联动工作机制。", "社保业务联动工作机制"),
])
def test_mechanisms(run, text, name):
    assert name in agreements(run(text))


def test_generic_mechanisms_are_left_out(run):
    assert not agreements(run("双方建立常态化协作机制。"))


def test_a_mechanism_applies_to_the_region_of_its_sentence(run):
    result = run("“淮海十城”实现异地就医直接结算。")
    assert rels(result, "appliesTo") == {("异地就医直接结算", "淮海经济区")}


def test_a_signed_agreement_applies_to_the_parties(run):
    result = run("今年，宿迁市与淮安市签署《运河文化带建设合作协议》。")
    assert rels(result, "appliesTo") == {("运河文化带建设合作协议", "宿迁"),
                                         ("运河文化带建设合作协议", "淮安")}
    assert rels(result, "cooperatesWith") == {("宿迁", "淮安")}


def test_cities_that_sign_together_after_a_meeting(run):
    # a clause between the parties and the signing (在埇桥区召开…座谈会), and a meeting whose
    # name begins after 召开, not at the place before it
    result = run("徐州、宿州、淮北三市在埇桥区召开协同发展座谈会，共同签署《徐宿淮协同发展合作协议》。",
                 publisher="宿州日报")
    cities = {"徐州", "宿州", "淮北"}
    assert {t for _, t in rels(result, "appliesTo")} == cities
    assert len(rels(result, "cooperatesWith")) == 3
    assert "埇桥区" in {e.canonical for e in result.entities}


@pytest.mark.parametrize("text, expected", [
    ("萧县、灵璧两县也分别与睢宁、铜山结成对子。", {("萧县", "睢宁县"), ("灵璧县", "铜山区")}),
    ("徐州、宿迁分别与淮北、宿州签署合作协议。", {("徐州", "淮北"), ("宿迁", "宿州")}),
])
def test_parties_that_cooperate_respectively(run, text, expected):
    # (a paper of the zone: its counties are named without their cities)
    assert rels(run(text, publisher="宿州日报"), "cooperatesWith") == expected


@pytest.mark.parametrize("text, expected", [
    # a party named with its province or city before it is the place named last
    ("江苏邳州市与山东郯城县签署合作共建产业园框架协议。", {("邳州", "郯城县")}),
    ("宿州市砀山县与徐州市丰县签署果业合作协议。", {("砀山县", "丰县")}),
    ("江苏宿迁与山东临沂签署战略合作协议。", {("宿迁", "临沂")}),
    # and in a list of places that cooperate, not a partner of its own province
    ("江苏徐州、安徽宿州两市签署合作协议。", {("徐州", "宿州")}),
])
def test_a_qualified_party_cooperates_not_its_province(run, text, expected):
    result = run(text)
    assert rels(result, "cooperatesWith") == expected
    # the qualifier still says where the party is
    assert {tail for _, tail in rels(result, "locatedIn")} <= {"江苏", "山东", "安徽", "宿州",
                                                              "徐州"}
    assert rels(result, "locatedIn")


@pytest.mark.parametrize("text, expected", [
    ("参保人员在徐州、枣庄、宿迁、淮北四市的定点医疗机构住院，可实现异地就医直接结算。",
     {("异地就医直接结算", c) for c in ("徐州", "枣庄", "宿迁", "淮北")}),
    ("在徐州工作的市民可享受公积金互认互贷。", {("公积金互认互贷", "徐州")}),
])
def test_a_mechanism_applies_where_it_can_be_used(run, text, expected):
    assert rels(run(text), "appliesTo") == expected


def test_a_mechanism_applies_to_the_cities_that_run_it(run):
    result = run("我市与枣庄、临沂在政务服务领域推行“跨省通办”。", publisher="徐州日报")
    assert rels(result, "appliesTo") == {("跨省通办", "徐州"), ("跨省通办", "枣庄"),
                                         ("跨省通办", "临沂")}


@pytest.mark.parametrize("text, name", [
    ("市政府印发《徐州市推进淮海经济区协同发展实施方案（2024—2026年）》。",
     "徐州市推进淮海经济区协同发展实施方案（2024—2026年）"),
    ("《徐州市城市总体规划（2007—2020年）（2017年修订）》获批。",
     "徐州市城市总体规划（2007—2020年）（2017年修订）"),
])
def test_a_title_with_its_edition(run, text, name):
    # policy documents name their years after the title's ending: an edition, kept
    assert name in agreements(run(text))
    assert (name, "徐州") in rels(run(text), "appliesTo")


def test_parties_written_with_their_provinces_sign_an_agreement(run):
    result = run("江苏省徐州市与安徽省宿州市签署战略合作框架协议。")
    assert rels(result, "appliesTo") == {("战略合作框架协议", "徐州"), ("战略合作框架协议", "宿州")}
    assert rels(result, "cooperatesWith") == {("徐州", "宿州")}


def test_lists_on_both_sides_cooperate(run):
    result = run("支持菏泽、济宁与河南商丘、江苏徐州共建合作示范区。")
    assert rels(result, "cooperatesWith") == {
        ("菏泽", "商丘"), ("菏泽", "徐州"), ("济宁", "商丘"), ("济宁", "徐州")}


@pytest.mark.parametrize("text, mechanism, cities", [
    ("不动产登记“跨省通办”首批在徐州、宿州、枣庄三市试点。", "跨省通办", {"徐州", "宿州", "枣庄"}),
    ("异地就医直接结算在徐州、宿迁等地推行。", "异地就医直接结算", {"徐州", "宿迁"}),
])
def test_a_mechanism_applies_where_it_is_piloted(run, text, mechanism, cities):
    assert rels(run(text), "appliesTo") == {(mechanism, c) for c in cities}
