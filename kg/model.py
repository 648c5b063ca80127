"""Plain records passed between the stages: documents, entities, relations, extractions.

They hold data only; reading, extraction and RDF conversion live in their own modules.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional, Union

__all__ = ["Document", "Entity", "Relation", "Extraction", "content_hash", "CONTRACT_RELATIONS",
           "CONTRACT_TYPES"]

CONTRACT_TYPES = ("City", "Province", "Region", "ParkZone", "Project", "Industry", "Cluster",
                  "Infrastructure", "Organization", "Agreement", "WaterBody")
"""Entity types of the extraction contract (``shared/gold/README.md``)."""

CONTRACT_RELATIONS = ("connects", "locatedIn", "memberOf", "partOf", "hasIndustry",
                      "cooperatesWith", "leads", "appliesTo", "opened", "investment", "capacity")
"""Relations of the extraction contract; others (``outputValue``...) go to the graph only."""


def content_hash(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes: a document's identity in the graph.

    >>> content_hash("徐州")[:12]
    '55eae5df5d36'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Document:
    """One source text with what is known about it.

    ``id`` is how the document is named in output (a path relative to the input
    root, or a caller's label); ``date`` is an ISO date (``YYYY-MM-DD``) or None.
    """

    id: str
    text: str
    title: Optional[str] = None
    date: Optional[str] = None
    publisher: Optional[str] = None
    path: Optional[str] = None
    encoding: str = "utf-8"
    meta: dict = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """:func:`content_hash` of the text (kept while the text is the same object: a
        build asks for it twice, for the cache key and the document's IRI)."""
        known = self.__dict__.get("_sha256")
        if known is not None and known[0] is self.text:
            return known[1]
        digest = content_hash(self.text)
        self.__dict__["_sha256"] = (self.text, digest)
        return digest


@dataclass
class Entity:
    """An entity found in a document.

    ``type`` is a contract type (City, Province, Region, ParkZone, Project, Industry,
    Cluster, Infrastructure, Organization, Agreement, WaterBody); ``kind`` a finer
    class (HighSpeedRail, County, University...). ``code`` is the GB/T 2260 code of an
    administrative unit; ``key`` an optional identity key for IRIs (defaults to
    ``canonical``). ``start``/``end`` are the first mention's character offsets.
    """

    type: str
    canonical: str
    text: str = ""
    start: Optional[int] = None
    end: Optional[int] = None
    kind: Optional[str] = None
    code: Optional[str] = None
    key: Optional[str] = None
    aliases: list = field(default_factory=list)
    connects: list = field(default_factory=list)
    status: Optional[str] = None
    rule: str = ""

    def to_json(self) -> dict:
        out: dict[str, Any] = {"type": self.type, "canonical": self.canonical, "text": self.text}
        if self.kind:
            out["kind"] = self.kind
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        if self.code:
            out["code"] = self.code
        aliases = sorted({a for a in self.aliases if a and a != self.canonical})
        if aliases:
            out["aliases"] = aliases
        if self.connects:
            out["connects"] = list(self.connects)
        if self.status:
            out["status"] = self.status
        return out


@dataclass
class Relation:
    """A relation between two entities (by canonical name), or an entity and a literal.

    ``tail`` is a canonical name, an ISO date string (``opened``), or a dict
    (``investment``: ``{"value": 8e9, "unit": "CNY"}``; ``capacity``: ``{"min": 12,
    "max": 15, "unit": "GW"}``). ``evidence`` is the sentence, ``start``/``end`` its
    offsets in the document, ``rule`` the component or pattern that produced it.
    """

    head: str
    relation: str
    tail: Union[str, dict]
    evidence: str = ""
    start: Optional[int] = None
    end: Optional[int] = None
    rule: str = ""
    qualifier: Optional[str] = None

    def to_json(self) -> dict:
        out: dict[str, Any] = {"head": self.head, "relation": self.relation, "tail": self.tail,
                               "evidence": self.evidence}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        if self.rule:
            out["rule"] = self.rule
        if self.qualifier:
            out["qualifier"] = self.qualifier
        return out


@dataclass
class Extraction:
    """What the extractor found in one document."""

    document: Document
    entities: list = field(default_factory=list)
    relations: list = field(default_factory=list)

    def entity(self, canonical: str) -> Optional[Entity]:
        """The entity with this canonical name, or None."""
        for e in self.entities:
            if e.canonical == canonical:
                return e
        return None

    def to_json(self, *, contract_only: bool = True) -> dict:
        """The extraction contract of ``shared/gold/README.md``.

        With ``contract_only`` (the default) relations outside the contract, such as
        ``outputValue``, are left out; the graph keeps them.
        """
        return {
            "document": self.document.id,
            "title": self.document.title,
            "date": self.document.date,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations
                          if not contract_only or r.relation in CONTRACT_RELATIONS],
        }
