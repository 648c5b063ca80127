"""The ontology, the SHACL shapes and kg.namespaces agree with each other and behave."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
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
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}


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
    cc_by = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (ONTOLOGY_IRI, DCTERMS.license, cc_by) in ontology
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


def test_the_builds_plain_terms_are_the_namespace_terms():
    """kg.rdf reads the term names off the ontology file without rdflib: the same terms."""
    import kg.rdf

    assert vars(kg.rdf.H) == {name: str(HH[name]) for name in HH.__annotations__}
    with pytest.raises(AttributeError):
        kg.rdf.H.Cityy  # noqa: B018


def test_plain_vocabulary_iris_are_rdflibs():
    from rdflib.namespace import DCTERMS, GEO, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

    from kg.iri import VOCABULARIES

    rdflibs = {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "prov": PROV,
               "dcterms": DCTERMS, "geo": GEO, "schema": SDO, "sh": SH}
    for prefix, namespace in rdflibs.items():
        assert VOCABULARIES[prefix] == str(namespace._NS), prefix
    assert VOCABULARIES["hh"] == str(HH._NS)


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
    [t for t in ONTOLOGY_TERMS if t.fragment[0].islower() and t != HH.unit],
    ids=lambda t: t.fragment,
)
def test_property_has_domain_or_range(ontology, term):
    """Every object and datatype property (hh:unit, an annotation property, aside)."""
    types = set(ontology.objects(term, RDF.type))
    assert types & PROPERTY_TYPES, f"{term} is not declared as an object or datatype property"
    assert ontology.value(term, RDFS.domain) or ontology.value(term, RDFS.range)


def test_unit_is_the_only_annotation_property(ontology):
    assert set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) == {HH.unit}


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


def test_named_individuals_reach_no_cycle(ontology):
    """pyshacl deep-clones each owl:NamedIndividual of ont_graph to depth 10 with no visited set;
    a cycle among them (skos:hasTopConcept next to skos:topConceptOf) makes that exponential."""

    def walk(node, path):
        for obj in ontology.objects(node, None):
            if isinstance(obj, URIRef):
                assert obj not in path, f"cycle: {[*path, obj]}"
                walk(obj, [*path, obj])

    for individual in ontology.subjects(RDF.type, OWL.NamedIndividual):
        walk(individual, [individual])


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
    capacity = HHR["project/demo-pv/capacity"]
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
    """Run pyshacl and split its report by severity.

    pyshacl's ``conforms`` is False on any result, warnings included, so callers look at the
    severities instead. Returns (violations, warnings), each a set of (focus node, path) with
    path None where it is not a plain predicate (e.g. an sh:alternativePath). One broken value
    can fail several constraints at once (a string latitude fails sh:datatype and sh:minInclusive)
    and so give several results with the same focus node and path.
    """
    from pyshacl import validate as shacl_validate

    _, report, _ = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference=inference, allow_warnings=True
    )
    found: dict = {SH.Violation: set(), SH.Warning: set()}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        assert report.value(result, SH.resultMessage), "every result carries a message"
        path = report.value(result, SH.resultPath)
        found.setdefault(report.value(result, SH.resultSeverity), set()).add(
            (report.value(result, SH.focusNode), path if isinstance(path, URIRef) else None)
        )
    return found[SH.Violation], found[SH.Warning]


def test_conforming_graph_conforms(shapes, ontology):
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(
        conforming_graph(), shacl_graph=shapes, ont_graph=ontology, inference="rdfs"
    )
    assert conforms, text


XZ = HHR["place/320300"]
LYG = HHR["place/320700"]
TONGSHAN = HHR["place/320312"]
LINE = HHR["infrastructure/xulian-hsr"]
PROJECT = HHR["project/demo-pv"]
EVIDENCE = HHR["evidence/demo-1"]
DOC = HHR["document/demo"]
CAPACITY = HHR["project/demo-pv/capacity"]


def _set(s, p, o):
    return lambda g: g.set((s, p, o))


def _remove(s, p, o=None):
    return lambda g: g.remove((s, p, o))


def _add(s, p, o):
    return lambda g: g.add((s, p, o))


# id, mutation of the conforming graph, expected violations, expected warnings, inference
BAD_CASES = [
    ("city-without-code", _remove(XZ, HH.adminCode), {(XZ, HH.adminCode)}, set(), "rdfs"),
    ("code-five-digits", _set(XZ, HH.adminCode, Literal("32030")), {(XZ, HH.adminCode)}, set(), "rdfs"),
    ("code-as-integer", _set(XZ, HH.adminCode, Literal(320300)), {(XZ, HH.adminCode)}, set(), "rdfs"),
    ("code-starts-with-9", _set(XZ, HH.adminCode, Literal("920300")), {(XZ, HH.adminCode)}, set(), "rdfs"),
    ("city-without-label", _remove(XZ, RDFS.label), {(XZ, RDFS.label)}, set(), "rdfs"),
    ("city-without-province", _remove(XZ, HH.inProvince), {(XZ, HH.inProvince)}, set(), "rdfs"),
    ("county-without-parent", _remove(TONGSHAN, HH.parentUnit), {(TONGSHAN, HH.parentUnit)}, set(), "rdfs"),
    ("bad-admin-level", _set(XZ, HH.adminLevel, Literal("city")), {(XZ, HH.adminLevel)}, set(), "rdfs"),
    ("lat-lon-swapped", _set(XZ, WGS.lat, Literal(Decimal("117.2841"))), {(XZ, WGS.lat)}, set(), "rdfs"),
    ("lat-as-string", _set(XZ, WGS.lat, Literal("34.2")), {(XZ, WGS.lat)}, set(), "rdfs"),
    ("two-longitudes", _add(XZ, WGS.long, Literal(Decimal("117.3"))), {(XZ, WGS.long)}, set(), "rdfs"),
    ("two-pref-labels-zh", _add(XZ, SKOS.prefLabel, Literal("彭城", lang="zh")),
     {(XZ, SKOS.prefLabel)}, set(), "rdfs"),
    ("wkt-as-string", _set(HHR["geometry/320300"], GEO.asWKT, Literal("POINT(117.2841 34.2058)")),
     {(HHR["geometry/320300"], GEO.asWKT)}, set(), "rdfs"),
    ("negative-investment", _set(PROJECT, HH.investment, Literal(Decimal("-1"))),
     {(PROJECT, HH.investment)}, set(), "rdfs"),
    ("investment-as-string", _set(PROJECT, HH.investment, Literal("80亿元")),
     {(PROJECT, HH.investment)}, set(), "rdfs"),
    ("investment-as-float", _set(PROJECT, HH.investment, Literal(8e9)),
     {(PROJECT, HH.investment)}, set(), "rdfs"),
    ("two-investments", _add(PROJECT, HH.investment, Literal(Decimal("1"))),
     {(PROJECT, HH.investment)}, set(), "rdfs"),
    ("negative-output-value", _set(PROJECT, HH.outputValue, Literal(Decimal("-5"))),
     {(PROJECT, HH.outputValue)}, set(), "rdfs"),
    ("capacity-without-unit", _remove(CAPACITY, SCHEMA.unitText), {(CAPACITY, SCHEMA.unitText)}, set(), "rdfs"),
    ("capacity-min-above-max", _set(CAPACITY, SCHEMA.minValue, Literal(20)),
     {(CAPACITY, SCHEMA.minValue)}, set(), "rdfs"),
    ("capacity-without-number", lambda g: [g.remove((CAPACITY, p, None)) for p in (SCHEMA.minValue, SCHEMA.maxValue)],
     {(CAPACITY, None)}, set(), "rdfs"),
    ("evidence-without-sentence", _remove(EVIDENCE, HH.sentence), {(EVIDENCE, HH.sentence)}, set(), "rdfs"),
    ("evidence-negative-offset", _set(EVIDENCE, HH.startOffset, Literal(-1)),
     {(EVIDENCE, HH.startOffset)}, set(), "rdfs"),
    ("evidence-start-after-end", _set(EVIDENCE, HH.startOffset, Literal(99)),
     {(EVIDENCE, HH.startOffset)}, set(), "rdfs"),
    ("evidence-without-document", _remove(EVIDENCE, PROV.wasDerivedFrom),
     {(EVIDENCE, PROV.wasDerivedFrom)}, set(), "rdfs"),
    ("evidence-without-rule", _remove(EVIDENCE, HH.rule), {(EVIDENCE, HH.rule)}, set(), "rdfs"),
    ("evidence-two-objects", _add(EVIDENCE, RDF.object, XZ), {(EVIDENCE, RDF.object)}, set(), "rdfs"),
    ("document-bad-sha256", _set(DOC, HH.sha256, Literal("abc")), {(DOC, HH.sha256)}, set(), "rdfs"),
    ("document-two-dates", _add(DOC, DCTERMS.date, Literal("2025-01-02", datatype=XSD.date)),
     {(DOC, DCTERMS.date)}, set(), "rdfs"),
    ("status-outside-scheme", _set(LINE, HH.status, HHR["status/delayed"]), {(LINE, HH.status)}, set(), "rdfs"),
    ("opened-as-string", _set(LINE, HH.opened, Literal("2021年2月")), {(LINE, HH.opened)}, set(), "rdfs"),
    ("opened-as-datetime", _set(LINE, HH.opened, Literal("2021-02-08T00:00:00", datatype=XSD.dateTime)),
     {(LINE, HH.opened)}, set(), "rdfs"),
    # A line with one resolved place is incomplete, not wrong: a Warning and no Violation.
    ("line-with-one-place", _remove(LINE, HH.connects, LYG), set(), {(LINE, None)}, "rdfs"),
    # hh:passesThrough counts towards the two places (sh:alternativePath), even without inference.
    ("line-passes-through", lambda g: (g.remove((LINE, HH.connects, LYG)), g.add((LINE, HH.passesThrough, LYG))),
     set(), set(), "none"),
    # Without inference a connects value not typed as a Place is caught. (With RDFS inference the
    # range of hh:connects would make it a Place, so this check needs the un-inferred data.)
    ("connects-untyped-node", _add(LINE, HH.connects, HHR["org/somebody"]), {(LINE, None)}, set(), "none"),
]


@pytest.mark.parametrize(
    ("mutate", "violations", "warnings", "inference"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_non_conforming_graph(shapes, ontology, mutate, violations, warnings, inference):
    data = conforming_graph()
    mutate(data)
    assert validate(data, shapes, ontology, inference=inference) == (violations, warnings)


def test_conforming_graph_conforms_without_inference(shapes, ontology):
    violations, warnings = validate(conforming_graph(), shapes, ontology, inference="none")
    assert violations == set() and warnings == set()
