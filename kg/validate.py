"""SHACL validation of the graph with ``ontology/shapes.ttl`` (pyshacl), as readable results.

The data checked is the union of the gazetteer and document graphs; the ontology is
given to pyshacl as the ontology graph, so its ``rdfs:subClassOf`` axioms make a shape on
``hh:Infrastructure`` reach a ``hh:HighSpeedRail`` (SHACL's own subclass semantics). No
RDFS inference runs by default: it is four times slower and, by typing every value of
``hh:connects`` as an ``hh:Place`` from the property's range, it would hide the very
mistakes the range shapes look for. ``inference="rdfs"`` turns it on.

Only results of severity ``sh:Violation`` make a graph non-conforming; ``sh:Warning``
(a line with fewer than two resolved places, say) is reported and tolerated.

>>> from kg import KnowledgeGraph
>>> report = validate(KnowledgeGraph())
>>> report.conforms, len(report.violations)
(True, 0)
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from .errors import StoreError

__all__ = ["validate", "ValidationReport", "Result"]

SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Result:
    """One SHACL result: which node broke which shape, and the shape's message.

    ``path`` is the property's IRI, or the IRIs of an ``sh:alternativePath`` joined by
    ``|`` (``hh:connects|hh:passesThrough``); ``value`` is the offending value SHACL names.
    """

    severity: str
    focus: str
    message: str
    path: Optional[str] = None
    value: Optional[str] = None
    shape: Optional[str] = None
    constraint: Optional[str] = None
    label: Optional[str] = None

    def __str__(self) -> str:
        from .query import compact_iri

        who = compact_iri(self.focus)
        if self.label:
            who = "%s (%s)" % (self.label, who)
        where = ""
        if self.path:
            where = " %s" % "|".join(compact_iri(p) for p in self.path.split("|"))
        if self.value is not None and self.value != self.focus:
            where += " = %s" % (compact_iri(self.value) if "://" in self.value
                                else repr(self.value))
        return "%s: %s%s: %s" % (self.severity, who, where, self.message)

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` and the results, most severe first."""

    conforms: bool
    results: list = field(default_factory=list)
    triples: int = 0

    @property
    def violations(self) -> list:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list:
        return [r for r in self.results if r.severity == "Warning"]

    def summary(self) -> str:
        """One line: conforms or not, and how many violations and warnings."""
        return "%s: %d violation%s, %d warning%s in %d triples" % (
            "conforms" if self.conforms else "does NOT conform", len(self.violations),
            "" if len(self.violations) == 1 else "s", len(self.warnings),
            "" if len(self.warnings) == 1 else "s", self.triples)

    def text(self, *, warnings: bool = True, limit: Optional[int] = None) -> str:
        """The summary, then one line per result (at most ``limit`` of each severity)."""
        lines = [self.summary()]
        groups = [self.violations] + ([self.warnings] if warnings else [])
        for group in groups:
            shown = group if limit is None else group[:limit]
            lines += ["  " + str(r) for r in shown]
            if len(group) > len(shown):
                lines.append("  ... and %d more %ss" % (len(group) - len(shown),
                                                        group[0].severity.lower()))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _resources():
    from .resources import ontology_dir

    return ontology_dir() / "shapes.ttl", ontology_dir() / "huaihai.ttl"


def _data_graph(graph):
    """An rdflib Graph of what ``graph`` holds, without its ontology graph."""
    import rdflib

    from . import iri

    if isinstance(graph, rdflib.Graph):
        return graph
    if isinstance(graph, (str, Path)):
        from .graph import KnowledgeGraph

        graph = KnowledgeGraph.open(graph)
    from .graph import _rdflib_graph

    ontology = iri.graph("ontology")
    return _rdflib_graph((q.subject, q.predicate, q.object) for q in graph.store
                         if getattr(q.graph_name, "value", None) != ontology)


