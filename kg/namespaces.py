"""RDF namespaces of the Huaihai KG: the ``hh:`` terms as a closed namespace, plus prefixes.

``HH`` mirrors ``ontology/huaihai.ttl`` term for term. It is a closed
:class:`rdflib.namespace.DefinedNamespace` (``_fail = True``), so a misspelt term raises
``AttributeError`` instead of quietly minting an IRI the ontology does not define;
``tests/test_ontology.py`` checks that the two stay in step.

Other namespaces: ``HHR`` for resources (cities, lines, documents, evidence nodes; never terms),
``HHSH`` for the SHACL shapes, and the reused vocabularies. rdflib's ``PROV``, ``SKOS``,
``DCTERMS``, ``GEO`` and ``SDO`` (re-exported as ``SCHEMA``) are used as they are; ``WGS`` is
defined here because rdflib's own ``WGS`` uses ``https://`` where the vocabulary's IRI is
``http://www.w3.org/2003/01/geo/wgs84_pos#``.

``PREFIXES`` maps prefix to namespace for SPARQL ``initNs`` and Turtle output, and
``bind_prefixes`` binds them on a graph.

Examples
--------
>>> from rdflib import Graph, Literal
>>> g = bind_prefixes(Graph())
>>> _ = g.add((HHR["place/320300"], HH.adminCode, Literal("320300")))
>>> "hh:adminCode" in g.serialize(format="turtle")
True
>>> HH.Cityy
Traceback (most recent call last):
...
AttributeError: term 'Cityy' not in namespace 'https://huaihai-kg.org/ontology#'
"""

from __future__ import annotations

