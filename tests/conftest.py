"""Shared fixtures. Each area adds its own below; keep session-scoped what is costly to build."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


_USER_CACHE = []


def pytest_configure(config):
    """What the package derives from its own files (kg.io.derived) goes to a folder of this
    run, not the user's cache: for the tests here and the doctests in kg/ (this conftest is
    loaded first when tests/ is among the paths, as in ``python -m pytest``); child
    processes inherit it."""
    import tempfile

    _USER_CACHE.append(os.environ.get("HUAIHAI_KG_CACHE"))
    os.environ["HUAIHAI_KG_CACHE"] = tempfile.mkdtemp(prefix="kg-cache-")


def pytest_unconfigure(config):
    import shutil

    shutil.rmtree(os.environ.get("HUAIHAI_KG_CACHE", ""), ignore_errors=True)
    old = _USER_CACHE.pop() if _USER_CACHE else None
    if old is None:
        os.environ.pop("HUAIHAI_KG_CACHE", None)
    else:
        os.environ["HUAIHAI_KG_CACHE"] = old


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def shared_dir():
    """``../shared`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def gazetteer():
    from kg.gazetteer import load_gazetteer

    return load_gazetteer()


# --- graph (store, queries, endpoint, push) --------------------------------------------------

XUZHOU_TEXT = ("徐连高铁于2021年2月8日开通，连接徐州和连云港。"
               "卓曜高效光伏电池项目落户徐州经济技术开发区，总投资80亿元，年产能12至15GW。"
               "徐州与宿迁签署《徐宿产业协同发展协议》，协议覆盖淮海经济区。"
               "徐州光伏产业集群位于徐州，重点发展光伏。")
SUQIAN_TEXT = ("宿迁光伏组件项目落户宿迁，总投资20亿元，主攻光伏。"
               "宿徐城际公交于2023年5月开通，连接宿迁和徐州。")


def _relations(text, specs):
    from kg.model import Relation

    out = []
    for sentence, head, rel, tail in specs:
        start = text.index(sentence)
        out.append(Relation(head, rel, tail, evidence=sentence, start=start,
                            end=start + len(sentence), rule="hand"))
    return out


def make_hand_extractions():
    """Two documents' extractions written by hand: the store's tests do not depend on
    what the extractor finds today."""
    from kg.model import Document, Entity, Extraction

    s1, s2, s3, s4 = [s + "。" for s in XUZHOU_TEXT.split("。") if s]
    xuzhou = Extraction(
        Document(id="xuzhou.txt", text=XUZHOU_TEXT, title="徐州要闻", date="2021-02-08",
                 publisher="徐州日报"),
        entities=[
            Entity("Infrastructure", "徐连高铁", "徐连高铁", 0, 4, kind="HighSpeedRail"),
            Entity("City", "徐州", "徐州", 19, 21, code="320300"),
            Entity("City", "连云港", "连云港", 22, 25, code="320700"),
            Entity("City", "宿迁", "宿迁", 70, 72, code="321300"),
            Entity("Project", "卓曜高效光伏电池项目", "卓曜高效光伏电池项目"),
            Entity("ParkZone", "徐州经济技术开发区", "徐州经济技术开发区"),
            Entity("Industry", "光伏", "光伏"),
            Entity("Agreement", "徐宿产业协同发展协议", "《徐宿产业协同发展协议》"),
            Entity("Region", "淮海经济区", "淮海经济区"),
            Entity("Cluster", "徐州光伏产业集群", "徐州光伏产业集群"),
        ],
        relations=_relations(XUZHOU_TEXT, [
            (s1, "徐连高铁", "connects", "徐州"),
            (s1, "徐连高铁", "connects", "连云港"),
            (s1, "徐连高铁", "opened", "2021-02-08"),
            (s2, "卓曜高效光伏电池项目", "locatedIn", "徐州经济技术开发区"),
            (s2, "徐州经济技术开发区", "locatedIn", "徐州"),
            (s2, "卓曜高效光伏电池项目", "investment", {"value": 8e9, "unit": "CNY"}),
            (s2, "卓曜高效光伏电池项目", "capacity", {"min": 12, "max": 15, "unit": "GW"}),
            (s2, "卓曜高效光伏电池项目", "hasIndustry", "光伏"),
            (s3, "徐州", "cooperatesWith", "宿迁"),
            (s3, "徐宿产业协同发展协议", "appliesTo", "淮海经济区"),
            (s4, "徐州光伏产业集群", "locatedIn", "徐州"),
            (s4, "徐州光伏产业集群", "hasIndustry", "光伏"),
        ]))
    t1, t2 = [s + "。" for s in SUQIAN_TEXT.split("。") if s]
    suqian = Extraction(
        Document(id="suqian.txt", text=SUQIAN_TEXT, title="宿迁新闻", date="2023-05-20"),
        entities=[
            Entity("Project", "宿迁光伏组件项目", "宿迁光伏组件项目"),
            Entity("City", "宿迁", "宿迁", 10, 12, code="321300"),
            Entity("City", "徐州", "徐州", 50, 52, code="320300"),
            Entity("Industry", "光伏", "光伏"),
            Entity("Infrastructure", "宿徐城际公交", "宿徐城际公交", kind="BusLine"),
        ],
        relations=_relations(SUQIAN_TEXT, [
            (t1, "宿迁光伏组件项目", "locatedIn", "宿迁"),
            (t1, "宿迁光伏组件项目", "investment", {"value": 2e9, "unit": "CNY"}),
            (t1, "宿迁光伏组件项目", "hasIndustry", "光伏"),
            (t2, "宿徐城际公交", "connects", "宿迁"),
            (t2, "宿徐城际公交", "connects", "徐州"),
            (t2, "宿徐城际公交", "opened", "2023-05"),
        ]))
    return [xuzhou, suqian]


@pytest.fixture(scope="session")
def hand_extractions():
    return make_hand_extractions()


@pytest.fixture
def hand_graph(hand_extractions):
    """A fresh in-memory KnowledgeGraph: ontology, gazetteer and the two hand-made documents."""
    from kg.graph import KnowledgeGraph

    graph = KnowledgeGraph()
    for extraction in hand_extractions:
        graph.add_extraction(extraction)
    return graph


@pytest.fixture(scope="session")
def hand_graph_files(tmp_path_factory):
    """The hand-made graph written as build/graph.trig and build/store in a temporary folder."""
    from kg.graph import KnowledgeGraph

    build = tmp_path_factory.mktemp("graph") / "build"
    graph = KnowledgeGraph()
    for extraction in make_hand_extractions():
        graph.add_extraction(extraction)
    graph.save(build / "graph.trig")
    graph.save_store(build / "store")
    return build


# --- extractor (issue 3) ---

@pytest.fixture(scope="session")
def extractor():
    """One extractor for the whole session: building it costs about a second."""
    from kg.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def run(extractor):
    """``run(text, date=None, publisher=None)`` -> the Extraction of a sentence we wrote."""
    from kg.model import Document

    def _run(text, date=None, publisher=None):
        return extractor.extract_document(Document(id="test", text=text, date=date,
                                                   publisher=publisher or ""))

    return _run
