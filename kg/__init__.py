"""Huaihai KG: a knowledge graph of regional cooperation in China's Huaihai Economic Zone.

Chinese news and government text goes in; entities and relations, each traceable to
the sentence it came from, come out as RDF under the project's ontology.

>>> import kg
>>> result = kg.extract("徐连高铁于2021年2月8日开通,连接徐州和连云港。", source="demo")
>>> sorted(e.canonical for e in result.entities if e.type == "City")
['徐州', '连云港']

The heavy libraries (spaCy, rdflib, pyoxigraph, networkx, pyvis) are imported only
when the functions that need them are called, so ``import kg`` stays fast.
"""

__version__ = "0.1.0"

__all__ = ["extract", "KnowledgeGraph", "KGError", "load_gazetteer", "__version__"]

_LAZY = {
    # the package kg.extract is callable (kg.extract(text) runs kg.extract.extract): the
    # package itself, so kg.extract.Extractor is there too after a plain ``import kg``
    "extract": ("kg.extract", None),
    "KnowledgeGraph": ("kg.graph", "KnowledgeGraph"),
    "KGError": ("kg.errors", "KGError"),
    "load_gazetteer": ("kg.gazetteer", "load_gazetteer"),
}


def __getattr__(name):
    """The names of ``_LAZY``, and kg's modules (``kg.analyze``, ``kg.query``...), imported on
    first use."""
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name]
        value = importlib.import_module(module)
        if attr is not None:
            value = getattr(value, attr)
        globals()[name] = value
        return value
    if name.isidentifier() and not name.startswith("_"):
        import importlib.util

        if importlib.util.find_spec("kg." + name) is not None:
            return importlib.import_module("kg." + name)  # (which sets kg.<name>)
    raise AttributeError("module 'kg' has no attribute %r" % name)


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
