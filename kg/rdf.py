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
import time
import types
import re
from decimal import Decimal
from typing import Iterator, Optional

from . import iri

__all__ = ["gazetteer_quads", "gazetteer_nquads", "extraction_quads", "extraction_nquads",
           "ontology_quads", "entity_iri",
           "CLASS_OF", "PREDICATE_OF", "EXTRACTOR_VERSION"]

EXTRACTOR_VERSION = "huaihai-kg 0.1.0"


def _ontology_terms() -> types.SimpleNamespace:
    """The ontology's terms as plain strings: ``H.City`` is the IRI of ``hh:City``.

    The names are the subjects of the type statements of ``ontology/huaihai.ttl`` (a scan of
    its lines, not an RDF parse: this module is on the build's path, which never imports
    rdflib); ``tests/test_ontology.py`` checks them against :class:`kg.namespaces.HH`. Closed:
    a name the ontology does not define raises ``AttributeError``.
    """
    from .resources import ontology_dir

    text = (ontology_dir() / "huaihai.ttl").read_text(encoding="utf-8")
    names = re.findall(r"(?m)^hh:(\w+)\s+(?:a|rdf:type)\s", text)
    return types.SimpleNamespace(**{name: iri.VOCABULARIES["hh"] + name for name in names})


H = _ontology_terms()

RDF, RDFS, XSD, SKOS, PROV, DCT, GEO, WGS, SCHEMA = (
    iri.VOCABULARIES[p] for p in ("rdf", "rdfs", "xsd", "skos", "prov", "dcterms", "geo", "wgs",
                                  "schema"))

# contract type or kind -> ontology class (kinds not listed fall back to the type)
CLASS_OF = {
    "City": H.City, "County": H.County, "Province": H.Province, "Region": H.Region,
    "ParkZone": H.ParkZone, "Project": H.Project, "Industry": H.Industry,
    "Cluster": H.Cluster, "Infrastructure": H.Infrastructure, "Railway": H.Railway,
    "HighSpeedRail": H.HighSpeedRail, "Expressway": H.Expressway, "Road": H.Road,
    "BusLine": H.BusLine, "Port": H.Port, "Airport": H.Airport, "Canal": H.Canal,
    "Station": H.Station, "Bridge": H.Bridge, "Pipeline": H.Pipeline,
    "Organization": H.Organization, "University": H.University, "Company": H.Company,
    "Alliance": H.Alliance, "Government": H.Government, "Meeting": H.Meeting,
    "Agreement": H.Agreement, "Plan": H.Plan, "Policy": H.Policy, "Mechanism": H.Mechanism,
    "WaterBody": H.WaterBody, "River": H.River, "Lake": H.Lake,
}
PREDICATE_OF = {
    "connects": H.connects, "passesThrough": H.passesThrough, "locatedIn": H.locatedIn,
    "memberOf": H.memberOf, "partOf": H.partOf, "hasIndustry": H.hasIndustry,
    "cooperatesWith": H.cooperatesWith, "leads": H.leads, "appliesTo": H.appliesTo,
}
STATUS = {"Planned": H.Planned, "UnderConstruction": H.UnderConstruction, "Opened": H.Opened}
ZONE_NAME = "淮海经济区"
LEVEL_CLASS = {"province": H.Province, "prefecture": H.City, "county": H.County}


def _ox():
    import pyoxigraph

    return pyoxigraph


class _Writer:
    """Collects the N-Quads lines of one named graph.

    Terms are written as N-Quads text directly (IRIs from :mod:`kg.iri` need no escaping;
    literals are escaped here): several times faster than building pyoxigraph terms one
    by one, and the store parses the text natively.
    """

    def __init__(self, graph_iri: str):
        self.graph = "<%s>" % graph_iri
        self.lines: list = []
        self.mentioned: list = []  # see _extraction_writer
        self.typed: list = []
        # Each item of ``lines`` is one line, or one evidence node's sorted block of lines,
        # whose subject no other item has: sorting the items then sorts the lines. False
        # when two blocks share a subject (then sort the lines themselves).
        self.blocks_sort = True
        self.evidence: dict = {}  # evidence block -> the values _EVIDENCE was filled with
        self.document = self.activity = None  # their IRIs, in an extraction's writer

    @staticmethod
    def n(value: str) -> str:
        return "<%s>" % value

    @staticmethod
    def lit(value, datatype: Optional[str] = None, lang: Optional[str] = None) -> str:
        # names recur across documents; sentences do not (a document shares its own)
        key = (value, datatype, lang) if type(value) is str and len(value) <= 40 else None
        found = _LITERALS.get(key)
        if found is not None:
            return found
        text = '"%s"' % _escape(_clean(value))
        if lang:
            text += "@" + lang
        elif datatype:
            text += "^^<" + datatype + ">"
        if key is not None:
            if len(_LITERALS) >= 100_000:
                _LITERALS.clear()
            _LITERALS[key] = text
        return text

    def add(self, s, p, o):
        self.lines.append(" ".join((_term(s), _term(p), _term(o), self.graph, ".\n")))

    def text(self) -> str:
        """The lines, without duplicates, in the order first added."""
        return "".join(dict.fromkeys(self.lines))

    def quads(self) -> list:
        ox = _ox()
        return list(ox.parse(self.text().encode("utf-8"), format=ox.RdfFormat.N_QUADS))


