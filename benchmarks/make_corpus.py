"""Make a synthetic corpus of regional news from our own templates and the gazetteer.

The articles are not real news: they are built from sentence templates in the style of
the sample corpus, filled with cities, counties, lines, industries and figures drawn
(with a fixed seed) from the gazetteer, so a corpus of any size can be made here.

    python benchmarks/make_corpus.py OUT_DIR --mb 2 [--seed 7] [--style news|facts]

Each article is 600 to 1,500 characters; the total is about ``--mb`` megabytes of UTF-8.
``--style news`` (the default) mixes the fact sentences with context sentences in the
proportion that gives the seed article's density of facts; ``--style facts`` writes fact
sentences only.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

TEMPLATES = [
    "{a}至{b}高速铁路于{y}年{m}月{d}日正式开通运营，{a}与{b}之间的通行时间缩短至{h}小时以内。",
    "{a}市与{b}市签署《{a}{b}协同发展合作框架协议》，双方将在{ind}、{ind2}等领域深化合作。",
    "位于{a}{county}的{proj}项目总投资{inv}亿元，一期投资约{inv2}亿元，达产后可年产{cap}万吨。",
    "{a}经济技术开发区与{b}高新技术产业开发区共建{a}{b}合作产业园，重点发展{ind}产业。",
    "{a}至{b}快速路建成通车，全长{km}公里，途经{county}、{county2}等地。",
    "今年以来，{a}累计开通至{b}、{c}的毗邻城市公交{n}条，日均客流超过{p}人次。",
    "{uni}牵头成立淮海经济区{ind}产业联盟，吸引{n}家企业和科研院所加入。",
    "{a}港集团与{b}市政府签署战略合作协议，共同建设{b}内陆无水港。",
    "{a}市{ind}产业集群规模突破{inv}00亿元，入选省级先进制造业集群。",
    "{a}至{b}高速公路改扩建工程于{y}年{m}月开工建设，预计{y2}年建成。",
    "淮海经济区{n}个城市实现住房公积金互认互贷，{a}、{b}、{c}等地率先落地。",
    "{a}与{b}两地人社部门建立社保业务联动工作机制，{n}项高频事项实现跨省通办。",
    "据介绍，{proj}项目计划总投资{inv}亿元，预计{y2}年可实现产值{out}亿元。",
    "{a}市委书记带队赴{b}考察，双方围绕{ind}、物流、文旅等领域开展交流。",
]
# What surrounds the facts in real regional news: background, meetings, quotes, outlook.
# They name places but state no relation the extractor should find.
CONTEXT = [
    "{a}市相关负责人表示，下一步将持续优化营商环境，推动区域协同发展走深走实。",
    "近年来，{a}坚持把项目建设作为推动高质量发展的重要抓手，持续加大招商引资力度。",
    "会上，与会代表围绕深化区域合作、推动产业协同等议题进行了深入交流。",
    "据了解，该工程建成后将进一步完善区域交通网络，为沿线群众出行提供更多便利。",
    "下一步，双方将进一步加强沟通对接，推动各项合作事项尽快落地见效。",
    "{a}区位优势明显，产业基础雄厚，发展潜力巨大，是区域重要的中心城市之一。",
    "业内人士认为，随着一体化进程不断加快，区域内人才、资金等要素流动将更加顺畅。",
    "“我们将抓住机遇，全力以赴做好各项服务保障工作。”{a}有关部门负责人说。",
    "今年是全面落实“十四五”规划的关键一年，各地各部门要坚定信心、真抓实干。",
    "活动现场气氛热烈，不少市民专程赶来参观，纷纷表示家门口的变化越来越大。",
    "记者在现场看到，施工人员正在紧张有序地作业，各类机械设备来回穿梭。",
    "{a}将以此为契机，进一步擦亮城市名片，不断提升城市能级和综合竞争力。",
    "与会人员一致认为，要坚持优势互补、互利共赢，共同打造区域发展新高地。",
    "截至目前，各项工作进展顺利，总体进度符合预期。",
]
PROJECTS = ["光伏组件", "锂电池材料", "新能源汽车零部件", "高端装备制造", "智能仓储物流",
            "生物医药产业园", "数据中心", "氢能装备", "精密铸造", "绿色建材", "冷链物流基地"]
UNIS = ["中国矿业大学", "江苏师范大学", "徐州医科大学", "临沂大学", "济宁学院", "商丘师范学院",
        "淮北师范大学", "宿州学院", "枣庄学院", "菏泽学院"]


def _pools():
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    cities = [p.short for p in gaz.members("member")] + [p.short for p in
                                                         gaz.members("historic")]
    counties = {}
    for p in gaz.places.values():
        city = gaz.prefecture_of(p.code)
        if p.level == "county" and city is not None and city.short in cities:
            counties.setdefault(city.short, []).append(p.name)
    industries = [t.label_zh for t in gaz.industries]
    return cities, counties, industries


# Share of sentences that state facts. "news" is calibrated so that the extractor finds
# about as many facts per 1,000 characters as in the seed article (a real one, 12.1; the
# benchmark prints both): recalibrate when the extractor finds more or less in the templates
# (0.3 gave 12.8, then 13.3 once a project of a county, 位于莱芜钢城区的…项目, was located
# there too; 0.28 gives 12.1 per 1 MB). "facts" has no context sentences at all (~3x as
# dense: the worst case for speed).
STYLES = {"news": 0.28, "facts": 1.0}


def article(rng: random.Random, pools, index: int, style: str = "news") -> str:
    cities, counties, industries = pools
    y = rng.randint(2015, 2024)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    head = "{a}{b}合作再上新台阶（第{i}期）\n发布时间：{y}-{m:02d}-{d:02d} 09:30\n来源：淮海新闻网\n"
    a, b = rng.sample(cities, 2)
    parts = [head.format(a=a, b=b, i=index, y=y, m=m, d=d)]
    target = rng.randint(600, 1500)
    size = len(parts[0])
    while size < target:
        a, b, c = rng.sample(cities, 3)
        county, county2 = rng.sample(counties[a], 2)
        ind, ind2 = rng.sample(industries, 2)
        template = rng.choice(TEMPLATES if rng.random() < STYLES[style] else CONTEXT)
        s = template.format(
            a=a, b=b, c=c, county=county, county2=county2, ind=ind, ind2=ind2,
            proj=rng.choice(PROJECTS), uni=rng.choice(UNIS), y=y, m=m, d=d, y2=y + rng.randint(1, 3),
            h=rng.randint(1, 3), inv=rng.randint(5, 200), inv2=rng.randint(1, 5),
            cap=rng.randint(1, 50), km=rng.randint(10, 120), n=rng.randint(2, 30),
            p=rng.randint(1000, 9000), out=rng.randint(10, 300))
        parts.append(s)
        size += len(s)
        if rng.random() < 0.25:
            parts.append("\n")
    return "".join(parts) + "\n"


def make_corpus(out: Path, megabytes: float, seed: int = 7, style: str = "news") -> int:
    """Write articles into ``out`` until about ``megabytes`` MB; return the article count.

    ``style`` is ``"news"`` (facts among context sentences, as in real articles) or
    ``"facts"`` (every sentence a fact).
    """
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools = _pools()
    total, i = 0, 0
    while total < megabytes * 1_000_000:
        text = article(rng, pools, i, style)
        (out / ("%06d.txt" % i)).write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        i += 1
    return i


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--style", choices=sorted(STYLES), default="news")
    args = ap.parse_args()
    n = make_corpus(args.out, args.mb, args.seed, args.style)
    print("wrote %d articles (%.1f MB) to %s" % (n, args.mb, args.out))


if __name__ == "__main__":
    main()
