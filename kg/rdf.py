"""Extraction and gazetteer to RDF quads, with provenance. IRIs come from :mod:`kg.iri`.

Layout of the dataset:

- ``hhr:graph/ontology``: the OWL ontology (``ontology/huaihai.ttl``);
- ``hhr:graph/gazetteer``: provinces, cities, counties, the zone, known links, industries;
- ``hhr:doc/<sha>``: one graph per source document, holding what the extractor found in it
  and, for each statement, an ``hh:Evidence`` node (RDF reification + PROV-O) with the
  sentence, character offsets, rule, and the extraction activity.

Quads are pyoxigraph terms, the engine of the store.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal
from typing import Iterator, Optional

from . import iri
from .namespaces import HH, PREFIXES

__all__ = ["gazetteer_quads", "extraction_quads", "ontology_quads", "entity_iri",
           "CLASS_OF", "PREDICATE_OF", "EXTRACTOR_VERSION"]

EXTRACTOR_VERSION = "huaihai-kg 0.1.0"

RDF, RDFS, XSD, SKOS, PROV, DCT, GEO, WGS, SCHEMA = (
    str(PREFIXES[p]) for p in ("rdf", "rdfs", "xsd", "skos", "prov", "dcterms", "geo", "wgs",
                               "schema"))

# contract type or kind -> ontology class (kinds not listed fall back to the type)
CLASS_OF = {
    "City": HH.City, "County": HH.County, "Province": HH.Province, "Region": HH.Region,
    "ParkZone": HH.ParkZone, "Project": HH.Project, "Industry": HH.Industry,
    "Cluster": HH.Cluster, "Infrastructure": HH.Infrastructure, "Railway": HH.Railway,
    "HighSpeedRail": HH.HighSpeedRail, "Expressway": HH.Expressway, "Road": HH.Road,
    "BusLine": HH.BusLine, "Port": HH.Port, "Airport": HH.Airport, "Canal": HH.Canal,
    "Station": HH.Station, "Bridge": HH.Bridge, "Pipeline": HH.Pipeline,
    "Organization": HH.Organization, "University": HH.University, "Company": HH.Company,
    "Alliance": HH.Alliance, "Government": HH.Government, "Meeting": HH.Meeting,
    "Agreement": HH.Agreement, "Plan": HH.Plan, "Policy": HH.Policy, "Mechanism": HH.Mechanism,
    "WaterBody": HH.WaterBody, "River": HH.River, "Lake": HH.Lake,
}
PREDICATE_OF = {
    "connects": HH.connects, "passesThrough": HH.passesThrough, "locatedIn": HH.locatedIn,
    "memberOf": HH.memberOf, "partOf": HH.partOf, "hasIndustry": HH.hasIndustry,
    "cooperatesWith": HH.cooperatesWith, "leads": HH.leads, "appliesTo": HH.appliesTo,
}
STATUS = {"Planned": HH.Planned, "UnderConstruction": HH.UnderConstruction, "Opened": HH.Opened}
ZONE_NAME = "淮海经济区"
LEVEL_CLASS = {"province": HH.Province, "prefecture": HH.City, "county": HH.County}


def _ox():
    import pyoxigraph

    return pyoxigraph


class _Writer:
    """Collects quads in one named graph, turning strings into pyoxigraph terms."""

    def __init__(self, graph_iri: str):
        ox = _ox()
        self.ox = ox
        self.graph = ox.NamedNode(graph_iri)
        self.quads = []
        self._nodes: dict = {}

    def n(self, value: str):
        node = self._nodes.get(value)
        if node is None:
            node = self._nodes[value] = self.ox.NamedNode(str(value))
        return node

    def lit(self, value, datatype: Optional[str] = None, lang: Optional[str] = None):
        ox = self.ox
        if lang:
            return ox.Literal(_clean(value), language=lang)
        if datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
        return ox.Literal(_clean(value))

    def add(self, s, p, o):
        s = self.n(s) if isinstance(s, str) else s
        p = self.n(p) if isinstance(p, str) else p
        o = self.n(o) if isinstance(o, str) else o
        self.quads.append(self.ox.Quad(s, p, o, self.graph))


def _clean(text) -> str:
    """Text safe for any RDF syntax: no lone surrogates, no NUL."""
    s = str(text)
    if any("\ud800" <= ch <= "\udfff" or ch == "\x00" for ch in s):
        s = "".join("\ufffd" if ("\ud800" <= ch <= "\udfff" or ch == "\x00") else ch for ch in s)
    return s


def _decimal(value) -> str:
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
    return text if "." in text else text + ".0"


def date_literal(w: _Writer, value: str):
    """An ISO date at its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    parts = str(value).split("-")
    if len(parts) >= 3:
        return w.lit("-".join(parts[:3]), XSD + "date")
    if len(parts) == 2:
        return w.lit(value, XSD + "gYearMonth")
    return w.lit(value, XSD + "gYear")