from rdflib.namespace import (
    DCTERMS,
    GEO,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

from .iri import VOCABULARIES

__all__ = [
    "DCTERMS",
    "GEO",
    "HH",
    "HHR",
    "HHSH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "WGS",
    "XSD",
    "bind_prefixes",
]


class HH(DefinedNamespace):
    """Huaihai KG ontology terms, ``https://huaihai-kg.org/ontology#``.

    One annotation per term of ``ontology/huaihai.ttl``; keep the two in step.
    """

    _fail = True
    _NS = Namespace(VOCABULARIES["hh"])

    # Classes: places
    Place: URIRef  # Anything with a location (subclass of geo:Feature).
    AdministrativeUnit: URIRef  # A unit with a GB/T 2260 code.
    Province: URIRef  # Province-level unit, e.g. 江苏省.
    City: URIRef  # Prefecture-level city (地级市); not counties.
    County: URIRef  # County, district or county-level city; a sibling of City.
    Region: URIRef  # Economic zone or informal region (淮海经济区, 苏北).
    ParkZone: URIRef  # 高新区, 经开区, joint park.
    WaterBody: URIRef  # Natural water body.
    River: URIRef  # River.
    Lake: URIRef  # Lake.

    # Classes: infrastructure
    Infrastructure: URIRef  # Transport, water or energy facility (a Place).
    Railway: URIRef  # Railway line.
    HighSpeedRail: URIRef  # High-speed railway (subclass of Railway).
    Expressway: URIRef  # Expressway or express road.
    Road: URIRef  # Non-expressway road.
    BusLine: URIRef  # Bus route.
    Port: URIRef  # Sea or inland port.
    Airport: URIRef  # Airport.
    Canal: URIRef  # Man-made waterway.
    Station: URIRef  # Railway or bus station.
    Bridge: URIRef  # Bridge.
    Pipeline: URIRef  # Gas, oil or water pipeline.

    # Classes: economy
    Project: URIRef  # Investment or construction project.
    Industry: URIRef  # Industry (skos:Concept in IndustryScheme).
    Cluster: URIRef  # Named industrial cluster or cluster system.

    # Classes: organisations and agreements
    Organization: URIRef  # Organisation.
    University: URIRef  # University or college.
    Company: URIRef  # Company.
    Alliance: URIRef  # Alliance or association.
    Government: URIRef  # Government body.
    Meeting: URIRef  # Standing meeting acting as a body.
    Agreement: URIRef  # Agreement, plan, policy or mechanism.
    Plan: URIRef  # Plan or programme.
    Policy: URIRef  # Policy or service arrangement.
    Mechanism: URIRef  # Cooperation mechanism.

    # Classes: provenance and status
    Document: URIRef  # Source document (prov:Entity).
    Evidence: URIRef  # Reified statement with its sentence (rdf:Statement, prov:Entity).
    Status: URIRef  # Stage of a project or facility (skos:Concept).

    # Concept schemes and individuals
    IndustryScheme: URIRef  # skos:ConceptScheme of industries.
    StatusScheme: URIRef  # skos:ConceptScheme of statuses.
    Planned: URIRef  # Status: planned.
    UnderConstruction: URIRef  # Status: under construction.
    Opened: URIRef  # Status: opened / in service.

    # Object properties
    connects: URIRef  # Infrastructure -> Place it serves.
    passesThrough: URIRef  # Infrastructure -> intermediate Place (subproperty of connects).
    locatedIn: URIRef  # -> Place (not transitive).
    inProvince: URIRef  # Place -> Province.
    parentUnit: URIRef  # AdministrativeUnit -> AdministrativeUnit above it.
    memberOf: URIRef  # -> Region or Organization.
    historicMemberOf: URIRef  # City -> Region (1986-era wider membership).
    partOf: URIRef  # Non-spatial part-whole.
    hasIndustry: URIRef  # -> Industry.
    cooperatesWith: URIRef  # Symmetric cooperation.
    leads: URIRef  # Organiser, operator, host, lead city.
    appliesTo: URIRef  # Agreement -> Place it covers.
    status: URIRef  # -> Status.
    mentionedIn: URIRef  # -> Document.
    capacity: URIRef  # -> schema:QuantitativeValue.

    # Datatype properties
    adminCode: URIRef  # GB/T 2260 six-digit code (string).
    adminLevel: URIRef  # "province", "prefecture" or "county".
    abbreviation: URIRef  # One-character 简称.
    opened: URIRef  # Opening date: xsd:date, xsd:gYearMonth or xsd:gYear.
    investment: URIRef  # Total investment, xsd:decimal yuan.
    phaseInvestment: URIRef  # Investment of one phase, xsd:decimal yuan.
    outputValue: URIRef  # Expected annual output value, xsd:decimal yuan.
    sha256: URIRef  # Document SHA-256, 64 hex characters.
    sentence: URIRef  # Evidence sentence.
    startOffset: URIRef  # Evidence start character offset.
    endOffset: URIRef  # Evidence end character offset (exclusive).
    rule: URIRef  # Rule or component that produced a statement.
    kind: URIRef  # Finer class name as text.

    # Annotation properties
    unit: URIRef  # Unit of a datatype property's values ("CNY").


class WGS(DefinedNamespace):
    """W3C Basic Geo (WGS84 lat/long), ``http://www.w3.org/2003/01/geo/wgs84_pos#``."""

    _fail = True
    _NS = Namespace(VOCABULARIES["wgs"])

    SpatialThing: URIRef
    Point: URIRef
    lat: URIRef  # Latitude, decimal degrees.
    long: URIRef  # Longitude, decimal degrees.
    alt: URIRef  # Altitude, metres.
    lat_long: URIRef
    location: URIRef


HHR = Namespace(VOCABULARIES["hhr"])
HHSH = Namespace(VOCABULARIES["hhsh"])
SCHEMA = SDO

PREFIXES: dict[str, Namespace] = {prefix: Namespace(iri) for prefix, iri in VOCABULARIES.items()}
"""Prefix -> namespace, from :data:`kg.iri.VOCABULARIES` (the same IRIs as rdflib's ``RDF``,
``SKOS``... and this module's ``HH``, ``WGS``, ``HHR``, ``HHSH``)."""


def bind_prefixes(graph):
    """Bind every prefix of ``PREFIXES`` on an rdflib ``Graph`` or ``Dataset`` and return it.

    A prefix already bound to another namespace (rdflib binds ``wgs`` to an ``https`` IRI by
    default) is rebound to ours.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset

    Returns
    -------
    The same graph, for chaining.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = bind_prefixes(Graph())
    >>> dict(g.namespaces())["wgs"]
    rdflib.term.URIRef('http://www.w3.org/2003/01/geo/wgs84_pos#')
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
