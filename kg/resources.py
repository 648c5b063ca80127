"""Where the ontology and data files live, in a source checkout and in an installed wheel."""
import os
from pathlib import Path

__all__ = ["ontology_dir", "data_dir", "queries_dir", "cache_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates):
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[-1]


def ontology_dir():
    """The folder holding ``huaihai.ttl`` and ``shapes.ttl``."""
    return _first_existing(_PACKAGE / "_resources" / "ontology", _PACKAGE.parent / "ontology")


def data_dir():
    """The folder holding the gazetteer, vocabularies and the sample corpus."""
    return _first_existing(_PACKAGE / "_resources" / "data", _PACKAGE.parent / "data")


def queries_dir():
    """The folder holding the named SPARQL queries (``*.rq``)."""
    return _PACKAGE / "queries"


def cache_dir() -> Path:
    """The folder for data derived from the package's own files (made again when missing).

    ``$HUAIHAI_KG_CACHE``, else ``$XDG_CACHE_HOME/huaihai-kg``, else ``~/.cache/huaihai-kg``.
    Deleting it is always safe.
    """
    if os.environ.get("HUAIHAI_KG_CACHE"):
        return Path(os.environ["HUAIHAI_KG_CACHE"])
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "huaihai-kg"
