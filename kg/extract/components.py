"""spaCy components registered by Huaihai KG."""
from __future__ import annotations

import ahocorasick
from spacy.language import Language
from spacy.tokens import Span

for _name in ("hh_canonical", "hh_code", "hh_kind"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@Language.factory("hh_places", default_config={})
def make_places(nlp, name):
    return PlaceMatcher()


class PlaceMatcher:
    """Finds administrative units by full name, short name and nickname (longest match)."""

    def __init__(self):
        self.automaton = None

    def initialize_gazetteer(self, gazetteer):
        a = ahocorasick.Automaton()
        for p in gazetteer.places.values():
            if p.level == "county" and not p.short:
                continue
            for n in p.names:
                if len(n) >= 2 and n not in a:
                    best = gazetteer.lookup(n)[0]
                    a.add_word(n, (n, best.code, best.short or best.name, best.level))
        a.make_automaton()
        self.automaton = a

    def __call__(self, doc):
        text = doc.text
        matches = []
        for end, (n, code, canonical, level) in self.automaton.iter(text):
            matches.append((end - len(n) + 1, end + 1, code, canonical, level))
        matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        ents, last = [], 0
        for start, end, code, canonical, level in matches:
            if start < last:
                continue
            span = doc.char_span(start, end, label="Province" if level == "province" else "City",
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.hh_code, span._.hh_canonical = code, canonical
            span._.hh_kind = {"county": "County"}.get(level)
            ents.append(span)
            last = end
        doc.ents = ents
        return doc
