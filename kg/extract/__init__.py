"""The extractor: Chinese regional news in, entities and relations with their evidence out.

>>> from kg.extract import extract
>>> result = extract("彭城与港城之间的徐连高铁已开通。", source="demo")
>>> sorted(e.canonical for e in result.entities if e.type == "City")
['徐州', '连云港']
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from ..model import Document, Entity, Extraction
from ..metadata import document_metadata

__all__ = ["Extractor", "extract", "build_pipeline"]


def build_pipeline(gazetteer=None):
    """The spaCy pipeline (``spacy.blank("zh")`` plus our registered components)."""
    import spacy

    from . import components  # noqa: F401  (registers the components)
    from ..gazetteer import load_gazetteer

    nlp = spacy.blank("zh")
    nlp.add_pipe("hh_places", config={})
    nlp.get_pipe("hh_places").initialize_gazetteer(gazetteer or load_gazetteer())
    return nlp


class Extractor:
    """Runs the pipeline over documents. Build one and reuse it: building costs time."""

    def __init__(self, gazetteer=None):
        self.nlp = build_pipeline(gazetteer)

    def extract_document(self, document: Document) -> Extraction:
        doc = self.nlp(document.text)
        seen, entities = set(), []
        for span in doc.ents:
            canonical = span._.hh_canonical if span.has_extension("hh_canonical") else span.text
            key = (span.label_, canonical)
            if key in seen:
                continue
            seen.add(key)
            entities.append(Entity(type=span.label_, canonical=canonical, text=span.text,
                                   start=span.start_char, end=span.end_char,
                                   code=span._.hh_code or None, kind=span._.hh_kind or None,
                                   rule="hh_places"))
        return Extraction(document=document, entities=entities, relations=[])

    def pipe(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        for d in documents:
            yield self.extract_document(d)


_DEFAULT: dict = {}


def extract(text: str, *, source: str = "text", date: Optional[str] = None,
            publisher: Optional[str] = None) -> Extraction:
    """Extract one text. ``date`` (``YYYY-MM-DD``) overrides a date found in the text."""
    meta = document_metadata(text)
    document = Document(id=source, text=text, title=meta["title"], date=date or meta["date"],
                        publisher=publisher or meta["publisher"])
    if "extractor" not in _DEFAULT:
        _DEFAULT["extractor"] = Extractor()
    return _DEFAULT["extractor"].extract_document(document)
