"""The ontology, the SHACL shapes and kg.namespaces agree with each other and behave."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery

from kg.namespaces import (
    DCTERMS,
    GEO,
    HH,
    HHR,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SH,
    SKOS,
    WGS,
    XSD,
    bind_prefixes,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "huaihai.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://huaihai-kg.org/ontology")

TERM_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    SKOS.ConceptScheme,
}
DATA_PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def declared_terms(graph: Graph) -> set[URIRef]:
    """hh: IRIs typed as a class, property, individual or concept scheme in the ontology."""
    return {
        s
        for t in TERM_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(str(HH))
    }


ONTOLOGY_TERMS = sorted(declared_terms(Graph().parse(ONTOLOGY, format="turtle")))


# --- the files parse, the header is complete -------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES], ids=lambda p: p.name)
def test_turtle_parses(path):
    assert len(Graph().parse(path, format="turtle")) > 50


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert (ONTOLOGY_IRI, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in ontology
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in ontology.objects(ONTOLOGY_IRI, prop)}
        assert {"en", "zh"} <= langs, prop


# --- HH (Python) and huaihai.ttl (Turtle) name the same terms ---------------------------------


@pytest.mark.parametrize("name", sorted(HH.__annotations__))
def test_namespace_term_is_declared_in_ontology(ontology, name):
    term = HH[name]
    types = set(ontology.objects(term, RDF.type))
    assert types & TERM_TYPES, f"HH.{name} is not declared in {ONTOLOGY.name}"


def test_every_ontology_term_is_in_namespace():
    missing = [t for t in ONTOLOGY_TERMS if t[len(str(HH)) :] not in HH.__annotations__]
    assert not missing, f"add these to kg.namespaces.HH: {missing}"


def test_namespace_is_closed():
    with pytest.raises(AttributeError, match="Cityy"):
        HH.Cityy  # noqa: B018


@pytest.mark.parametrize("term", ONTOLOGY_TERMS, ids=lambda t: t.fragment)
def test_term_has_labels_and_comment(ontology, term):
    labels = {o.language for o in ontology.objects(term, RDFS.label)}
    assert {"zh", "en"} <= labels, f"{term} needs rdfs:label @zh and @en"
    comments = {o.language for o in ontology.objects(term, RDFS.comment)}
    assert "en" in comments, f"{term} needs an rdfs:comment @en"


@pytest.mark.parametrize(
    "term",
    [t for t in ONTOLOGY_TERMS if t.fragment[0].islower()],
    ids=lambda t: t.fragment,
)
def test_property_has_domain_or_range(ontology, term):
    types = set(ontology.objects(term, RDF.type))
    if OWL.AnnotationProperty in types:
        pytest.skip("annotation property")
    assert types & DATA_PROPERTY_TYPES, f"{term} is not declared as a property"
    assert ontology.value(term, RDFS.domain) or ontology.value(term, RDFS.range)


# --- a few modelling decisions the code relies on ---------------------------------------------


def superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (HH.City, {HH.AdministrativeUnit, HH.Place, GEO.Feature}),
        (HH.County, {HH.AdministrativeUnit, HH.Place, GEO.Feature}),
        (HH.HighSpeedRail, {HH.Railway, HH.Infrastructure, HH.Place}),
        (HH.Industry, {SKOS.Concept}),
        (HH.Status, {SKOS.Concept}),
        (HH.Evidence, {RDF.Statement, PROV.Entity}),
        (HH.Document, {PROV.Entity}),
        (HH.River, {HH.WaterBody, HH.Place}),
        (HH.Meeting, {HH.Organization}),
        (HH.Plan, {HH.Agreement}),
    ],
    ids=lambda v: v.fragment if isinstance(v, URIRef) else "",
)
def test_class_hierarchy(ontology, cls, expected):
    assert expected <= superclasses(ontology, cls)


def test_county_is_a_sibling_of_city_not_a_subclass(ontology):
    assert HH.City not in superclasses(ontology, HH.County)
    assert HH.County not in superclasses(ontology, HH.City)
    disjoint = [
        set(Collection(ontology, members))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in ontology.objects(node, OWL.members)
    ]
    assert {HH.Province, HH.City, HH.County} in disjoint


def test_property_facts(ontology):
    assert (HH.passesThrough, RDFS.subPropertyOf, HH.connects) in ontology
    assert (HH.parentUnit, RDFS.subPropertyOf, HH.locatedIn) in ontology
    assert (HH.cooperatesWith, RDF.type, OWL.SymmetricProperty) in ontology
    assert (HH.locatedIn, RDF.type, OWL.TransitiveProperty) not in ontology
    assert (HH.phaseInvestment, RDFS.subPropertyOf, HH.investment) not in ontology
    for money in (HH.investment, HH.phaseInvestment, HH.outputValue):
        assert ontology.value(money, HH.unit) == Literal("CNY")
        assert ontology.value(money, RDFS.range) == XSD.decimal


def test_status_scheme(ontology):
    statuses = {HH.Planned, HH.UnderConstruction, HH.Opened}
    assert set(ontology.subjects(RDF.type, HH.Status)) == statuses
    assert set(ontology.subjects(SKOS.inScheme, HH.StatusScheme)) == statuses
    assert (HH.IndustryScheme, RDF.type, SKOS.ConceptScheme) in ontology


# --- prefixes ---------------------------------------------------------------------------------


def test_prefixes_bind_and_serialise():
    g = bind_prefixes(Graph())
    bound = {prefix: str(ns) for prefix, ns in g.namespaces()}
    for prefix, ns in PREFIXES.items():
        assert bound[prefix] == str(ns)
    assert PREFIXES["wgs"] == "http://www.w3.org/2003/01/geo/wgs84_pos#"
    assert PREFIXES["schema"] == "https://schema.org/"
    g.add((HHR["place/320300"], WGS.lat, Literal(Decimal("34.2058"))))
    assert "wgs:lat" in g.serialize(format="turtle")


def test_prefixes_serve_as_sparql_init_ns(ontology):
    query = prepareQuery(
        "SELECT ?c WHERE { ?c rdfs:subClassOf hh:Infrastructure }", initNs=PREFIXES
    )
    found = {row.c for row in ontology.query(query)}
    assert {HH.Railway, HH.Port, HH.BusLine} <= found


# --- SHACL ------------------------------------------------------------------------------------


def test_every_shape_has_a_message(shapes):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    assert node_shapes and property_shapes
    silent = [s for s in node_shapes | property_shapes if shapes.value(s, SH.message) is None]
    assert not silent, f"shapes without sh:message: {silent}"


def conforming_graph() -> Graph:
    """Small hand-built data: a province, two cities, a county, a line, a project, evidence."""
    g = bind_prefixes(Graph())
    js, xz, lyg, ts = (HHR[f"place/{c}"] for c in ("320000", "320300", "320700", "320312"))
    g.add((js, RDF.type, HH.Province))
    g.add((js, HH.adminCode, Literal("320000")))
    g.add((js, RDFS.label, Literal("江苏省", lang="zh")))
    g.add((js, HH.abbreviation, Literal("苏")))
    for city, code, name, lat, lon in (
        (xz, "320300", "徐州市", "34.2058", "117.2841"),
        (lyg, "320700", "连云港市", "34.5967", "119.2216"),
    ):
        g.add((city, RDF.type, HH.City))
        g.add((city, HH.adminCode, Literal(code)))
        g.add((city, HH.adminLevel, Literal("prefecture")))
        g.add((city, RDFS.label, Literal(name, lang="zh")))
        g.add((city, SKOS.prefLabel, Literal(name, lang="zh")))
        g.add((city, HH.inProvince, js))
        g.add((city, WGS.lat, Literal(Decimal(lat))))
        g.add((city, WGS.long, Literal(Decimal(lon))))
        geometry = HHR[f"geometry/{code}"]
        g.add((city, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        g.add((geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))
    g.add((xz, SKOS.altLabel, Literal("彭城", lang="zh")))
    g.add((ts, RDF.type, HH.County))
    g.add((ts, HH.adminCode, Literal("320312")))
    g.add((ts, RDFS.label, Literal("铜山区", lang="zh")))
    g.add((ts, HH.inProvince, js))
    g.add((ts, HH.parentUnit, xz))

    line = HHR["infrastructure/xulian-hsr"]
    g.add((line, RDF.type, HH.HighSpeedRail))
    g.add((line, RDFS.label, Literal("徐连高铁", lang="zh")))
    g.add((line, HH.connects, xz))
    g.add((line, HH.connects, lyg))
    g.add((line, HH.status, HH.Opened))
    g.add((line, HH.opened, Literal("2021-02-08", datatype=XSD.date)))

    project = HHR["project/demo-pv"]
    g.add((project, RDF.type, HH.Project))
    g.add((project, RDFS.label, Literal("示例光伏电池项目", lang="zh")))
    g.add((project, HH.investment, Literal(Decimal("8000000000"))))
    g.add((project, HH.phaseInvestment, Literal(Decimal("4200000000"))))
    g.add((project, HH.locatedIn, xz))
    g.add((project, HH.status, HH.UnderConstruction))
    g.add((project, HH.opened, Literal("2026", datatype=XSD.gYear)))
    capacity = BNode()
    g.add((project, HH.capacity, capacity))
    g.add((capacity, RDF.type, SCHEMA.QuantitativeValue))
    g.add((capacity, SCHEMA.minValue, Literal(12)))
    g.add((capacity, SCHEMA.maxValue, Literal(15)))
    g.add((capacity, SCHEMA.unitText, Literal("GW")))

    text = "徐连高铁连接徐州和连云港。"
    doc = HHR["document/demo"]
    g.add((doc, RDF.type, HH.Document))
    g.add((doc, DCTERMS.title, Literal("示例文档", lang="zh")))
    g.add((doc, DCTERMS.date, Literal("2025-01-01", datatype=XSD.date)))
    g.add((doc, HH.sha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest())))
    g.add((line, HH.mentionedIn, doc))

    evidence = HHR["evidence/demo-1"]
    g.add((evidence, RDF.type, HH.Evidence))
    g.add((evidence, RDF.subject, line))
    g.add((evidence, RDF.predicate, HH.connects))
    g.add((evidence, RDF.object, lyg))
    g.add((evidence, PROV.wasDerivedFrom, doc))
    g.add((evidence, HH.sentence, Literal(text)))
    g.add((evidence, HH.startOffset, Literal(0)))
    g.add((evidence, HH.endOffset, Literal(len(text))))
    g.add((evidence, HH.rule, Literal("test")))
    g.add((evidence, PROV.generatedAtTime, Literal("2025-01-01T00:00:00", datatype=XSD.dateTime)))
    return g


def validate(data: Graph, shapes: Graph, ontology: Graph, inference: str = "rdfs"):
    """Run pyshacl; return (violations, warnings) as lists of (focus node, result path)."""
    from pyshacl import validate as shacl_validate

    _, report, _ = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference=inference, allow_warnings=True
    )
    found = {SH.Violation: [], SH.Warning: []}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        found.setdefault(severity, []).append(
            (report.value(result, SH.focusNode), report.value(result, SH.resultPath))
        )
        assert report.value(result, SH.resultMessage), "every result carries a message"
    return found[SH.Violation], found[SH.Warning]


def test_conforming_graph_conforms(shapes, ontology):
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(
        conforming_graph(), shacl_graph=shapes, ont_graph=ontology, inference="rdfs"
    )
    assert conforms, text


XZ = HHR["place/320300"]
LINE = HHR["infrastructure/xulian-hsr"]
PROJECT = HHR["project/demo-pv"]
EVIDENCE = HHR["evidence/demo-1"]
DOC = HHR["document/demo"]


def _set(s, p, o):
    return lambda g: g.set((s, p, o))


def _remove(s, p):
    return lambda g: g.remove((s, p, None))


def _rebind(s, p, o):
    """Point (s, p) at a fresh node o (and the old value is dropped)."""
    return lambda g: (g.remove((s, p, None)), g.add((s, p, o)))


BAD_CASES = [
    # id, mutation, focus node, path, expected violations, expected warnings, inference
    ("city-without-code", _remove(XZ, HH.adminCode), XZ, HH.adminCode, 1, 0, "rdfs"),
    ("code-five-digits", _set(XZ, HH.adminCode, Literal("32030")), XZ, HH.adminCode, 1, 0, "rdfs"),
    ("code-as-integer", _set(XZ, HH.adminCode, Literal(320300)), XZ, HH.adminCode, 1, 0, "rdfs"),
    ("city-without-province", _remove(XZ, HH.inProvince), XZ, HH.inProvince, 1, 0, "rdfs"),
    ("county-without-parent", _remove(HHR["place/320312"], HH.parentUnit),
     HHR["place/320312"], HH.parentUnit, 1, 0, "rdfs"),
    ("lat-lon-swapped", _set(XZ, WGS.lat, Literal(Decimal("117.2841"))), XZ, WGS.lat, 1, 0, "rdfs"),
    ("lat-as-string", _set(XZ, WGS.lat, Literal("34.2")), XZ, WGS.lat, 1, 0, "rdfs"),
    ("negative-investment", _set(PROJECT, HH.investment, Literal(Decimal("-1"))),
     PROJECT, HH.investment, 1, 0, "rdfs"),
    ("investment-as-string", _set(PROJECT, HH.investment, Literal("80亿元")),
     PROJECT, HH.investment, 1, 0, "rdfs"),
    ("two-investments", lambda g: g.add((PROJECT, HH.investment, Literal(Decimal("1")))),
     PROJECT, HH.investment, 1, 0, "rdfs"),
    ("negative-output-value", _set(PROJECT, HH.outputValue, Literal(Decimal("-5"))),
     PROJECT, HH.outputValue, 1, 0, "rdfs"),
    ("evidence-without-sentence", _remove(EVIDENCE, HH.sentence), EVIDENCE, HH.sentence, 1, 0, "rdfs"),
    ("evidence-negative-offset", _set(EVIDENCE, HH.startOffset, Literal(-1)),
     EVIDENCE, HH.startOffset, 1, 0, "rdfs"),
    ("evidence-start-after-end", _set(EVIDENCE, HH.startOffset, Literal(99)),
     EVIDENCE, HH.startOffset, 1, 0, "rdfs"),
    ("evidence-without-document", _remove(EVIDENCE, PROV.wasDerivedFrom),
     EVIDENCE, PROV.wasDerivedFrom, 1, 0, "rdfs"),
    ("document-bad-sha256", _set(DOC, HH.sha256, Literal("abc")), DOC, HH.sha256, 1, 0, "rdfs"),
    ("status-outside-scheme", _set(LINE, HH.status, HH.Planned.replace("Planned", "Delayed")),
     LINE, HH.status, 1, 0, "rdfs"),
    ("opened-as-string", _set(LINE, HH.opened, Literal("2021年2月")), LINE, HH.opened, 1, 0, "rdfs"),
    ("opened-as-datetime", _set(LINE, HH.opened, Literal("2021-02-08T00:00:00", datatype=XSD.dateTime)),
     LINE, HH.opened, 1, 0, "rdfs"),
    # A line with one resolved place is incomplete, not wrong: a Warning and no Violation.
    ("line-with-one-place", lambda g: g.remove((LINE, HH.connects, HHR["place/320700"])),
     LINE, None, 0, 1, "rdfs"),
    # Without inference, a connects value that is not typed as a Place is caught. (With RDFS
    # inference the range of hh:connects would make it a Place.)
    ("connects-untyped-node", lambda g: g.add((LINE, HH.connects, HHR["org/somebody"])),
     LINE, None, 1, 0, "none"),
]


@pytest.mark.parametrize(
    ("mutate", "focus", "path", "n_violations", "n_warnings", "inference"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_non_conforming_graph(shapes, ontology, mutate, focus, path, n_violations, n_warnings, inference):
    data = conforming_graph()
    mutate(data)
    violations, warnings = validate(data, shapes, ontology, inference=inference)
    assert len(violations) == n_violations, violations
    assert len(warnings) == n_warnings, warnings
    for node, result_path in violations + warnings:
        assert node == focus
        if path is not None:
            assert result_path == path


def test_connects_values_must_be_places_without_inference(shapes, ontology):
    """The unmodified conforming graph also conforms when validated without inference."""
    violations, warnings = validate(conforming_graph(), shapes, ontology, inference="none")
    assert violations == [] and warnings == []
