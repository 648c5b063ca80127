"""The extractor: Chinese regional news in, entities and relations with their evidence out.

>>> from kg.extract import extract
>>> result = extract("彭城与港城之间的徐连高铁已开通。", source="demo")
>>> sorted(e.canonical for e in result.entities if e.type == "City")
['徐州', '连云港']
>>> [(r.head, r.tail) for r in result.relations if r.relation == "connects"]
[('徐连高铁', '徐州'), ('徐连高铁', '连云港')]

The pipeline is ``spacy.blank("zh")`` with a lexicon tokenizer and four registered
components (see :mod:`kg.extract.components`), built in one place, :func:`build_pipeline`,
from :data:`DEFAULT_CONFIG` and the data files under ``data/extract`` and ``data/gazetteer``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..metadata import check_date, document_metadata
from ..model import Document, Extraction
from .state import State

__all__ = ["Extractor", "extract", "build_pipeline", "import_spacy", "DEFAULT_CONFIG"]

DEFAULT_CONFIG = """
[nlp]
lang = "zh"
pipeline = ["hh_lexicon", "hh_names", "hh_entities", "hh_relations"]

[nlp.tokenizer]
@tokenizers = "hh.LexiconTokenizer.v1"

[components]

[components.hh_lexicon]
factory = "hh_lexicon"

[components.hh_names]
factory = "hh_names"
recognizers = ["routes", "abbreviated_lines", "abbreviated_places", "points", "bracketed_parks", "parks", "regions", "provinces", "projects", "clusters", "organizations", "agreements", "industries"]

[components.hh_entities]
factory = "hh_entities"

