"""spaCy components of Huaihai KG, and the tokenizer they run behind.

Each step of the extractor is a registered component (``@Language.factory``) reading and
adding to the document's :class:`~.state.State` in ``doc._.hh``. The components get the
shared :class:`~.resources.Resources` through ``setup(resources)``, which
:func:`kg.extract.build_pipeline` calls once; their config (which recognizers and rules run,
in which order) comes from the pipeline config.

============  ===============================================================================
component     what it does
============  ===============================================================================
hh_lexicon    gazetteer and word-list matches (Aho-Corasick), places resolved in context
hh_names      pattern recognizers: lines, stations, parks, projects, clusters, orgs, plans
hh_entities   overlaps settled, mentions grouped into entities ("one thing, one node")
hh_relations  name, pattern, route and fact rules: relations with evidence
============  ===============================================================================
"""
from __future__ import annotations

import re

from . import import_spacy

import_spacy()  # before spaCy's own modules below: skips the import of its CLI
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.util import registry  # noqa: E402

from . import identity, names, relations

__all__ = ["LexiconTokenizer", "LexiconComponent", "NamesComponent", "EntitiesComponent",
           "RelationsComponent"]

if not Doc.has_extension("hh"):
    Doc.set_extension("hh", default=None)
_HH_KEY = ("._.", "hh", None, None)  # the key of doc._.hh in doc.user_data (Underscore._get_key)

_TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?|\s+|.", re.S)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?|\s+|.", re.S)
_SENTENCE = re.compile(r"[^。；！？;!?\n]+[。；！？;!?]*|\n+", re.S)


class LexiconTokenizer:
    """Splits Chinese text into sentences (or, with ``by_words``, at the lexicon's words).

    spaCy's default Chinese segmenter makes a token of every character, which costs more
    than the rest of the pipeline together; the components work on character offsets (their
    results are in ``doc._.hh``), so the default tokens are sentences (and runs of line
    breaks), a cheap Doc: each token is one more string for spaCy to store. With
    ``by_words=True`` tokens are the lexicon's words (徐州, 高新区...) and the text between.

    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> tok = LexiconTokenizer(nlp.vocab)
    >>> [t.text for t in tok("徐州至淮北、徐州至宿州快速路建成。\\n两市签约；合作共赢")]
    ['徐州至淮北、徐州至宿州快速路建成。', '\\n', '两市签约；', '合作共赢']
    """

    def __init__(self, vocab, automaton=None, by_words=False):
        self.vocab = vocab
        self.automaton = automaton
        self.by_words = by_words

    def __call__(self, text: str) -> Doc:
        words = []
        if self.automaton is not None and len(self.automaton) and self.by_words:
            last = 0
            for end, (word, _) in self.automaton.iter_long(text):
                start = end - len(word) + 1
                if start > last:
                    words.extend(_CJK_RUN.findall(text[last:start]))
                words.append(word)
                last = end + 1
            if last < len(text):
                words.extend(_CJK_RUN.findall(text[last:]))
        else:
            words = _SENTENCE.findall(text)
        spaces = [False] * len(words)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self


@registry.tokenizers("hh.LexiconTokenizer.v1")
def create_lexicon_tokenizer():
    def make(nlp):
        return LexiconTokenizer(nlp.vocab)

    return make


class _Component:
    """Base: a pipeline step that needs the shared resources."""

    def __init__(self, name: str):
        self.name = name
        self.res = None

    def setup(self, resources):
        self.res = resources
        return self

    def _state(self, doc):
        # doc._.hh builds an Underscore object on each call: its value is read where spaCy
        # keeps it, and through doc._ where it is not there
        state = doc.user_data.get(_HH_KEY)
        if state is None:
            state = doc._.hh
        if state is None:
            raise ValueError("component %r needs doc._.hh (a kg.extract.state.State); run the "
                             "pipeline through kg.extract.Extractor" % self.name)
        if self.res is None:
            raise ValueError("component %r has no resources; build the pipeline with "
                             "kg.extract.build_pipeline()" % self.name)
        return state


class LexiconComponent(_Component):
    def setup(self, resources):
        # (as NamesComponent.setup: made before kg build's workers fork)
        resources.derived("zone_counties", names.zone_counties)
        return super().setup(resources)

    def __call__(self, doc):
        names.lexical_layer(self._state(doc), self.res)
        return doc


class NamesComponent(_Component):
    def __init__(self, name: str, recognizers):
        super().__init__(name)
        unknown = [r for r in recognizers if r not in names.RECOGNIZERS]
        if unknown:
            raise ValueError("unknown recognizer(s) %s in the config of %r; available: %s"
                             % (unknown, name, sorted(names.RECOGNIZERS)))
        self.recognizers = [names.RECOGNIZERS[r] for r in recognizers]

    def setup(self, resources):
        # the recognizers' patterns compiled now, with the pipeline, not on the first
        # document: kg build's workers fork after this and share them
        names.patterns(resources)
        return super().setup(resources)

    def __call__(self, doc):
        state = self._state(doc)
        for fn in self.recognizers:
            fn(state, self.res)
        return doc


class EntitiesComponent(_Component):
    def __call__(self, doc):
        state = self._state(doc)
        identity.resolve_mentions(state, self.res)
        identity.build_entities(state, self.res)
        return doc


class RelationsComponent(_Component):
    def __init__(self, name: str, rules):
        super().__init__(name)
        unknown = [r for r in rules if r not in relations.RELATION_RULES]
        if unknown:
            raise ValueError("unknown relation rule(s) %s in the config of %r; available: %s"
                             % (unknown, name, sorted(relations.RELATION_RULES)))
        self.rules = [relations.RELATION_RULES[r] for r in rules]

    def setup(self, resources):
        relations.compiled(resources)  # (as NamesComponent.setup)
        return super().setup(resources)

    def __call__(self, doc):
        state = self._state(doc)
        for fn in self.rules:
            fn(state, self.res)
        return doc


@Language.factory("hh_lexicon", default_config={})
def make_lexicon(nlp, name):
    return LexiconComponent(name)


@Language.factory("hh_names", default_config={"recognizers": list(names.RECOGNIZERS)})
def make_names(nlp, name, recognizers):
    return NamesComponent(name, recognizers)


@Language.factory("hh_entities", default_config={})
def make_entities(nlp, name):
    return EntitiesComponent(name)


@Language.factory("hh_relations", default_config={"rules": list(relations.RELATION_RULES)})
def make_relations(nlp, name, rules):
    return RelationsComponent(name, rules)
