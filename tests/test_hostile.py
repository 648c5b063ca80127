"""Hostile text: random and adversarial Unicode through every stage. No crash, no hang, valid RDF.

Each stage gets generated input (control characters, lone surrogates where Python lets
them through, bidirectional marks, very long sentences, deeply nested quotes and brackets)
and must return normally, produce RDF that parses again, and pages that hold the text
only as escaped data.
"""
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.gazetteer import load_gazetteer
from kg.read import html_to_text, read_document
from kg.rdf import extraction_quads

PLACES = ["徐州", "宿迁", "连云港", "淮北", "宿州", "彭城", "苏鲁豫皖", "徐连高铁", "高铁", "项目",
          "亿元", "开通", "《", "》", "“", "”", "（", "）", "至", "、", "。", "\n"]
NASTY = ["\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff", "\x00", "\x1b[31m", "\r",
         "\ud800", "\udfff", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
         "]]>", "\\u0000", "'", "\"", "\\", "${x}", "%s", "{{x}}", "\U0001F600", "\u0301" * 5]

chunks = st.one_of(st.sampled_from(PLACES), st.sampled_from(NASTY),
                   st.text(min_size=0, max_size=20))
texts = st.lists(chunks, min_size=0, max_size=60).map("".join)
nested = st.integers(min_value=1, max_value=400).map(
    lambda n: "《" * n + "“（徐州至宿迁" * 3 + "）”" * n + "》" * n + "铁路开通。")
long_sentence = st.integers(min_value=20_000, max_value=100_000).map(
    lambda n: ("徐州宿迁连云港合作" * (n // 9 + 1))[:n])

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def extractor():
    from kg.extract import Extractor

    return Extractor()


def _document(text):
    from kg.model import Document

    return Document(id="hostile.txt", text=text, date="2024-04-09")


def _roundtrip(quads):
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    again = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert len(again) == len(set(quads))
    return again


@SETTINGS
@given(texts)
def test_reader_survives_any_bytes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("r") / "x.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        doc = read_document(path)
    except Exception as exc:  # only our own, clear errors are allowed
        from kg.errors import InputError

        assert isinstance(exc, InputError), exc
        assert str(path) in str(exc)
    else:
        assert isinstance(doc.text, str)


@SETTINGS
@given(texts)
def test_html_reader_survives_any_markup(text):
    body, title, date = html_to_text("<html><title>%s</title><body><p>%s</p></body>" % (text, text))
    assert isinstance(body, str)


@SETTINGS
@given(st.one_of(texts, nested))
def test_extractor_and_rdf_survive_any_text(extractor, text):
    result = extractor.extract_document(_document(text))
    for e in result.entities:
        if e.start is not None:
            assert 0 <= e.start <= e.end <= len(text)
    _roundtrip(extraction_quads(result, load_gazetteer()))


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(long_sentence)
def test_very_long_sentences_finish(extractor, text):
    result = extractor.extract_document(_document(text))
    _roundtrip(extraction_quads(result, load_gazetteer()))


def test_hostile_names_make_valid_rdf_and_escaped_pages(tmp_path):
    from kg.graph import KnowledgeGraph
    from kg.model import Document, Entity, Extraction, Relation
    from kg.view import graph_page

    evil = "<script>window.__pwned=1</script>\"><img src=x onerror=alert(1)>\u202e\ud800\x00"
    doc = Document(id=evil, text="徐州" + evil, title=evil, date="2024-04-09")
    ext = Extraction(doc, [
        Entity("Project", "项目" + evil, text=evil, start=0, end=2),
        Entity("City", "徐州", text="徐州", start=0, end=2, code="320300"),
    ], [Relation("项目" + evil, "locatedIn", "徐州", evidence=evil, start=0, end=2, rule=evil)])
    g = KnowledgeGraph()
    g.add_extraction(ext)
    _roundtrip(list(g.store))
    page = graph_page(g, tmp_path / "evil.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned=1</script>" not in page
    assert "<img src=x onerror" not in page