[components.hh_relations]
factory = "hh_relations"
rules = ["names", "patterns", "routes", "facts"]
"""
"""The pipeline: spaCy config syntax; which components run, in which order, with which rules."""


def build_pipeline(gazetteer=None, *, config: Optional[str] = None,
                   data: Optional[Path] = None):
    """The spaCy pipeline: ``spacy.blank("zh")`` plus our registered components.

    Parameters
    ----------
    gazetteer : kg.gazetteer.Gazetteer, optional
        Places, links and industries (default: the project's ``data/``).
    config : str, optional
        A spaCy config string replacing :data:`DEFAULT_CONFIG`.
    data : Path, optional
        The folder of the extractor's word lists (default: ``data/extract``).

    Returns
    -------
    spacy.language.Language
        The pipeline, its components set up with the shared resources.

    Examples
    --------
    >>> nlp = build_pipeline()
    >>> nlp.pipe_names
    ['hh_lexicon', 'hh_names', 'hh_entities', 'hh_relations']
    """
    spacy = import_spacy()
    from thinc.api import Config

    from . import components  # noqa: F401  (registers the components and the tokenizer)
    from .resources import load_resources

    cfg = Config().from_str(config or DEFAULT_CONFIG)
    nlp = spacy.blank(cfg["nlp"]["lang"], config={"nlp": {"tokenizer": cfg["nlp"]["tokenizer"]}})
    for name in cfg["nlp"]["pipeline"]:
        comp = dict(cfg["components"].get(name, {}))
        factory = comp.pop("factory", name)
        nlp.add_pipe(factory, name=name, config=comp)
    # The components read characters, not lexical attributes: computing like_num, shape...
    # for every new clause token is wasted time.
    nlp.vocab.lex_attr_getters = {}
    # no parser or NER model here: memory grows with the text, so the reader's size limit
    # (kg.read.MAX_BYTES) is the only limit
    from ..read import MAX_BYTES

    nlp.max_length = MAX_BYTES
    resources = load_resources(gazetteer, data)
    nlp.tokenizer.automaton = resources.automaton
    for _, pipe in nlp.pipeline:
        if hasattr(pipe, "setup"):
            pipe.setup(resources)
    return nlp


class Extractor:
    """Runs the pipeline over documents. Build one and reuse it: building costs time.

    Parameters
    ----------
    gazetteer : kg.gazetteer.Gazetteer, optional
        Default: the project's gazetteer.

    Examples
    --------
    >>> ex = Extractor()
    >>> doc = Document(id="d", text="发布时间：2021-02-07\\n徐连高铁将于8日开通。", date="2021-02-07")
    >>> [(r.relation, r.tail) for r in ex.extract_document(doc).relations if r.relation == "opened"]
    [('opened', '2021-02-08')]
    """

    def __init__(self, gazetteer=None):
        self.nlp = build_pipeline(gazetteer)
        # ``nlp.memory_zone`` enters the zone of every part that has one (an ExitStack, the
        # pipeline listed again), some 10 µs of a short document's 100. Only the vocab has
        # one here (the tokenizer and the components have none), so its zone alone is the
        # same. (Decided once: a component with a zone of its own added later, to ex.nlp,
        # would not have it entered.)
        own_zones = hasattr(self.nlp.tokenizer, "memory_zone") or any(
            hasattr(proc, "memory_zone") for _, proc in self.nlp.pipeline)
        self._memory_zone = self.nlp.memory_zone if own_zones else self.nlp.vocab.memory_zone

    def extract_document(self, document: Document) -> Extraction:
        """Entities and relations of one document (its ``date`` resolves relative dates)."""
        if _SURROGATE.search(document.text):  # spaCy cannot hold lone surrogates
            import dataclasses

            document = dataclasses.replace(document, text=_SURROGATE.sub("\ufffd", document.text))
        if document.date is not None:
            check_date(document.date)
        if document.publisher is None or document.date is None:
            meta = document_metadata(document.text)
            if document.publisher is None:
                document.publisher = meta["publisher"]
            if document.date is None:
                document.date = meta["date"]
        # strings and lexemes made for this document are freed after it: memory stays bounded
        # however many documents one Extractor reads
        with self._memory_zone():
            doc = self.nlp.make_doc(document.text)
            doc._.hh = state = State(document)
            for _, proc in self.nlp.pipeline:  # (read each time: a component added later runs)
                doc = proc(doc)
        return Extraction(document=document, entities=list(state.entities),
                          relations=list(state.relations))

    def pipe(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extract each document in turn."""
        for d in documents:
            yield self.extract_document(d)


def import_spacy():
    """``import spacy``, without the import of spaCy's command line.

    spaCy's package imports its CLI (typer, weasel, requests...) only to offer
    ``spacy.info``: a third of its 0.6 s import here, paid by every ``kg build`` although the
    extractor never uses the CLI. So while spaCy imports, ``spacy.cli`` and ``spacy.cli.info``
    are stand-ins, removed again at once; ``spacy.cli`` is then a module that imports the
    real CLI on first use (``spacy.cli.download(...)`` and ``import spacy.cli`` work as
    usual), and ``spacy.info`` calls the real ``info``. A spaCy whose package needs more of
    its CLI than ``info`` is imported whole, as usual.

    >>> spacy = import_spacy()
    >>> spacy.blank("zh").lang
    'zh'
    """
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    import importlib
    import types

    def info(*args, **kwargs):
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.__doc__ = "spaCy's ``spacy.info`` (its CLI is imported on the first call)."

    class _CLI(types.ModuleType):
        """``spacy.cli`` until first used: then the real one, imported."""

        def __getattr__(self, name):
            return getattr(importlib.import_module("spacy.cli"), name)

    stand_in = types.ModuleType("spacy.cli")
    stand_in.__path__ = []
    stand_in_info = types.ModuleType("spacy.cli.info")
    stand_in_info.info = info
    stand_ins = {"spacy.cli": stand_in, "spacy.cli.info": stand_in_info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except Exception:  # noqa: BLE001  (handled below: the plain import)
        spacy = None
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy is None:
        # this spaCy needs more of its CLI at import: forget the half-imported package and
        # import it whole
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    elif "spacy.cli" not in sys.modules:
        # not in sys.modules: `import spacy.cli` imports the real one and replaces this
        spacy.cli = _CLI("spacy.cli", "spaCy's command line, imported on first use")
    return spacy


_SURROGATE = __import__("re").compile("[\ud800-\udfff]")


_DEFAULT: dict = {}


def extract(text: str, *, source: str = "text", date: Optional[str] = None,
            publisher: Optional[str] = None) -> Extraction:
    """Extract one text. ``date`` (``YYYY-MM-DD``) overrides a date found in the text.

    Examples
    --------
    >>> r = extract("位于徐州高新区的卓曜光伏电池项目总投资80亿元。")
    >>> [(x.head, x.relation, x.tail) for x in r.relations if x.relation == "investment"]
    [('卓曜光伏电池项目', 'investment', {'value': 8000000000.0, 'unit': 'CNY'})]
    """
    meta = document_metadata(text)
    document = Document(id=source, text=text, title=meta["title"], date=date or meta["date"],
                        publisher=publisher or meta["publisher"])
    if "extractor" not in _DEFAULT:
        _DEFAULT["extractor"] = Extractor()
    return _DEFAULT["extractor"].extract_document(document)


class _CallableModule(__import__("types").ModuleType):
    """``kg.extract`` is both this package and the function: once the package is imported,
    Python binds ``kg.extract`` to it, so calling it calls :func:`extract`."""

    def __call__(self, text: str, **kwargs) -> Extraction:
        return extract(text, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