def ontology_quads() -> Iterator:
    """The ontology's triples in ``hhr:graph/ontology``."""
    ox = _ox()
    from .resources import ontology_dir

    g = ox.NamedNode(iri.graph("ontology"))
    # Blank nodes (owl:unionOf lists) are skolemised to IRIs numbered by order of appearance:
    # stores rename blank nodes on load, and byte-stable output needs stable names.
    labels: dict = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            if term not in labels:
                labels[term] = ox.NamedNode(iri.SKOLEM + "ontology-%d" % len(labels))
            return labels[term]
        return term

    with open(ontology_dir() / "huaihai.ttl", "rb") as f:
        for t in ox.parse(f, format=ox.RdfFormat.TURTLE):
            yield ox.Quad(stable(t.subject), t.predicate, stable(t.object), g)


def gazetteer_quads(gaz) -> list:
    """Provinces, cities, counties, the zone, known links and industries as quads."""
    w = _Writer(iri.graph("gazetteer"))
    zone = iri.entity("Region", ZONE_NAME)
    w.add(zone, RDF + "type", HH.Region)
    w.add(zone, RDFS + "label", w.lit(ZONE_NAME, lang="zh"))
    w.add(zone, RDFS + "label", w.lit("Huaihai Economic Zone", lang="en"))
    w.add(zone, SKOS + "prefLabel", w.lit(ZONE_NAME, lang="zh"))
    for alt in ("淮海十城", "淮海地区"):
        w.add(zone, SKOS + "altLabel", w.lit(alt, lang="zh"))
    for p in gaz.places.values():
        s = iri.place(p.code)
        w.add(s, RDF + "type", LEVEL_CLASS[p.level])
        w.add(s, RDFS + "label", w.lit(p.name, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(p.name, lang="zh"))
        for alt in p.names[1:]:
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        for ab in p.abbreviations:
            w.add(s, HH.abbreviation, w.lit(ab))
        w.add(s, HH.adminCode, w.lit(p.code))
        w.add(s, HH.adminLevel, w.lit(p.level))
        if p.level != "province":
            w.add(s, HH.inProvince, iri.place(p.province))
            w.add(s, HH.parentUnit, iri.place(p.parent))
        w.add(s, WGS + "lat", w.lit(_decimal(p.lat), XSD + "decimal"))
        w.add(s, WGS + "long", w.lit(_decimal(p.lon), XSD + "decimal"))
        geom = s + "/geometry"
        w.add(s, GEO + "hasGeometry", geom)
        w.add(geom, RDF + "type", GEO + "Geometry")
        w.add(geom, GEO + "asWKT", w.lit("POINT(%s %s)" % (p.lon, p.lat), GEO + "wktLiteral"))
        if p.zone == "member":
            w.add(s, HH.memberOf, zone)
        elif p.zone == "historic":
            w.add(s, HH.historicMemberOf, zone)
    for link in gaz.links:
        s = iri.entity("Infrastructure", link.name)
        w.add(s, RDF + "type", CLASS_OF.get(link.kind, HH.Infrastructure))
        w.add(s, RDFS + "label", w.lit(link.name, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(link.name, lang="zh"))
        for alt in link.aliases:
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        for code in link.connects:
            if code in gaz.places:
                w.add(s, HH.connects, iri.place(code))
        if link.status in STATUS:
            w.add(s, HH.status, STATUS[link.status])
        if link.opened:
            w.add(s, HH.opened, date_literal(w, link.opened))
    for term in gaz.industries:
        s = iri.BASE + "industry/" + term.id
        w.add(s, RDF + "type", HH.Industry)
        w.add(s, RDF + "type", SKOS + "Concept")
        w.add(s, SKOS + "inScheme", HH.IndustryScheme)
        w.add(s, RDFS + "label", w.lit(term.label_zh, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(term.label_zh, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(term.label_en, lang="en"))
        for alt in term.aliases:
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        if term.broader:
            w.add(s, SKOS + "broader", iri.BASE + "industry/" + term.broader)
    return w.quads


class _Resolver:
    """Canonical names of one extraction -> IRIs, reusing gazetteer identities."""

    def __init__(self, extraction, gaz):
        self.gaz = gaz
        self.by_name = {}
        for e in extraction.entities:
            self.by_name.setdefault(e.canonical, e)
        self._links = {}
        self._industries = {}
        self.known = {}  # IRIs the gazetteer graph names -> their label there
        if gaz is not None:
            for link in gaz.links:
                self.known[iri.entity("Infrastructure", link.name)] = link.name
                for n in [link.name] + link.aliases:
                    self._links.setdefault(iri.normalise_name(n), link.name)
            for t in gaz.industries:
                self.known[iri.BASE + "industry/" + t.id] = t.label_zh
                for n in [t.label_zh] + t.aliases:
                    self._industries.setdefault(n, t.id)
            self.known[iri.entity("Region", ZONE_NAME)] = ZONE_NAME

    def __call__(self, name: str) -> Optional[str]:
        e = self.by_name.get(name)
        if e is not None:
            return entity_iri(e, self)
        if self.gaz is not None:
            found = self.gaz.lookup(name) or self.gaz.lookup(name + "市")
            if found:
                return iri.place(found[0].code)
        return None


def entity_iri(e, resolver=None) -> str:
    """The IRI of an extracted entity: a place code, a known link or industry, else its name."""
    if e.code:
        return iri.place(e.code)
    if resolver is not None:
        if e.type == "Infrastructure":
            known = resolver._links.get(iri.normalise_name(e.key or e.canonical))
            if known:
                return iri.entity("Infrastructure", known)
        if e.type == "Industry" and e.canonical in resolver._industries:
            return iri.BASE + "industry/" + resolver._industries[e.canonical]
        if e.type == "Region" and e.canonical in ("淮海十城",):
            return iri.entity("Region", ZONE_NAME)
    return iri.entity(e.type, e.key or e.canonical)


def extraction_time() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch
              else _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def extraction_quads(extraction, gaz=None, *, generated_at: Optional[str] = None) -> list:
    """One document's graph: the document, its entities, its relations and their evidence."""
    d = extraction.document
    sha = d.sha256
    doc = iri.document(sha)
    w = _Writer(doc)
    w.add(doc, RDF + "type", HH.Document)
    w.add(doc, HH.sha256, w.lit(sha))
    w.add(doc, DCT + "source", w.lit(d.id))
    if d.title:
        w.add(doc, DCT + "title", w.lit(d.title, lang="zh"))
    if d.date:
        w.add(doc, DCT + "date", date_literal(w, d.date))
    if d.publisher:
        w.add(doc, DCT + "publisher", w.lit(d.publisher))
    act = iri.activity(sha)
    w.add(act, RDF + "type", PROV + "Activity")
    w.add(act, PROV + "used", doc)
    w.add(act, PROV + "endedAtTime", w.lit(generated_at or extraction_time(), XSD + "dateTime"))
    w.add(act, RDFS + "label", w.lit(EXTRACTOR_VERSION))
    resolve = _Resolver(extraction, gaz)
    for e in extraction.entities:
        s = entity_iri(e, resolve)
        w.add(s, HH.mentionedIn, doc)
        if e.code:
            continue  # the gazetteer graph describes administrative units
        cls = CLASS_OF.get(e.kind or "", None) or CLASS_OF.get(e.type, HH.Infrastructure)
        w.add(s, RDF + "type", cls)
        if e.kind and e.kind != e.type and cls != CLASS_OF.get(e.type):
            w.add(s, RDF + "type", CLASS_OF.get(e.type, cls))
        # a gazetteer resource keeps the one rdfs:label the gazetteer gives it; the names a
        # document calls it by are other names
        name = resolve.known.get(s)
        if name is None:
            w.add(s, RDFS + "label", w.lit(e.canonical, lang="zh"))
        for alt in sorted({a for a in [e.canonical] + list(e.aliases) + [e.text]
                           if a and a != (name or e.canonical)}):
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        if e.status in STATUS:
            w.add(s, HH.status, STATUS[e.status])
    for r in extraction.relations:
        head = resolve(r.head)
        if head is None:
            continue
        triples = _relation_triples(w, r, head, resolve)
        for s, p, o in triples:
            w.add(s, p, o)
            ev = iri.evidence(sha, s, p, o, r.start, r.end)
            w.add(ev, RDF + "type", HH.Evidence)
            w.add(ev, RDF + "subject", s)
            w.add(ev, RDF + "predicate", p)
            w.add(ev, RDF + "object", o if not isinstance(o, str) else w.n(o))
            w.add(ev, PROV + "wasDerivedFrom", doc)
            w.add(ev, PROV + "wasGeneratedBy", act)
            w.add(ev, HH.sentence, w.lit(_sentence(r, d)))
            w.add(ev, HH.startOffset, w.lit(int(r.start or 0), XSD + "integer"))
            w.add(ev, HH.endOffset, w.lit(int(r.end or 0), XSD + "integer"))
            w.add(ev, HH.rule, w.lit(r.rule or "unknown"))
    return _dedupe(w.quads)


def _sentence(r, d) -> str:
    """The relation's evidence sentence; the text it spans if the extractor gave none."""
    if r.evidence and r.evidence.strip():
        return r.evidence
    if r.start is not None and r.end and d.text[r.start:r.end].strip():
        return d.text[r.start:r.end]
    return "%s %s %s" % (r.head, r.relation, r.tail)


def _relation_triples(w, r, head, resolve):
    rel, tail = r.relation, r.tail
    if rel in PREDICATE_OF:
        target = resolve(tail) if isinstance(tail, str) else None
        return [(head, PREDICATE_OF[rel], target)] if target else []
    if rel in ("investment", "outputValue") and isinstance(tail, dict):
        value = tail.get("value")
        if value is None or float(value) < 0:
            return []
        pred = HH.outputValue if rel == "outputValue" else (
            HH.phaseInvestment if r.qualifier else HH.investment)
        return [(head, pred, w.lit(_decimal(value), XSD + "decimal"))]
    if rel == "capacity" and isinstance(tail, dict):
        q = iri.node("quantity", head, json.dumps(tail, sort_keys=True, ensure_ascii=False))
        w.add(q, RDF + "type", SCHEMA + "QuantitativeValue")
        for key, prop in (("value", "value"), ("min", "minValue"), ("max", "maxValue")):
            if tail.get(key) is not None:
                w.add(q, SCHEMA + prop, w.lit(_decimal(tail[key]), XSD + "decimal"))
        if tail.get("unit"):
            w.add(q, SCHEMA + "unitText", w.lit(tail["unit"]))
        return [(head, HH.capacity, q)]
    if rel == "opened" and isinstance(tail, str) and tail[:4].isdigit():
        w.add(head, HH.status, HH.Opened)
        return [(head, HH.opened, date_literal(w, tail))]
    return []


def _dedupe(quads):
    seen, out = set(), []
    for q in quads:
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out
