"""Every IRI the project mints is made here: deterministic, readable, collision-free.

Administrative units are named by their GB/T 2260 code, so 宿州 (341300) and 苏州
(320500) can never collide, whatever their pinyin. Other entities are named by their
type and normalised canonical name; documents by their content hash.

>>> place("341300")
'https://huaihai-kg.org/id/place/341300'
>>> entity("Infrastructure", "徐连高铁")
'https://huaihai-kg.org/id/infrastructure/徐连高铁'
>>> entity("Agreement", "《淮海经济区 合作协议》")
'https://huaihai-kg.org/id/agreement/淮海经济区合作协议'
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["BASE", "SKOLEM", "VOCABULARIES", "place", "entity", "document", "evidence",
           "activity", "node", "graph", "normalise_name"]

BASE = "https://huaihai-kg.org/id/"
SKOLEM = "https://huaihai-kg.org/.well-known/genid/"
"""Skolem IRIs (RDF 1.1, section 3.5) for what would otherwise be blank nodes."""
VOCABULARIES = {
    "hh": "https://huaihai-kg.org/ontology#",
    "hhr": BASE,
    "hhsh": "https://huaihai-kg.org/shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefix -> namespace IRI of every vocabulary the graph uses, as plain strings (what
``kg.namespaces.PREFIXES`` makes rdflib namespaces of; code on the build's path reads them
here and never imports rdflib)."""
_QUOTES = "“”\"'‘’《》〈〉「」『』【】"
_SAFE = set("-_.~")


_DROP = re.compile("[%s\\s]+" % re.escape(_QUOTES))


def normalise_name(name: str) -> str:
    """NFKC, without quotes, brackets of titles or white space: the identity of a name."""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(name)))


_PLAIN = re.compile(r"[\w\-.~]+")


def _segment(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    out = []
    for ch in text:
        if ch.isalnum() or ch in _SAFE:
            out.append(ch)
        else:
            out.extend("%%%02X" % b for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out) or "_"


def _digest(*parts) -> str:
    """The first 16 hex digits of the SHA-1 of the parts, each followed by U+001F.

    >>> _digest("徐州", 1)
    '18b124b0fae83f4e'
    """
    data = "\x1f".join(map(str, parts)) + "\x1f"
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def place(code: str) -> str:
    """The IRI of an administrative unit, from its six-digit code."""
    return BASE + "place/" + code


@functools.lru_cache(maxsize=1 << 16)  # names recur: 18k calls, 1.5k distinct in 1 MB of news
def entity(type_: str, name: str) -> str:
    """The IRI of a non-administrative entity of a contract type."""
    return BASE + type_.lower() + "/" + _segment(normalise_name(name))


def document(sha256: str) -> str:
    """The IRI of a source document, which is also the name of its graph."""
    return BASE + "doc/" + sha256[:16]


def activity(sha256: str) -> str:
    """The IRI of the extraction run that read a document."""
    return BASE + "extraction/" + sha256[:16]


def evidence(*parts) -> str:
    """The IRI of one reified statement with its evidence."""
    return BASE + "evidence/" + _digest(*parts)


def node(kind: str, *parts) -> str:
    """The IRI of a value node (a quantity, a geometry...) identified by its parts."""
    return BASE + kind + "/" + _digest(*parts)


def graph(name: str) -> str:
    """The IRI of a named graph that is not a document's (``ontology``, ``gazetteer``)."""
    return BASE + "graph/" + name