_LITERALS: dict = {}  # (text, datatype, lang) -> literal term, for _Writer.lit


def _term(value) -> str:
    value = str(value)
    return value if value[:1] in ('<', '"', "_") else "<" + value + ">"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def _clean(text) -> str:
    """Text safe for any RDF syntax: no lone surrogates, no NUL."""
    return _UNSAFE.sub("\ufffd", str(text))


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
    return _parse(gazetteer_nquads(gaz))


def gazetteer_nquads(gaz) -> str:
    """:func:`gazetteer_quads` as N-Quads text."""
    w = _Writer(iri.graph("gazetteer"))
    zone = iri.entity("Region", ZONE_NAME)
    w.add(zone, RDF + "type", H.Region)
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
            w.add(s, H.abbreviation, w.lit(ab))
        w.add(s, H.adminCode, w.lit(p.code))
        w.add(s, H.adminLevel, w.lit(p.level))
        if p.level != "province":
            w.add(s, H.inProvince, iri.place(p.province))
            w.add(s, H.parentUnit, iri.place(p.parent))
        w.add(s, WGS + "lat", w.lit(_decimal(p.lat), XSD + "decimal"))
        w.add(s, WGS + "long", w.lit(_decimal(p.lon), XSD + "decimal"))
        geom = s + "/geometry"
        w.add(s, GEO + "hasGeometry", geom)
        w.add(geom, RDF + "type", GEO + "Geometry")
        w.add(geom, GEO + "asWKT", w.lit("POINT(%s %s)" % (p.lon, p.lat), GEO + "wktLiteral"))
        if p.zone == "member":
            w.add(s, H.memberOf, zone)
        elif p.zone == "historic":
            w.add(s, H.historicMemberOf, zone)
    for link in gaz.links:
        s = iri.entity("Infrastructure", link.name)
        w.add(s, RDF + "type", CLASS_OF.get(link.kind, H.Infrastructure))
        w.add(s, RDFS + "label", w.lit(link.name, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(link.name, lang="zh"))
        for alt in link.aliases:
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        for code in link.connects:
            if code in gaz.places:
                w.add(s, H.connects, iri.place(code))
        if link.status in STATUS:
            w.add(s, H.status, STATUS[link.status])
        if link.opened:
            w.add(s, H.opened, date_literal(w, link.opened))
    for term in gaz.industries:
        s = iri.BASE + "industry/" + term.id
        w.add(s, RDF + "type", H.Industry)
        w.add(s, RDF + "type", SKOS + "Concept")
        w.add(s, SKOS + "inScheme", H.IndustryScheme)
        w.add(s, RDFS + "label", w.lit(term.label_zh, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(term.label_zh, lang="zh"))
        w.add(s, SKOS + "prefLabel", w.lit(term.label_en, lang="en"))
        for alt in term.aliases:
            w.add(s, SKOS + "altLabel", w.lit(alt, lang="zh"))
        if term.broader:
            w.add(s, SKOS + "broader", iri.BASE + "industry/" + term.broader)
    return w.text()


def _parse(text: str) -> list:
    ox = _ox()
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


class _Resolver:
    """Canonical names of one extraction -> IRIs, reusing gazetteer identities."""

    _tables: dict = {}  # id(gazetteer) -> (gazetteer, links, industries, known)

    def __init__(self, extraction, gaz):
        self.gaz = gaz
        self.by_name = {}
        for e in extraction.entities:
            self.by_name.setdefault(e.canonical, e)
        self._links, self._industries, self.known = self._gazetteer_tables(gaz)
        self._memo: dict = {}

    @classmethod
    def _gazetteer_tables(cls, gaz):
        """Names of the gazetteer's links and industries, made once per gazetteer."""
        cached = cls._tables.get(id(gaz))
        if cached is not None and cached[0] is gaz:
            return cached[1:]
        links, industries, known = {}, {}, {}  # known: IRIs the gazetteer names -> label
        if gaz is not None:
            for link in gaz.links:
                known[iri.entity("Infrastructure", link.name)] = link.name
                for n in [link.name] + link.aliases:
                    links.setdefault(iri.normalise_name(n), link.name)
            for t in gaz.industries:
                known[iri.BASE + "industry/" + t.id] = t.label_zh
                for n in [t.label_zh] + t.aliases:
                    industries.setdefault(n, t.id)
            known[iri.entity("Region", ZONE_NAME)] = ZONE_NAME
        cls._tables = {id(gaz): (gaz, links, industries, known)}
        return links, industries, known

    def __call__(self, name: str) -> Optional[str]:
        try:
            return self._memo[name]
        except (KeyError, TypeError):
            pass
        found = self._resolve(name)
        if isinstance(name, str):
            self._memo[name] = found
        return found

    def _resolve(self, name: str) -> Optional[str]:
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
            for name in (e.key, e.canonical):  # a known link keeps the gazetteer's node
                known = resolver._links.get(iri.normalise_name(name)) if name else None
                if known:
                    return iri.entity("Infrastructure", known)
        if e.type == "Industry" and e.canonical in resolver._industries:
            return iri.BASE + "industry/" + resolver._industries[e.canonical]
        if e.type == "Region" and e.canonical in ("淮海十城",):
            return iri.entity("Region", ZONE_NAME)
    return iri.entity(e.type, e.key or e.canonical)


def extraction_time() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds), to the second, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch else int(time.time())
    if _TIME[0] != seconds:  # formatted once per second, not once per document
        moment = _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc)
        _TIME[:] = [seconds, moment.strftime("%Y-%m-%dT%H:%M:%SZ")]
    return _TIME[1]