def validate(graph, *, inference: str = "none", shapes: Union[str, Path, None] = None,
             ontology: Union[str, Path, None] = None) -> ValidationReport:
    """Validate a graph against the SHACL shapes.

    Parameters
    ----------
    graph : KnowledgeGraph, rdflib.Graph, or path
        What to check (a path is opened with :meth:`KnowledgeGraph.open`).
    inference : {"none", "rdfs"}
        Whether pyshacl first runs RDFS inference with the ontology.
    shapes, ontology : path, optional
        Other shapes or ontology files than the project's.

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> from kg.namespaces import HH, RDF
    >>> g = Graph()
    >>> p = URIRef("https://huaihai-kg.org/id/project/x")
    >>> _ = g.add((p, RDF.type, HH.Project))
    >>> _ = g.add((p, HH.investment, Literal(-5)))
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> print(report.violations[0])  # doctest: +ELLIPSIS
    Violation: hhr:project/x hh:investment = '-5': hh:investment must be a non-negative xsd:decimal amount in yuan...
    """
    import pyshacl
    import rdflib

    if inference not in ("none", "rdfs"):
        raise StoreError("inference must be 'none' or 'rdfs', not %r" % inference)
    default_shapes, default_ontology = _resources()
    try:
        shapes_graph = rdflib.Graph().parse(str(shapes or default_shapes), format="turtle")
        ont_graph = rdflib.Graph().parse(str(ontology or default_ontology), format="turtle")
    except (OSError, SyntaxError) as exc:
        raise StoreError("cannot read the shapes or ontology (%s)" % exc) from None
    with _ill_typed_literals_unlogged():
        data = _data_graph(graph)
        _, results_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes_graph, ont_graph=ont_graph, inference=inference,
            allow_warnings=True, advanced=False, inplace=False)
        return _report(results_graph, data)


@contextlib.contextmanager
def _ill_typed_literals_unlogged():
    """rdflib logs a traceback for every literal its datatype does not allow
    ("2021-02-30"^^xsd:date) each time it makes one; the shapes' sh:datatype reports them
    as violations, with a message a user can act on, so the tracebacks are only noise."""
    import logging

    class Drop(logging.Filter):
        def filter(self, record):
            return not record.getMessage().startswith("Failed to convert Literal lexical form")

    logger, drop = logging.getLogger("rdflib.term"), Drop()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


def _label(data, node) -> Optional[str]:
    import rdflib
    from rdflib.namespace import RDFS, SKOS

    for prop in (SKOS.prefLabel, RDFS.label):
        for o in data.objects(node, prop):
            if isinstance(o, rdflib.Literal) and (o.language or "").startswith("zh"):
                return str(o)
    return None


def _path(results_graph, path) -> Optional[str]:
    """A result's ``sh:resultPath`` as text: an IRI, or alternative IRIs joined by ``|``."""
    import rdflib
    from rdflib.collection import Collection

    if isinstance(path, rdflib.URIRef):
        return str(path)
    if not isinstance(path, rdflib.BNode):
        return None
    alternatives = results_graph.value(path, rdflib.URIRef(SH + "alternativePath"))
    if alternatives is None:
        return None
    members = list(Collection(results_graph, alternatives))
    if members and all(isinstance(m, rdflib.URIRef) for m in members):
        return "|".join(str(m) for m in members)
    return None


def _report(results_graph, data) -> ValidationReport:
    import rdflib

    sh = rdflib.Namespace(SH)
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results, terms = [], {}  # terms: id(result) -> its value as an RDF term (with datatype)
    for node in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(prop):
            return results_graph.value(node, prop)

        severity = str(one(sh.resultSeverity) or SH + "Violation").rsplit("#", 1)[-1]
        focus = one(sh.focusNode)
        path, value = one(sh.resultPath), one(sh.value)
        messages = sorted(str(m) for m in results_graph.objects(node, sh.resultMessage))
        results.append(Result(
            severity=severity, focus=str(focus), message=messages[0] if messages else
            "breaks %s" % one(sh.sourceConstraintComponent),
            path=_path(results_graph, path),
            value=str(value) if value is not None else None,
            shape=str(one(sh.sourceShape)) if isinstance(one(sh.sourceShape), rdflib.URIRef)
            else None,
            constraint=str(one(sh.sourceConstraintComponent)).rsplit("#", 1)[-1],
            label=_label(data, focus)))
        terms[id(results[-1])] = value.n3() if value is not None else None
    results.sort(key=lambda r: (order.get(r.severity, 3), r.focus, r.path or "", r.message,
                                r.value or "", r.constraint or ""))
    # One value can break two constraints that share a message (a string investment is
    # neither an xsd:decimal nor >= 0): say it once. (Values of one text and two datatypes,
    # "1.5" and "1.5"^^xsd:double, are two.)
    unique = {}
    for r in results:
        unique.setdefault((r.severity, r.focus, r.path, terms[id(r)], r.message), r)
    results = list(unique.values())
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, triples=len(data))