_TIME: list = [None, ""]


def extraction_quads(extraction, gaz=None, *, generated_at: Optional[str] = None) -> list:
    """One document's graph: the document, its entities, its relations and their evidence."""
    return _parse(extraction_nquads(extraction, gaz, generated_at=generated_at))


def extraction_nquads(extraction, gaz=None, *, generated_at: Optional[str] = None) -> str:
    """:func:`extraction_quads` as N-Quads text (what ``kg build`` caches and loads)."""
    return _extraction_writer(extraction, gaz, generated_at=generated_at).text()


def _extraction_writer(extraction, gaz=None, *,
                       generated_at: Optional[str] = None) -> _Writer:
    """:func:`extraction_nquads` as its :class:`_Writer`: the N-Quads lines (duplicates
    possible), and ``mentioned`` (the IRIs of the entities the document mentions) and
    ``typed`` (their ``(IRI, class IRI)`` pairs), which ``kg build`` counts classes from."""
    d = extraction.document
    sha = d.sha256
    doc = iri.document(sha)
    w = _Writer(doc)
    w.add(doc, RDF + "type", H.Document)
    w.add(doc, H.sha256, w.lit(sha))
    w.add(doc, DCT + "source", w.lit(d.id))
    if d.title:
        w.add(doc, DCT + "title", w.lit(d.title, lang="zh"))
    if d.date:
        w.add(doc, DCT + "date", date_literal(w, d.date))
    if d.publisher:
        w.add(doc, DCT + "publisher", w.lit(d.publisher))
    act = iri.activity(sha)
    w.document, w.activity = doc, act
    w.add(act, RDF + "type", PROV + "Activity")
    w.add(act, PROV + "used", doc)
    w.add(act, PROV + "endedAtTime", w.lit(generated_at or extraction_time(), XSD + "dateTime"))
    w.add(act, RDFS + "label", w.lit(EXTRACTOR_VERSION))
    resolve = _Resolver(extraction, gaz)
    # the entities' lines, written directly: subjects, predicates and classes are IRIs
    lines, tail = w.lines, " %s .\n" % w.graph
    mentioned_in = " <%s> <%s>%s" % (H.mentionedIn, doc, tail)
    a, label, alt_label = " <%s> <" % (RDF + "type"), " <%s> " % (RDFS + "label"), \
        " <%s> " % (SKOS + "altLabel")
    mentioned, typed = w.mentioned, w.typed
    known_names = resolve._memo
    for e in extraction.entities:
        s = entity_iri(e, resolve)
        # what resolve(name) gives for the name of the first entity so named, made once
        known_names.setdefault(e.canonical, s)
        subject = "<" + s + ">"
        lines.append(subject + mentioned_in)
        mentioned.append(s)
        if e.code:
            continue  # the gazetteer graph describes administrative units
        cls = CLASS_OF.get(e.kind or "", None) or CLASS_OF.get(e.type, H.Infrastructure)
        lines.append(subject + a + cls + ">" + tail)
        typed.append((s, cls))
        if e.kind and e.kind != e.type and cls != CLASS_OF.get(e.type):
            cls = CLASS_OF.get(e.type, cls)
            lines.append(subject + a + cls + ">" + tail)
            typed.append((s, cls))
        # a gazetteer resource keeps the one rdfs:label the gazetteer gives it; the names a
        # document calls it by are other names
        name = resolve.known.get(s)
        if name is None:
            lines.append(subject + label + w.lit(e.canonical, lang="zh") + tail)
        for alt in sorted({a for a in [e.canonical] + list(e.aliases) + [e.text]
                           if a and a != (name or e.canonical)}):
            lines.append(subject + alt_label + w.lit(alt, lang="zh") + tail)
        if e.status in STATUS:
            w.add(s, H.status, STATUS[e.status])
    sentences: dict = {}  # facts of one sentence share its escaped text
    evidence = (_EVIDENCE.replace("%(doc)s", doc).replace("%(act)s", act)
                .replace("%(g)s", w.graph))
    blocks: dict = {}  # evidence IRI -> its block
    graph, evidence_iri = w.graph, iri.evidence
    for r in extraction.relations:
        head = resolve(r.head)
        if head is None:
            continue
        triples = _relation_triples(w, r, head, resolve)
        if not triples:
            continue
        text = _sentence(r, d)
        sentence = sentences.get(text)
        if sentence is None:
            sentence = sentences[text] = w.lit(text)
        start, end = int(r.start or 0), int(r.end or 0)
        rule = w.lit(r.rule or "unknown")
        for s, p, o in triples:  # IRIs, and an object that may be a literal ("...")
            ev = evidence_iri(sha, s, p, o, r.start, r.end)
            s, p = "<" + s + ">", "<" + p + ">"
            if o[0] != '"':
                o = "<" + o + ">"
            lines.append("%s %s %s %s .\n" % (s, p, o, graph))
            fact = {"ev": ev, "s": s, "p": p, "o": o, "sentence": sentence, "start": start,
                    "end": end, "rule": rule}
            block = evidence % fact
            if blocks.setdefault(ev, block) != block:  # one statement, two sentences or rules
                w.blocks_sort = False
            w.evidence[block] = fact
            lines.append(block)
    return w


# One statement's evidence (RDF reification + PROV-O), written as one block of N-Quads; the
# document's parts (doc, act, g) are filled in once per document, the rest once per fact.
# Its lines are in sorted order (all share the subject; the predicates decide), so a block
# sorts among other lines as its lines would (see _Writer.blocks_sort).
_EVIDENCE = "".join(sorted("<%%(ev)s> %s %%(g)s .\n" % po for po in (
    "<%stype> <%s>" % (RDF, H.Evidence), "<%ssubject> %%(s)s" % RDF,
    "<%spredicate> %%(p)s" % RDF, "<%sobject> %%(o)s" % RDF,
    "<%swasDerivedFrom> <%%(doc)s>" % PROV, "<%swasGeneratedBy> <%%(act)s>" % PROV,
    "<%s> %%(sentence)s" % H.sentence, '<%s> "%%(start)d"^^<%sinteger>' % (H.startOffset, XSD),
    '<%s> "%%(end)d"^^<%sinteger>' % (H.endOffset, XSD), "<%s> %%(rule)s" % H.rule)))


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
        pred = H.outputValue if rel == "outputValue" else (
            H.phaseInvestment if r.qualifier else H.investment)
        return [(head, pred, w.lit(_decimal(value), XSD + "decimal"))]
    if rel == "capacity" and isinstance(tail, dict):
        q = iri.node("quantity", head, json.dumps(tail, sort_keys=True, ensure_ascii=False))
        w.add(q, RDF + "type", SCHEMA + "QuantitativeValue")
        for key, prop in (("value", "value"), ("min", "minValue"), ("max", "maxValue")):
            if tail.get(key) is not None:
                w.add(q, SCHEMA + prop, w.lit(_decimal(tail[key]), XSD + "decimal"))
        if tail.get("unit"):
            w.add(q, SCHEMA + "unitText", w.lit(tail["unit"]))
        return [(head, H.capacity, q)]
    if rel == "opened" and isinstance(tail, str) and tail[:4].isdigit():
        w.add(head, H.status, H.Opened)
        return [(head, H.opened, date_literal(w, tail))]
    return []
